/**
 * Fixed-point quantization for the state channel: a value travels as the nearest whole number
 * of steps, so msgpack sends a 1-3 byte integer instead of a 9-byte float64.
 *
 * Steps are powers of two, so `value * scale` is exact in float64 and the only error is the
 * rounding: at most half a step. Values outside the range are clamped to its ends, never
 * wrapped; decoders reject integers outside the range (no honest sender makes them).
 */

/** The play field the wire format covers, in world units. The game's arena must fit inside. */
export const WORLD_WIDTH = 960;
export const WORLD_HEIGHT = 540;
/**
 * Fastest speed the wire carries on each axis, in world units per second: about twice the
 * game's top speed (260), so a faster mode needs no new format. Velocity only steers short
 * extrapolation, so its range costs nothing in position accuracy.
 */
export const MAX_WIRE_SPEED = 512;

export interface Quantizer {
  /** Steps per world unit (a power of two). */
  readonly scale: number;
  readonly min: number;
  readonly max: number;
}

/** 1/16 world unit: a 16th of a pixel at the arena's native 960x540. */
export const POSITION_X: Quantizer = { scale: 16, min: 0, max: WORLD_WIDTH };
export const POSITION_Y: Quantizer = { scale: 16, min: 0, max: WORLD_HEIGHT };
/** 1/8 unit/s: over the longest extrapolation (150 ms) that is under 0.01 unit of drift. */
export const VELOCITY: Quantizer = { scale: 8, min: -MAX_WIRE_SPEED, max: MAX_WIRE_SPEED };

/** Largest |decoded - original| for any value inside the range: half a step. */
export function maxError(quantizer: Quantizer): number {
  return 0.5 / quantizer.scale;
}

/** Whole steps for `value`, clamped into the range. NaN (a simulation bug) is sent as 0. */
export function quantize(quantizer: Quantizer, value: number): number {
  const finiteOrInfinite = Number.isNaN(value) ? 0 : value;
  const clamped = Math.min(quantizer.max, Math.max(quantizer.min, finiteOrInfinite));
  const steps = Math.round(clamped * quantizer.scale);
  // Math.round(-0.4) is -0; keep the wire free of negative zero.
  return steps === 0 ? 0 : steps;
}

export function dequantize(quantizer: Quantizer, steps: number): number {
  return steps / quantizer.scale;
}

/** Whether a decoded value is a whole number of steps inside the range. */
export function isInRangeSteps(quantizer: Quantizer, steps: unknown): steps is number {
  return (
    typeof steps === "number" &&
    Number.isInteger(steps) &&
    steps >= quantizer.min * quantizer.scale &&
    steps <= quantizer.max * quantizer.scale
  );
}
