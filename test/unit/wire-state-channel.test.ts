import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it, vi } from "vitest";
import { maxError, POSITION_X, VELOCITY } from "../../game/kit/wire/quantize.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  MAX_COUNTER,
  MAX_STATE_CHANNEL_BYTES,
  type PingPacket,
  type PongPacket,
  peekStateChannelKind,
  recordIdOf,
  type StatePacket,
} from "../../game/kit/wire/state-channel.ts";

/** The documented layout: what another implementation would configure. */
const DOCUMENTED_STRUCTURES = [
  ["seq", "tick", "x", "y", "vx", "vy"],
  ["id", "sentAt"],
  ["id", "pingSentAt", "receivedAt", "sentAt"],
];

const state: StatePacket = {
  kind: "state",
  seq: 1000,
  tick: 2000,
  x: 480.0625,
  y: 270.125,
  vx: -180.125,
  vy: 0,
};
const ping: PingPacket = { kind: "ping", id: 7, sentAt: 123_456.789 };
const pong: PongPacket = {
  kind: "pong",
  id: 7,
  pingSentAt: 123_456.789,
  receivedAt: 99_001.5,
  sentAt: 99_001.75,
};

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
const statePacket = fc.record({
  kind: fc.constant("state" as const),
  seq: counter,
  tick: counter,
  x: fc.double({ min: 0, max: 960, noNaN: true }),
  y: fc.double({ min: 0, max: 540, noNaN: true }),
  vx: fc.double({ min: -512, max: 512, noNaN: true }),
  vy: fc.double({ min: -512, max: 512, noNaN: true }),
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

/** The shortest JSON carrying the same information: the packet after quantization. */
function jsonBytes(packet: StatePacket): number {
  const { seq, tick, x, y, vx, vy } = packet;
  return new TextEncoder().encode(JSON.stringify({ seq, tick, x, y, vx, vy })).length;
}

describe("state channel codec", () => {
  it.each([state, ping, pong])("round-trips a $kind packet", (packet) => {
    expect(decodeStateChannelPacket(encodeStateChannelPacket(packet))).toEqual(packet);
  });

  it("round-trips any state packet within the quantization bounds; counters exactly", () => {
    fc.assert(
      fc.property(statePacket, (packet) => {
        const decoded = decodeStateChannelPacket(encodeStateChannelPacket(packet));
        if (decoded?.kind !== "state") throw new Error("not decoded as a state packet");
        expect([decoded.seq, decoded.tick]).toEqual([packet.seq, packet.tick]);
        for (const axis of ["x", "y"] as const) {
          expect(Math.abs(decoded[axis] - packet[axis])).toBeLessThanOrEqual(maxError(POSITION_X));
        }
        for (const axis of ["vx", "vy"] as const) {
          expect(Math.abs(decoded[axis] - packet[axis])).toBeLessThanOrEqual(maxError(VELOCITY));
        }
      }),
    );
  });

  it("round-trips any ping and pong exactly", () => {
    fc.assert(
      fc.property(fc.oneof(pingPacket, pongPacket), (packet) => {
        expect(decodeStateChannelPacket(encodeStateChannelPacket(packet))).toEqual(packet);
      }),
    );
  });

  it("tells the kinds apart by the first byte: 0x40 state, 0x41 ping, 0x42 pong", () => {
    expect([recordIdOf("state"), recordIdOf("ping"), recordIdOf("pong")]).toEqual([
      0x40, 0x41, 0x42,
    ]);
    for (const packet of [state, ping, pong]) {
      const bytes = encodeStateChannelPacket(packet);
      expect(bytes[0]).toBe(recordIdOf(packet.kind));
      expect(peekStateChannelKind(bytes)).toBe(packet.kind);
    }
    expect(peekStateChannelKind(new Uint8Array([0x43]))).toBeNull();
    expect(peekStateChannelKind(new Uint8Array())).toBeNull();
  });

  it("follows the documented layout: quantized integers in a fixed record, no keys", () => {
    const bytes = encodeStateChannelPacket(state);
    expect(documentedPackr().unpack(bytes)).toEqual({
      seq: 1000,
      tick: 2000,
      x: 480.0625 * 16,
      y: 270.125 * 16,
      vx: -180.125 * 8,
      vy: 0,
    });
    expect(new TextDecoder().decode(bytes)).not.toContain("seq");
  });

  it("decodes any packet alone and in any order in a decoder that has seen nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(statePacket, pingPacket, pongPacket), { minLength: 1, maxLength: 30 }),
        fc.func(fc.integer()),
        async (packets, rank) => {
          const encoded = packets.map((packet) => encodeStateChannelPacket(packet));
          const expected = encoded.map((bytes) => decodeStateChannelPacket(bytes));
          vi.resetModules();
          const fresh = await import("../../game/kit/wire/state-channel.ts");
          const order = [...encoded.keys()].sort((a, b) => rank(a) - rank(b)).slice(1);
          for (const index of order) {
            expect(fresh.decodeStateChannelPacket(encoded[index] ?? new Uint8Array())).toEqual(
              expected[index],
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("keeps state packets at or under half the size of the same packet as JSON", () => {
    fc.assert(
      fc.property(statePacket, (packet) => {
        const bytes = encodeStateChannelPacket(packet);
        const decoded = decodeStateChannelPacket(bytes);
        if (decoded?.kind !== "state") throw new Error("not decoded as a state packet");
        expect(bytes.length).toBeLessThanOrEqual(jsonBytes(decoded) / 2);
      }),
    );
  });

  it("never exceeds the documented sizes: state 23, ping 15, pong 33 bytes", () => {
    const largest = { seq: MAX_COUNTER, tick: MAX_COUNTER };
    const extremeState = { ...state, ...largest, x: 959.9375, y: 539.9375, vx: -511.875, vy: 300 };
    expect(encodeStateChannelPacket(extremeState)).toHaveLength(23);
    expect(encodeStateChannelPacket({ ...ping, id: MAX_COUNTER })).toHaveLength(15);
    expect(encodeStateChannelPacket({ ...pong, id: MAX_COUNTER })).toHaveLength(33);
    fc.assert(
      fc.property(fc.oneof(statePacket, pingPacket, pongPacket), (packet) => {
        const limit = { state: 23, ping: 15, pong: 33 }[packet.kind];
        expect(encodeStateChannelPacket(packet).length).toBeLessThanOrEqual(limit);
      }),
    );
    expect(MAX_STATE_CHANNEL_BYTES).toBeGreaterThanOrEqual(33);
  });

  it("clamps out-of-range positions and velocities when encoding", () => {
    const wild = { ...state, x: -40, y: 9000, vx: 1e6, vy: Number.NEGATIVE_INFINITY };
    expect(decodeStateChannelPacket(encodeStateChannelPacket(wild))).toEqual({
      ...state,
      x: 0,
      y: 540,
      vx: 512,
      vy: -512,
    });
  });

  it.each([
    ["a negative seq", { ...state, seq: -1 }],
    ["a fractional tick", { ...state, tick: 2.5 }],
    ["a seq past uint32", { ...state, seq: MAX_COUNTER + 1 }],
    ["a NaN ping time", { ...ping, sentAt: Number.NaN }],
    ["an infinite pong time", { ...pong, receivedAt: Number.POSITIVE_INFINITY }],
  ])("refuses to encode %s (a RangeError, not a silent wrap)", (_label, packet) => {
    expect(() => encodeStateChannelPacket(packet)).toThrow(RangeError);
  });

  it("copies each packet out of msgpackr's reused buffer", () => {
    const first = encodeStateChannelPacket(state);
    const snapshot = [...first];
    encodeStateChannelPacket({ ...state, seq: 1, x: 1 });
    expect([...first]).toEqual(snapshot);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.length);
  });

  it("does not learn structures at run time: other shapes do not change later packets", () => {
    const before = encodeStateChannelPacket(state);
    new Packr().pack({ unrelated: true });
    documentedPackr().pack({ seq: 1, other: 2 });
    expect(encodeStateChannelPacket(state)).toEqual(before);
  });

  it("still decodes good packets after junk that redefines a record inline", () => {
    const good = encodeStateChannelPacket(state);
    // d4 72 40: msgpackr's inline definition of record 0x40, here as ["evil"], then a value.
    const redefining = Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa4, 0x65, 0x76, 0x69, 0x6c, 1]);
    const nested = Uint8Array.from([0x40, ...redefining]);
    expect(decodeStateChannelPacket(redefining)).toBeNull();
    expect(decodeStateChannelPacket(nested)).toBeNull();
    expect(decodeStateChannelPacket(good)).toEqual(state);
  });

  const packr = documentedPackr();
  const validSteps = { seq: 1, tick: 2, x: 16, y: 16, vx: 0, vy: 0 };
  it.each([
    ["empty", new Uint8Array()],
    ["one unknown kind byte", Uint8Array.from([0x43])],
    ["random bytes", Uint8Array.from([0xc1, 0xff, 0x00, 0x13])],
    ["a msgpack string", new Packr().pack("hello")],
    ["a plain map with the right keys but no record", new Packr({ useRecords: false }).pack(state)],
    ["a truncated state packet", encodeStateChannelPacket(state).slice(0, 6)],
    [
      "a state packet with trailing bytes",
      Uint8Array.from([...encodeStateChannelPacket(state), 0]),
    ],
    ["an oversized packet", new Uint8Array(MAX_STATE_CHANNEL_BYTES + 1).fill(0x40)],
    ["x one step past the arena", packr.pack({ ...validSteps, x: 960 * 16 + 1 })],
    ["y below zero", packr.pack({ ...validSteps, y: -1 })],
    ["a velocity past the limit", packr.pack({ ...validSteps, vx: 512 * 8 + 1 })],
    ["a fractional position", packr.pack({ ...validSteps, x: 16.5 })],
    ["a negative seq", packr.pack({ ...validSteps, seq: -1 })],
    ["a seq past uint32", packr.pack({ ...validSteps, seq: 2 ** 32 })],
    ["a string tick", packr.pack({ ...validSteps, tick: "2" })],
    ["a ping with a NaN time", packr.pack({ id: 1, sentAt: Number.NaN })],
    ["a pong with a missing time", packr.pack({ id: 1, pingSentAt: 1, receivedAt: 2 })],
  ])("rejects %s", (_label, bytes) => {
    expect(decodeStateChannelPacket(bytes)).toBeNull();
  });

  it("never throws on arbitrary bytes, and decodes only well-formed packets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const decoded = decodeStateChannelPacket(bytes);
        if (decoded !== null) {
          expect(decodeStateChannelPacket(encodeStateChannelPacket(decoded))).toEqual(decoded);
        }
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (tail) => {
        expect(() => decodeStateChannelPacket(Uint8Array.from([0x40, ...tail]))).not.toThrow();
      }),
    );
    expect(decodeStateChannelPacket(encodeStateChannelPacket(state))).toEqual(state);
  });
});
