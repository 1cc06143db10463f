import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeStateChannelPacket,
  MAX_STATE_CHANNEL_BYTES,
  MAX_STREAM_DATA_BYTES,
} from "../../game/kit/wire/state-channel.ts";
import { type Motion, motionCodec, msgpackCodec } from "../../game/kit/wire/stream-codec.ts";
import { StreamRegistry, type StreamValue } from "../../game/kit/wire/stream-registry.ts";
import { streamTag } from "../../game/kit/wire/tags.ts";
import { isRecord } from "../../shared/guards.ts";

const arena = motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 512 });
const labels = msgpackCodec("label:1", (value) => (typeof value === "string" ? value : null));
const moving: Motion = { x: 480.0625, y: 270.125, vx: -180.125, vy: 260 };

function registry(): StreamRegistry {
  const streams = new StreamRegistry();
  streams.add("motion", arena);
  streams.add("label", labels);
  return streams;
}

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
    const streams = registry();
    const bytes = streams.encode("motion", 300, 600, 60, moving);
    expect(streams.decode(bytes)).toEqual({
      ok: true,
      name: "motion",
      seq: 300,
      tick: 600,
      hz: 60,
      value: moving,
    });
    const label = streams.encode("label", 1, 2, 30, "hello");
    expect(streams.decode(label)).toMatchObject({ ok: true, name: "label", value: "hello" });
  });

  it("sends the arena's motion in 21 bytes, 25 at most (today's state packet: 17, 23)", () => {
    const streams = registry();
    expect(streams.encode("motion", 300, 600, 60, moving)).toHaveLength(21);
    const widest = streams.encode("motion", 0xffff_ffff, 0xffff_ffff, 60, moving);
    expect(widest).toHaveLength(25);
    // msgpackr keeps 0x40-0x7f for record ids: from 64 on, hz takes a second byte.
    expect(streams.encode("motion", 300, 600, 64, moving)).toHaveLength(22);
  });

  it("keeps motion packets at or under half the size of the same values as JSON", () => {
    const streams = registry();
    const counter = fc.integer({ min: 0, max: 0xffff_ffff });
    const motion = fc.record({
      x: fc.double({ min: 0, max: 960, noNaN: true }),
      y: fc.double({ min: 0, max: 540, noNaN: true }),
      vx: fc.double({ min: -512, max: 512, noNaN: true }),
      vy: fc.double({ min: -512, max: 512, noNaN: true }),
    });
    fc.assert(
      fc.property(counter, counter, motion, (seq, tick, value) => {
        const bytes = streams.encode("motion", seq, tick, 60, value);
        const decoded = streams.decode(bytes);
        if (!decoded.ok) throw new Error(decoded.reason);
        const json = JSON.stringify({
          seq,
          tick,
          ...(isRecord(decoded.value) ? decoded.value : {}),
        });
        expect(bytes.length).toBeLessThanOrEqual(new TextEncoder().encode(json).length / 2);
      }),
    );
  });

  it("hands typed values to the stream's receiver with the caller's context on receive", () => {
    const streams = new StreamRegistry<{ from: string }>();
    const got: [StreamValue<Motion>, string][] = [];
    streams.add("motion", arena, (value, { from }) => got.push([value, from]));
    const packet = {
      kind: "stream" as const,
      stream: streamTag("motion", arena.id),
      seq: 1,
      tick: 2,
      hz: 60,
      data: arena.encode(moving),
    };
    expect(streams.decodePacket(packet)).toMatchObject({ ok: true, value: moving });
    expect(got).toEqual([]);
    expect(streams.receive(packet, { from: "peer-a" })).toMatchObject({ ok: true });
    expect(got).toEqual([[{ seq: 1, tick: 2, hz: 60, value: moving }, "peer-a"]]);
  });

  it("drops a stream of another build as unknown: another name, or another codec", () => {
    const streams = registry();
    const renamed = new StreamRegistry();
    renamed.add("avatar", arena);
    const resized = new StreamRegistry();
    resized.add("motion", motionCodec({ bounds: { width: 1920, height: 1080 }, maxSpeed: 512 }));
    const unknown = { ok: false, reason: "unknown-stream" };
    expect(streams.decode(renamed.encode("avatar", 1, 1, 60, moving))).toEqual(unknown);
    expect(streams.decode(resized.encode("motion", 1, 1, 60, moving))).toEqual(unknown);
  });

  it.each([
    ["junk", Uint8Array.from([0xc1, 0x00]), "junk"],
    ["a ping", encodeStateChannelPacket({ kind: "ping", id: 1, sentAt: 2 }), "junk"],
    ["a truncated packet", registry().encode("motion", 1, 1, 60, moving).slice(0, 10), "junk"],
    ["an oversized packet", new Uint8Array(MAX_STATE_CHANNEL_BYTES + 1).fill(0x40), "too-large"],
    [
      "motion data of the wrong length",
      encodeStateChannelPacket({
        kind: "stream",
        stream: streamTag("motion", arena.id),
        seq: 1,
        tick: 1,
        hz: 60,
        data: new Uint8Array(7),
      }),
      "invalid",
    ],
    [
      "a label that is not a string",
      encodeStateChannelPacket({
        kind: "stream",
        stream: streamTag("label", labels.id),
        seq: 1,
        tick: 1,
        hz: 60,
        data: msgpackCodec("any", (value) => value).encode(42),
      }),
      "invalid",
    ],
  ])("drops %s, counted by reason", (_label, bytes, reason) => {
    expect(registry().decode(bytes)).toEqual({ ok: false, reason });
  });

  it("drops, never throws, when a codec throws on junk", () => {
    const streams = new StreamRegistry();
    const fragile = {
      id: "fragile",
      encode: (value: number) => Uint8Array.from([value]),
      decode: (): number => {
        throw new TypeError("bug");
      },
    };
    streams.add("fragile", fragile);
    const bytes = streams.encode("fragile", 1, 1, 60, 7);
    expect(streams.decode(bytes)).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["an unknown stream", (s: StreamRegistry) => s.encode("nope", 1, 1, 60, moving)],
    ["hz 0", (s: StreamRegistry) => s.encode("motion", 1, 1, 0, moving)],
    ["hz 256", (s: StreamRegistry) => s.encode("motion", 1, 1, 256, moving)],
    ["a negative seq", (s: StreamRegistry) => s.encode("motion", -1, 1, 60, moving)],
    ["a fractional tick", (s: StreamRegistry) => s.encode("motion", 1, 1.5, 60, moving)],
    [
      "data over 200 bytes",
      (s: StreamRegistry) => s.encode("label", 1, 1, 60, "x".repeat(MAX_STREAM_DATA_BYTES)),
    ],
  ])("throws RangeError for %s (a sender's bug)", (_label, send) => {
    expect(() => send(registry())).toThrow(RangeError);
  });

  it("never throws on arbitrary bytes, nor on arbitrary data behind a known tag", () => {
    const streams = registry();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 240 }), (bytes) => {
        expect(() => streams.decode(bytes)).not.toThrow();
        expect(() => streams.decode(Uint8Array.from([0x40, ...bytes]))).not.toThrow();
      }),
    );
    const tags = fc.constantFrom(streamTag("motion", arena.id), streamTag("label", labels.id));
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
        const decoded = streams.decode(bytes);
        expect(decoded.ok || decoded.reason === "invalid").toBe(true);
      }),
    );
  });
});
