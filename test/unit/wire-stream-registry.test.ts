import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  MAX_STATE_CHANNEL_BYTES,
  MAX_STREAM_DATA_BYTES,
} from "../../game/kit/wire/state-channel.ts";
import {
  type Motion,
  motionCodec,
  msgpackCodec,
  type StreamCodec,
} from "../../game/kit/wire/stream-codec.ts";
import {
  type StreamDecoded,
  StreamRegistry,
  type StreamValue,
} from "../../game/kit/wire/stream-registry.ts";
import { streamTag } from "../../game/kit/wire/tags.ts";

const arena = motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 512 });
const labels = msgpackCodec("label:1", (value) => (typeof value === "string" ? value : null));
const moving: Motion = { x: 480.0625, y: 270.125, vx: -180.125, vy: 260 };

/** What the receivers got from the packets received with it, typed per stream. */
interface Inbox {
  readonly motion: StreamValue<Motion>[];
  readonly label: StreamValue<string>[];
}

const emptyInbox = (): Inbox => ({ motion: [], label: [] });

/** A room's two streams, each receiver filing its typed values in the inbox it is given. */
function registry(): { streams: StreamRegistry<Inbox>; motion: number; label: number } {
  const streams = new StreamRegistry<Inbox>();
  const motion = streams.add("motion", arena, (value, inbox) => inbox.motion.push(value));
  const label = streams.add("label", labels, (value, inbox) => inbox.label.push(value));
  return { streams, motion, label };
}

/**
 * One stream packet as the kit sends it (room/streams.ts, netcode/peer-netcode.ts): the codec's
 * bytes behind the tag `add` returned. RangeError for a sender's bug.
 */
function send<T>(
  tag: number,
  codec: StreamCodec<T>,
  value: T,
  { seq = 1, tick = 1, hz = 60 }: { seq?: number; tick?: number; hz?: number } = {},
): Uint8Array<ArrayBuffer> {
  const data = codec.encode(value);
  return encodeStateChannelPacket({ kind: "stream", stream: tag, seq, tick, hz, data });
}

/**
 * One state-channel packet as the kit reads it: decoded once, then a stream packet goes to the
 * registry. Null for a ping or pong, which the kit hands to the clock, never to the registry.
 */
function receive<Context>(
  streams: StreamRegistry<Context>,
  bytes: Uint8Array,
  context: Context,
): StreamDecoded | null {
  const decoded = decodeStateChannelPacket(bytes);
  if (!decoded.ok) return decoded;
  return decoded.packet.kind === "stream" ? streams.receive(decoded.packet, context) : null;
}

/** The tags a sending peer's registry gives out: the same as this build's receivers. */
const sender = registry();

describe("stream tags", () => {
  it("are stable across builds: changing them splits every lobby in two", () => {
    expect(streamTag("motion", "motion:960x540:512")).toBe(59862);
  });

  it("differ by name and by codec id", () => {
    const tag = streamTag("motion", arena.id);
    expect(streamTag("motion2", arena.id)).not.toBe(tag);
    expect(streamTag("motion", "motion:1920x1080:512")).not.toBe(tag);
    expect(streamTag("a:b", "c")).not.toBe(streamTag("a", "b:c"));
  });
});

