import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { decodeState, encodeState, type StatePacket } from "../../shared/wire.ts";

const sample: StatePacket = { seq: 41, tick: 1234, x: 480.25, y: 270.5, vx: -180, vy: 0 };

describe("state packet codec", () => {
  it("round-trips a state packet", () => {
    expect(decodeState(encodeState(sample))).toEqual(sample);
  });

  it("round-trips extreme but valid values", () => {
    const extreme: StatePacket = {
      seq: Number.MAX_SAFE_INTEGER,
      tick: 0,
      x: -1e9,
      y: 1e-9,
      vx: 0.1,
      vy: -0.5,
    };
    expect(decodeState(encodeState(extreme))).toEqual(extreme);
  });

  it("is smaller than the same packet as JSON", () => {
    const bytes = encodeState(sample).length;
    expect(bytes).toBeLessThan(JSON.stringify(sample).length);
  });

  it("decodes every packet on its own, in any order (no sequential structures)", () => {
    const packets = Array.from({ length: 50 }, (_, i) => ({ ...sample, seq: i, x: i * 3 }));
    const encoded = packets.map(encodeState);
    const order = [...encoded.keys()].reverse().filter((i) => i % 3 !== 0);
    for (const i of order) expect(decodeState(encoded[i] ?? new Uint8Array()))?.toEqual(packets[i]);
  });

  it("does not learn new structures at run time: other shapes do not change later packets", () => {
    const before = encodeState(sample);
    new Packr().pack({ unrelated: true });
    expect(encodeState(sample)).toEqual(before);
  });

  it.each([
    ["empty", new Uint8Array()],
    ["random bytes", new Uint8Array([0xc1, 0xff, 0x00, 0x13])],
    ["a msgpack string", new Packr().pack("hello")],
    ["a map missing fields", new Packr({ useRecords: false }).pack({ seq: 1, tick: 2 })],
    ["non-finite numbers", new Packr({ useRecords: false }).pack({ ...sample, x: Number.NaN })],
    [
      "a fractional sequence number",
      new Packr({ useRecords: false }).pack({ ...sample, seq: 1.5 }),
    ],
    ["a truncated packet", encodeState(sample).slice(0, 6)],
  ])("rejects %s", (_label, bytes) => {
    expect(decodeState(bytes)).toBeNull();
  });
});

describe("state packet codec under hostile input", () => {
  it("keeps decoding good packets after one that redefines the state record inline", () => {
    // d4 72 40: msgpackr's inline definition of record 0x40 (as ["evil"]), then a value.
    const hostile = Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa4, 0x65, 0x76, 0x69, 0x6c, 1]);
    expect(decodeState(hostile)).toBeNull();
    const good = encodeState(sample);
    expect(decodeState(good)).toEqual(sample);
  });
});
