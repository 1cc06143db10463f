import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxError, positionQuantizer, velocityQuantizer } from "../../game/kit/wire/quantize.ts";
import { type Motion, motionCodec, msgpackCodec } from "../../game/kit/wire/stream-codec.ts";
import { isRecord } from "../../shared/guards.ts";

const arena = motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 512 });
const motion = fc.record({
  x: fc.double({ min: 0, max: 960, noNaN: true }),
  y: fc.double({ min: 0, max: 540, noNaN: true }),
  vx: fc.double({ min: -512, max: 512, noNaN: true }),
  vy: fc.double({ min: -512, max: 512, noNaN: true }),
});

describe("motion codec", () => {
  it("names its format after the bounds and speed", () => {
    expect(arena.id).toBe("motion:960x540:512");
  });

  it("packs the arena's motion in 8 bytes: four 16-bit fields", () => {
    fc.assert(
      fc.property(motion, (value) => {
        expect(arena.encode(value)).toHaveLength(8);
      }),
    );
  });

  it("round-trips any in-range motion within half a step", () => {
    const position = maxError(positionQuantizer(960));
    const velocity = maxError(velocityQuantizer(512));
    fc.assert(
      fc.property(motion, (value) => {
        const decoded = arena.decode(arena.encode(value));
        if (decoded === null) throw new Error("did not decode");
        expect(Math.abs(decoded.x - value.x)).toBeLessThanOrEqual(position);
        expect(Math.abs(decoded.y - value.y)).toBeLessThanOrEqual(position);
        expect(Math.abs(decoded.vx - value.vx)).toBeLessThanOrEqual(velocity);
        expect(Math.abs(decoded.vy - value.vy)).toBeLessThanOrEqual(velocity);
      }),
    );
  });

  it("gives exact values for whole steps, and clamps the rest into range", () => {
    const exact = { x: 480.0625, y: 270.125, vx: -180.125, vy: 0 };
    expect(arena.decode(arena.encode(exact))).toEqual(exact);
    const wild = { x: -40, y: 9000, vx: 1e6, vy: Number.NEGATIVE_INFINITY };
    expect(arena.decode(arena.encode(wild))).toEqual({ x: 0, y: 540, vx: 512, vy: -512 });
    expect(arena.decode(arena.encode({ ...exact, vx: Number.NaN }))?.vx).toBe(0);
  });

  it("sizes each field to its range: 1, 2 or 4 bytes", () => {
    const small = motionCodec({ bounds: { width: 10, height: 15 }, maxSpeed: 15 });
    expect(small.encode({ x: 10, y: 15, vx: -15, vy: 15 })).toHaveLength(4);
    const large = motionCodec({ bounds: { width: 5000, height: 100 }, maxSpeed: 5000 });
    const value = { x: 4999.5, y: 99.5, vx: -4999.875, vy: 4999.875 };
    expect(large.encode(value)).toHaveLength(4 + 2 + 4 + 4);
    expect(large.decode(large.encode(value))).toEqual(value);
    expect(small.decode(small.encode({ x: 10, y: 15, vx: -15, vy: 15 }))).toEqual({
      x: 10,
      y: 15,
      vx: -15,
      vy: 15,
    });
  });

  it("refuses bounds that are not a whole number of steps", () => {
    expect(() => motionCodec({ bounds: { width: 0, height: 540 }, maxSpeed: 512 })).toThrow(
      RangeError,
    );
    expect(() => motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 0.01 })).toThrow(
      RangeError,
    );
  });

  it("decodes from a view into a larger buffer", () => {
    const bytes = arena.encode({ x: 1, y: 2, vx: 3, vy: 4 });
    const view = Uint8Array.from([9, 9, 9, ...bytes, 9]).subarray(3, 3 + bytes.length);
    expect(arena.decode(view)).toEqual({ x: 1, y: 2, vx: 3, vy: 4 });
  });

  it.each([
    ["empty", new Uint8Array()],
    ["one byte short", new Uint8Array(7)],
    ["one byte long", new Uint8Array(9)],
    ["x past the bounds", Uint8Array.from([0xff, 0xff, 0, 0, 0, 0, 0, 0])],
    ["a velocity past the speed", Uint8Array.from([0, 0, 0, 0, 0x7f, 0xff, 0, 0])],
  ])("returns null for %s", (_label, bytes) => {
    expect(arena.decode(bytes)).toBeNull();
  });

  it("never throws on arbitrary bytes, and whatever decodes re-encodes the same", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        const decoded = arena.decode(bytes);
        if (decoded !== null) expect([...arena.encode(decoded)]).toEqual([...bytes]);
      }),
    );
  });

  it("blends linearly between two values", () => {
    const a: Motion = { x: 0, y: 100, vx: 60, vy: 0 };
    const b: Motion = { x: 10, y: 90, vx: 120, vy: -30 };
    expect(arena.between(a, b, 0.5)).toEqual({ x: 5, y: 95, vx: 90, vy: -15 });
    expect(arena.between(a, b, 0)).toEqual(a);
    expect(arena.between(a, b, 1)).toEqual(b);
  });

  it("extrapolates along the velocity", () => {
    const last: Motion = { x: 30, y: 90, vx: 240, vy: -100 };
    expect(arena.beyond?.(last, 50)).toEqual({ x: 42, y: 85, vx: 240, vy: -100 });
  });
});

interface Score {
  readonly points: number;
  readonly name: string;
}

const isScore = (value: unknown): Score | null => {
  if (!isRecord(value)) return null;
  const { points, name } = value;
  return typeof points === "number" && typeof name === "string" ? { points, name } : null;
};

describe("msgpack codec", () => {
  const scores = msgpackCodec("score:1", isScore);

  it("round-trips what its check accepts, under its own id", () => {
    expect(scores.id).toBe("msgpack:score:1");
    const value = { points: 3, name: "Ada" };
    expect(scores.decode(scores.encode(value))).toEqual(value);
  });

  it("returns null for junk, for what the check refuses, and when the check throws", () => {
    expect(scores.decode(Uint8Array.from([0xc1]))).toBeNull();
    expect(scores.decode(new Uint8Array())).toBeNull();
    expect(scores.decode(msgpackCodec("x", (v) => v).encode({ points: "3" }))).toBeNull();
    const throwing = msgpackCodec("t", () => {
      throw new Error("bug");
    });
    expect(throwing.decode(scores.encode({ points: 1, name: "a" }))).toBeNull();
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(() => scores.decode(bytes)).not.toThrow();
      }),
    );
  });

  it("keeps nothing from an inline record definition in junk", () => {
    const good = scores.encode({ points: 64, name: "@" });
    // d4 72 40: an inline definition of record 0x40, used at once.
    const redefining = Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa4, 0x65, 0x76, 0x69, 0x6c, 1]);
    expect(scores.decode(redefining)).toBeNull();
    expect(scores.decode(good)).toEqual({ points: 64, name: "@" });
  });
});