describe("stream registry", () => {
  it("returns each stream's tag and refuses a second name or a clashing tag", () => {
    const streams = new StreamRegistry();
    expect(streams.add("motion", arena)).toBe(streamTag("motion", arena.id));
    expect(() => streams.add("motion", labels)).toThrow(RangeError);
    // s7 and s65 hash to the same u16 with this codec id.
    const codec = { ...labels, id: "c" };
    expect(streamTag("s7", codec.id)).toBe(streamTag("s65", codec.id));
    streams.add("s7", codec);
    expect(() => streams.add("s65", codec)).toThrow(/s7.*s65/);
  });

  it("round-trips values of every stream with their header", () => {
    const { streams, motion, label } = registry();
    const inbox = emptyInbox();
    const bytes = send(motion, arena, moving, { seq: 300, tick: 600, hz: 60 });
    expect(receive(streams, bytes, inbox)).toEqual({
      ok: true,
      name: "motion",
      seq: 300,
      tick: 600,
      hz: 60,
      value: moving,
    });
    const hello = send(label, labels, "hello", { seq: 1, tick: 2, hz: 30 });
    expect(receive(streams, hello, inbox)).toMatchObject({
      ok: true,
      name: "label",
      value: "hello",
    });
    expect(inbox).toEqual({
      motion: [{ seq: 300, tick: 600, hz: 60, value: moving }],
      label: [{ seq: 1, tick: 2, hz: 30, value: "hello" }],
    });
  });

  it("sends the arena's motion in 21 bytes, 25 at most (today's state packet: 17, 23)", () => {
    const { motion } = registry();
    expect(send(motion, arena, moving, { seq: 300, tick: 600, hz: 60 })).toHaveLength(21);
    const widest = send(motion, arena, moving, { seq: 0xffff_ffff, tick: 0xffff_ffff, hz: 60 });
    expect(widest).toHaveLength(25);
    // msgpackr keeps 0x40-0x7f for record ids: from 64 on, hz takes a second byte.
    expect(send(motion, arena, moving, { seq: 300, tick: 600, hz: 64 })).toHaveLength(22);
  });

  it("keeps motion packets at or under half the size of the same values as JSON", () => {
    const { streams, motion } = registry();
    const counter = fc.integer({ min: 0, max: 0xffff_ffff });
    const values = fc.record({
      x: fc.double({ min: 0, max: 960, noNaN: true }),
      y: fc.double({ min: 0, max: 540, noNaN: true }),
      vx: fc.double({ min: -512, max: 512, noNaN: true }),
      vy: fc.double({ min: -512, max: 512, noNaN: true }),
    });
    fc.assert(
      fc.property(counter, counter, values, (seq, tick, value) => {
        const bytes = send(motion, arena, value, { seq, tick, hz: 60 });
        const inbox = emptyInbox();
        const decoded = receive(streams, bytes, inbox);
        if (!decoded?.ok) throw new Error(decoded?.reason ?? "not a stream packet");
        const [received] = inbox.motion;
        if (received === undefined) throw new Error("the receiver got nothing");
        const json = JSON.stringify({ seq, tick, ...received.value });
        expect(bytes.length).toBeLessThanOrEqual(new TextEncoder().encode(json).length / 2);
      }),
    );
  });

  it("hands typed values to the stream's receiver with the caller's context", () => {
    const streams = new StreamRegistry<{ from: string }>();
    const got: [StreamValue<Motion>, string][] = [];
    const tag = streams.add("motion", arena, (value, { from }) => got.push([value, from]));
    const bytes = send(tag, arena, moving, { seq: 1, tick: 2, hz: 60 });
    expect(receive(streams, bytes, { from: "peer-a" })).toMatchObject({ ok: true, value: moving });
    expect(got).toEqual([[{ seq: 1, tick: 2, hz: 60, value: moving }, "peer-a"]]);
  });

  it("drops a stream of another build as unknown: another name, or another codec", () => {
    const { streams } = registry();
    const renamed = new StreamRegistry();
    const avatar = renamed.add("avatar", arena);
    const resized = new StreamRegistry();
    const wide = motionCodec({ bounds: { width: 1920, height: 1080 }, maxSpeed: 512 });
    const wideMotion = resized.add("motion", wide);
    const unknown = { ok: false, reason: "unknown-stream" };
    const inbox = emptyInbox();
    expect(receive(streams, send(avatar, arena, moving), inbox)).toEqual(unknown);
    expect(receive(streams, send(wideMotion, wide, moving), inbox)).toEqual(unknown);
    expect(inbox).toEqual(emptyInbox());
  });

  it("hands a ping or pong on the same channel to the clock, never to the registry", () => {
    const ping = encodeStateChannelPacket({ kind: "ping", id: 1, sentAt: 2 });
    expect(receive(registry().streams, ping, emptyInbox())).toBeNull();
  });

  it.each([
    ["junk", Uint8Array.from([0xc1, 0x00]), "junk"],
    ["a truncated packet", send(sender.motion, arena, moving).slice(0, 10), "junk"],
    ["an oversized packet", new Uint8Array(MAX_STATE_CHANNEL_BYTES + 1).fill(0x40), "too-large"],
    [
      "motion data of the wrong length",
      encodeStateChannelPacket({
        kind: "stream",
        stream: sender.motion,
        seq: 1,
        tick: 1,
        hz: 60,
        data: new Uint8Array(7),
      }),
      "invalid",
    ],
    [
      "a label that is not a string",
      send(
        sender.label,
        msgpackCodec("any", (value) => value),
        42,
      ),
      "invalid",
    ],
  ])("drops %s, counted by reason", (_label, bytes, reason) => {
    const inbox = emptyInbox();
    expect(receive(registry().streams, bytes, inbox)).toEqual({ ok: false, reason });
    expect(inbox).toEqual(emptyInbox());
  });

  it("drops, never throws, when a codec throws on junk", () => {
    const streams = new StreamRegistry<number[]>();
    const fragile = {
      id: "fragile",
      encode: (value: number) => Uint8Array.from([value]),
      decode: (): number => {
        throw new TypeError("bug");
      },
    };
    const tag = streams.add("fragile", fragile, ({ value }, got) => got.push(value));
    const got: number[] = [];
    expect(receive(streams, send(tag, fragile, 7), got)).toEqual({ ok: false, reason: "invalid" });
    expect(got).toEqual([]);
  });

  it.each([
    ["a tag outside u16", () => send(0x1_0000, arena, moving)],
    ["hz 0", () => send(sender.motion, arena, moving, { hz: 0 })],
    ["hz 256", () => send(sender.motion, arena, moving, { hz: 256 })],
    ["a negative seq", () => send(sender.motion, arena, moving, { seq: -1 })],
    ["a fractional tick", () => send(sender.motion, arena, moving, { tick: 1.5 })],
    ["data over 200 bytes", () => send(sender.label, labels, "x".repeat(MAX_STREAM_DATA_BYTES))],
  ])("throws RangeError for %s (a sender's bug)", (_label, sendBadly) => {
    expect(sendBadly).toThrow(RangeError);
  });

  it("never throws on arbitrary bytes, nor on arbitrary data behind a known tag", () => {
    const { streams, motion, label } = registry();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 240 }), (bytes) => {
        expect(() => receive(streams, bytes, emptyInbox())).not.toThrow();
        expect(() =>
          receive(streams, Uint8Array.from([0x40, ...bytes]), emptyInbox()),
        ).not.toThrow();
      }),
    );
    const tags = fc.constantFrom(motion, label);
    fc.assert(
      fc.property(tags, fc.uint8Array({ maxLength: MAX_STREAM_DATA_BYTES }), (stream, data) => {
        const bytes = encodeStateChannelPacket({
          kind: "stream",
          stream,
          seq: 1,
          tick: 1,
          hz: 1,
          data,
        });
        const decoded = receive(streams, bytes, emptyInbox());
        expect(decoded?.ok || decoded?.reason === "invalid").toBe(true);
      }),
    );
  });
});
