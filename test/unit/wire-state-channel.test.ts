import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it, vi } from "vitest";
import {
  type ActionPacket,
  decodeActionPacket,
  decodeStateChannelPacket,
  encodeActionPacket,
  encodeStateChannelPacket,
  MAX_ACTION_BYTES,
  MAX_COUNTER,
  MAX_HZ,
  MAX_STATE_CHANNEL_BYTES,
  MAX_STREAM_DATA_BYTES,
  MAX_TAG,
  type PingPacket,
  type PongPacket,
  peekKitPacketKind,
  peekStateChannelKind,
  recordIdOf,
  type StreamPacket,
} from "../../game/kit/wire/state-channel.ts";

/** The documented layout: what another implementation would configure. */
const DOCUMENTED_STRUCTURES = [
  ["stream", "seq", "tick", "hz", "data"],
  ["id", "sentAt"],
  ["id", "pingSentAt", "receivedAt", "sentAt"],
  ["action", "body"],
];

const stream: StreamPacket = {
  kind: "stream",
  stream: 0xbeef,
  seq: 1000,
  tick: 2000,
  hz: 60,
  data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
};
const ping: PingPacket = { kind: "ping", id: 7, sentAt: 123_456.789 };
const pong: PongPacket = {
  kind: "pong",
  id: 7,
  pingSentAt: 123_456.789,
  receivedAt: 99_001.5,
  sentAt: 99_001.75,
};
const action: ActionPacket = { kind: "action", action: 0x1234, body: Uint8Array.from([0xc0]) };

/** A msgpackr that writes records in the documented layout, for hand-made packets. */
function documentedPackr(): Packr {
  return new Packr({
    structures: DOCUMENTED_STRUCTURES.map((keys) => [...keys]),
    maxSharedStructures: DOCUMENTED_STRUCTURES.length,
    shouldShareStructure: () => false,
    saveStructures: () => false,
    moreTypes: false,
  });
}

const counter = fc.integer({ min: 0, max: MAX_COUNTER });
const streamPacket = fc.record({
  kind: fc.constant("stream" as const),
  stream: fc.integer({ min: 0, max: MAX_TAG }),
  seq: counter,
  tick: counter,
  hz: fc.integer({ min: 1, max: MAX_HZ }),
  data: fc.uint8Array({ maxLength: MAX_STREAM_DATA_BYTES }),
});
// msgpack has no negative zero for integers; -0 ms arrives as 0 ms, which is the same time.
const time = fc.double({ noNaN: true, noDefaultInfinity: true }).map((ms) => ms + 0);
const pingPacket = fc.record({ kind: fc.constant("ping" as const), id: counter, sentAt: time });
const pongPacket = fc.record({
  kind: fc.constant("pong" as const),
  id: counter,
  pingSentAt: time,
  receivedAt: time,
  sentAt: time,
});
const anyStatePacket = fc.oneof(streamPacket, pingPacket, pongPacket);

