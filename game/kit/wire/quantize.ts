/**
 * Fixed-point quantization: a value travels as the nearest whole number of steps, so it fits a
 * small integer instead of a 9-byte float64.
 *
 * Steps are powers of two, so `value * scale` is exact in float64 and the only error is the
 * rounding: at most half a step. Values outside the range are clamped to its ends, never
 * wrapped; decoders reject integers outside the range (no honest sender makes them).
 */

/** Steps per world unit for positions: 1/16 unit, a 16th of a pixel at native size. */
const POSITION_SCALE = 16;
/** Steps per unit/s for velocities: over a 150 ms extrapolation, under 0.01 unit of drift. */
const VELOCITY_SCALE = 8;

export interface Quantizer {
  /** Steps per unit (a power of two). */
  readonly scale: number;
  readonly min: number;
  readonly max: number;
}

/** Positions in [0, extent] at 1/16 unit. `extent` × 16 must be a whole number of steps. */
export function positionQuantizer(extent: number): Quantizer {
  return quantizer(POSITION_SCALE, 0, extent, "extent");
}

/** Velocities in [-maxSpeed, maxSpeed] at 1/8 unit/s. `maxSpeed` × 8 must be whole. */
export function velocityQuantizer(maxSpeed: number): Quantizer {
  return quantizer(VELOCITY_SCALE, -maxSpeed, maxSpeed, "maxSpeed");
}

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

/** Ranges up to 2³¹ steps each side, so every step count fits an int32. */
const MAX_STEPS = 0x7fff_ffff;

function quantizer(scale: number, min: number, max: number, name: string): Quantizer {
  const steps = max * scale;
  if (!(max > 0) || !Number.isInteger(steps) || steps > MAX_STEPS) {
    throw new RangeError(`${name} must be positive, a whole number of 1/${scale} steps, ≤ 2³¹`);
  }
  return { scale, min, max };
}
