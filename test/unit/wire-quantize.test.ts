import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dequantize,
  isInRangeSteps,
  maxError,
  positionQuantizer,
  type Quantizer,
  quantize,
  velocityQuantizer,
} from "../../game/kit/wire/quantize.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../../game/sim/arena.ts";
import { MAX_SPEED } from "../../game/sim/avatar.ts";

/** The arena's avatar stream: its field and twice its top speed (game/session/avatar-stream.ts). */
const POSITION_X = positionQuantizer(ARENA_WIDTH);
const POSITION_Y = positionQuantizer(ARENA_HEIGHT);
const VELOCITY = velocityQuantizer(2 * MAX_SPEED);

const quantizers: [string, Quantizer][] = [
  ["x", POSITION_X],
  ["y", POSITION_Y],
  ["velocity", VELOCITY],
];

const roundTrip = (q: Quantizer, value: number): number => dequantize(q, quantize(q, value));

describe("quantization", () => {
  it("uses 1/16 unit for positions and 1/8 unit/s for velocities: errors of 1/32 and 1/16", () => {
    expect(maxError(POSITION_X)).toBe(1 / 32);
    expect(maxError(POSITION_Y)).toBe(1 / 32);
    expect(maxError(VELOCITY)).toBe(1 / 16);
  });

  it.each([
    ["zero", () => positionQuantizer(0)],
    ["a negative extent", () => positionQuantizer(-10)],
    ["a fraction of a step", () => positionQuantizer(10.01)],
    ["NaN", () => velocityQuantizer(Number.NaN)],
    ["more steps than an int32 holds", () => velocityQuantizer(2 ** 31)],
  ])("refuses a range of %s", (_label, make) => {
    expect(make).toThrow(RangeError);
  });

  it("takes any whole number of steps as a range", () => {
    expect(positionQuantizer(0.0625)).toEqual({ scale: 16, min: 0, max: 0.0625 });
    expect(velocityQuantizer(100.125)).toEqual({ scale: 8, min: -100.125, max: 100.125 });
  });

  it.each(quantizers)("keeps every in-range %s within half a step", (_name, q) => {
    fc.assert(
      fc.property(fc.double({ min: q.min, max: q.max, noNaN: true }), (value) => {
        expect(Math.abs(roundTrip(q, value) - value)).toBeLessThanOrEqual(maxError(q));
      }),
    );
  });

  it.each(quantizers)("sends every in-range %s as whole steps inside the range", (_name, q) => {
    fc.assert(
      fc.property(fc.double({ min: q.min, max: q.max, noNaN: true }), (value) => {
        expect(isInRangeSteps(q, quantize(q, value))).toBe(true);
      }),
    );
  });

  it.each(quantizers)("clamps an out-of-range %s to the nearest end, never wraps", (_name, q) => {
    const above = fc.double({ min: q.max, noNaN: true, noDefaultInfinity: false });
    const below = fc.double({ max: q.min, noNaN: true, noDefaultInfinity: false });
    fc.assert(fc.property(above, (value) => roundTrip(q, value) === q.max));
    fc.assert(fc.property(below, (value) => roundTrip(q, value) === q.min));
  });

  it("clamps the named cases exactly", () => {
    expect(roundTrip(POSITION_X, -5)).toBe(0);
    expect(roundTrip(POSITION_X, 1e9)).toBe(960);
    expect(roundTrip(POSITION_Y, Number.POSITIVE_INFINITY)).toBe(540);
    expect(roundTrip(VELOCITY, -1e6)).toBe(-520);
    expect(roundTrip(VELOCITY, Number.NEGATIVE_INFINITY)).toBe(-520);
  });

  it("sends NaN as 0 and never sends negative zero", () => {
    expect(quantize(VELOCITY, Number.NaN)).toBe(0);
    expect(Object.is(quantize(VELOCITY, -0.01), 0)).toBe(true);
    expect(Object.is(quantize(VELOCITY, -0), 0)).toBe(true);
  });

  it("gives exact values for multiples of the step", () => {
    expect(roundTrip(POSITION_X, 480.0625)).toBe(480.0625);
    expect(roundTrip(VELOCITY, -180.125)).toBe(-180.125);
  });

  it.each([
    ["a fraction of a step", 1.5],
    ["one step past the end", 960 * 16 + 1],
    ["one step below the start", -1],
    ["a string", "12"],
    ["NaN", Number.NaN],
    ["null", null],
  ])("rejects %s as decoded steps", (_label, steps) => {
    expect(isInRangeSteps(POSITION_X, steps)).toBe(false);
  });
});