describe("kit packets", () => {
  it.each([stream, ping, pong])("round-trips a $kind packet", (packet) => {
    expect(decodeStateChannelPacket(encodeStateChannelPacket(packet))).toEqual({
      ok: true,
      packet,
    });
  });

  it("round-trips an action packet", () => {
    expect(decodeActionPacket(encodeActionPacket(action))).toEqual({
      ok: true,
      packet: action,
    });
  });

  it("round-trips any state-channel packet exactly", () => {
    fc.assert(
      fc.property(anyStatePacket, (packet) => {
        expect(decodeStateChannelPacket(encodeStateChannelPacket(packet))).toEqual({
          ok: true,
          packet,
        });
      }),
    );
  });

  it("tells the kinds apart by the first byte: 0x40 stream, 0x41 ping, 0x42 pong, 0x43 action", () => {
    const kinds = ["stream", "ping", "pong", "action"] as const;
    expect(kinds.map(recordIdOf)).toEqual([0x40, 0x41, 0x42, 0x43]);
    for (const packet of [stream, ping, pong]) {
      const bytes = encodeStateChannelPacket(packet);
      expect(bytes[0]).toBe(recordIdOf(packet.kind));
      expect(peekStateChannelKind(bytes)).toBe(packet.kind);
      expect(peekKitPacketKind(bytes)).toBe(packet.kind);
    }
    const actionBytes = encodeActionPacket(action);
    expect(actionBytes[0]).toBe(0x43);
    expect(peekKitPacketKind(actionBytes)).toBe("action");
    // Not a state-channel kind: a relay tells the channels apart by this.
    expect(peekStateChannelKind(actionBytes)).toBeNull();
    expect(peekKitPacketKind(new Uint8Array([0x44]))).toBeNull();
    expect(peekKitPacketKind(new Uint8Array())).toBeNull();
  });

  it("follows the documented layout: a fixed record, no keys", () => {
    const bytes = encodeStateChannelPacket(stream);
    expect(documentedPackr().unpack(bytes)).toMatchObject({
      stream: 0xbeef,
      seq: 1000,
      tick: 2000,
      hz: 60,
    });
    expect(new TextDecoder().decode(bytes)).not.toContain("seq");
    // 1 record id, 3 tag, 3 seq, 3 tick, 1 hz, 2 bin header, 8 data.
    expect(bytes).toHaveLength(21);
  });

  it("decodes any packet alone and in any order in a decoder that has seen nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyStatePacket, { minLength: 1, maxLength: 30 }),
        fc.func(fc.integer()),
        async (packets, rank) => {
          const encoded = packets.map((packet) => encodeStateChannelPacket(packet));
          const expected = encoded.map((bytes) => decodeStateChannelPacket(bytes));
          vi.resetModules();
          const fresh = await import("../../game/kit/wire/state-channel.ts");
          const order = [...encoded.keys()].sort((a, b) => rank(a) - rank(b)).slice(1);
          for (const index of order) {
            const bytes = encoded[index] ?? new Uint8Array();
            expect(fresh.decodeStateChannelPacket(bytes)).toEqual(expected[index]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("never exceeds the documented sizes: stream 218, ping 15, pong 33 bytes", () => {
    const widest: StreamPacket = {
      ...stream,
      stream: MAX_TAG,
      seq: MAX_COUNTER,
      tick: MAX_COUNTER,
      hz: MAX_HZ,
      data: new Uint8Array(MAX_STREAM_DATA_BYTES),
    };
    expect(encodeStateChannelPacket(widest)).toHaveLength(218);
    expect(MAX_STATE_CHANNEL_BYTES).toBe(218);
    expect(encodeStateChannelPacket({ ...ping, id: MAX_COUNTER })).toHaveLength(15);
    expect(encodeStateChannelPacket({ ...pong, id: MAX_COUNTER })).toHaveLength(33);
    fc.assert(
      fc.property(anyStatePacket, (packet) => {
        const limit = { stream: 218, ping: 15, pong: 33 }[packet.kind];
        expect(encodeStateChannelPacket(packet).length).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it.each([
    ["a negative seq", { ...stream, seq: -1 }],
    ["a fractional tick", { ...stream, tick: 2.5 }],
    ["a seq past uint32", { ...stream, seq: MAX_COUNTER + 1 }],
    ["hz 0", { ...stream, hz: 0 }],
    ["hz past 255", { ...stream, hz: 256 }],
    ["a fractional hz", { ...stream, hz: 29.97 }],
    ["a tag past u16", { ...stream, stream: MAX_TAG + 1 }],
    ["data over 200 bytes", { ...stream, data: new Uint8Array(MAX_STREAM_DATA_BYTES + 1) }],
    ["a NaN ping time", { ...ping, sentAt: Number.NaN }],
    ["an infinite pong time", { ...pong, receivedAt: Number.POSITIVE_INFINITY }],
  ])("refuses to encode %s (a RangeError, not a silent wrap)", (_label, packet) => {
    expect(() => encodeStateChannelPacket(packet)).toThrow(RangeError);
  });

  it("refuses to encode an action with a bad tag or over 8 KiB", () => {
    expect(() => encodeActionPacket({ ...action, action: -1 })).toThrow(RangeError);
    const body = new Uint8Array(MAX_ACTION_BYTES);
    expect(() => encodeActionPacket({ ...action, body })).toThrow(RangeError);
    const fits = new Uint8Array(MAX_ACTION_BYTES - 7);
    expect(encodeActionPacket({ ...action, body: fits })).toHaveLength(MAX_ACTION_BYTES);
  });

  it("copies each packet out of msgpackr's reused buffer", () => {
    const first = encodeStateChannelPacket(stream);
    const snapshot = [...first];
    encodeStateChannelPacket({ ...stream, seq: 1, data: new Uint8Array([9]) });
    expect([...first]).toEqual(snapshot);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.length);
  });

  it("does not learn structures at run time: other shapes do not change later packets", () => {
    const before = encodeStateChannelPacket(stream);
    new Packr().pack({ unrelated: true });
    documentedPackr().pack({ seq: 1, other: 2 });
    expect(encodeStateChannelPacket(stream)).toEqual(before);
  });

  it("still decodes good packets after junk that redefines a record inline", () => {
    const good = encodeStateChannelPacket(stream);
    const goodAction = encodeActionPacket(action);
    // d4 72 40: msgpackr's inline definition of record 0x40, here as ["evil"], then a value.
    const redefining = Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa4, 0x65, 0x76, 0x69, 0x6c, 1]);
    const nested = Uint8Array.from([0x40, ...redefining]);
    const nestedAction = Uint8Array.from([0x43, 0xd4, 0x72, 0x43, 0x91, 0xa1, 0x65, 1]);
    expect(decodeStateChannelPacket(redefining)).toEqual({ ok: false, reason: "junk" });
    expect(decodeStateChannelPacket(nested)).toEqual({ ok: false, reason: "junk" });
    expect(decodeActionPacket(nestedAction)).toEqual({ ok: false, reason: "junk" });
    expect(decodeStateChannelPacket(good)).toEqual({ ok: true, packet: stream });
    expect(decodeActionPacket(goodAction)).toEqual({ ok: true, packet: action });
  });

  const packr = documentedPackr();
  const fields = { stream: 1, seq: 1, tick: 2, hz: 60, data: Uint8Array.from([1]) };
  it.each([
    ["empty", new Uint8Array(), "junk"],
    ["one unknown kind byte", Uint8Array.from([0x44]), "junk"],
    ["an action packet", encodeActionPacket(action), "junk"],
    ["random bytes", Uint8Array.from([0xc1, 0xff, 0x00, 0x13]), "junk"],
    ["a msgpack string", new Packr().pack("hello"), "junk"],
    ["a plain map with the right keys", new Packr({ useRecords: false }).pack(fields), "junk"],
    ["a truncated stream packet", encodeStateChannelPacket(stream).slice(0, 6), "junk"],
    ["trailing bytes", Uint8Array.from([...encodeStateChannelPacket(stream), 0]), "junk"],
    ["an oversized packet", new Uint8Array(MAX_STATE_CHANNEL_BYTES + 1).fill(0x40), "too-large"],
    ["a tag past u16", packr.pack({ ...fields, stream: MAX_TAG + 1 }), "junk"],
    ["a negative seq", packr.pack({ ...fields, seq: -1 }), "junk"],
    ["a seq past uint32", packr.pack({ ...fields, seq: 2 ** 32 }), "junk"],
    ["a string tick", packr.pack({ ...fields, tick: "2" }), "junk"],
    ["hz 0", packr.pack({ ...fields, hz: 0 }), "junk"],
    ["data as a string", packr.pack({ ...fields, data: "abc" }), "junk"],
    ["data of 201 bytes", packr.pack({ ...fields, data: new Uint8Array(201) }), "junk"],
    ["a ping with a NaN time", packr.pack({ id: 1, sentAt: Number.NaN }), "junk"],
    ["a pong with a missing time", packr.pack({ id: 1, pingSentAt: 1, receivedAt: 2 }), "junk"],
  ])("drops %s from the state channel", (_label, bytes, reason) => {
    expect(decodeStateChannelPacket(bytes)).toEqual({ ok: false, reason });
  });

  it.each([
    ["a stream packet", encodeStateChannelPacket(stream), "junk"],
    ["an oversized packet", new Uint8Array(MAX_ACTION_BYTES + 1).fill(0x43), "too-large"],
    ["a tag past u16", packr.pack({ action: MAX_TAG + 1, body: new Uint8Array() }), "junk"],
    ["a string body", packr.pack({ action: 1, body: "abc" }), "junk"],
    ["a plain msgpack map", new Packr({ useRecords: false }).pack({ v: 4, event: {} }), "junk"],
  ])("drops %s from the events channel", (_label, bytes, reason) => {
    expect(decodeActionPacket(bytes)).toEqual({ ok: false, reason });
  });

  it("never throws on arbitrary bytes, and decodes only well-formed packets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const decoded = decodeStateChannelPacket(bytes);
        if (decoded.ok) {
          const again = decodeStateChannelPacket(encodeStateChannelPacket(decoded.packet));
          expect(again).toEqual(decoded);
        }
        expect(() => decodeActionPacket(bytes)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(0x40, 0x41, 0x42, 0x43),
        fc.uint8Array({ maxLength: 40 }),
        (first, tail) => {
          const bytes = Uint8Array.from([first, ...tail]);
          expect(() => decodeStateChannelPacket(bytes)).not.toThrow();
          expect(() => decodeActionPacket(bytes)).not.toThrow();
        },
      ),
    );
  });
});
