/**
 * Position and velocity in a rectangle, the state most games stream: quantized (1/16 unit,
 * 1/8 unit/s, clamped; see quantize.ts) and packed as fixed-width big-endian integers sized
 * to the bounds. For the arena (960x540, ±512 units/s) every field fits 16 bits: 8 bytes of
 * data, against 5-13 for the same integers as a msgpack array (positions past 127 steps take 3
 * bytes each, so a moving avatar costs 13) and with no second msgpack parse per packet.
 *
 * It is also the stream's blend: linear between snapshots, extrapolation along the velocity.
 */
import type { Blend } from "../netcode/blend.ts";
import {
  dequantize,
  isInRangeSteps,
  positionQuantizer,
  type Quantizer,
  quantize,
  velocityQuantizer,
} from "./quantize.ts";
import type { StreamCodec } from "./stream-codec.ts";

export interface Motion {
  readonly x: number;
  readonly y: number;
  /** Units per second. */
  readonly vx: number;
  readonly vy: number;
}

export interface MotionCodecOptions {
  /** The rectangle positions stay in, from (0, 0); width and height × 16 must be whole. */
  readonly bounds: { readonly width: number; readonly height: number };
  /** Fastest speed carried on each axis, units/s (× 8 must be whole); faster is clamped. */
  readonly maxSpeed: number;
}

/** One integer field of the layout: its quantizer, and where and how wide it is. */
interface Field {
  readonly quantizer: Quantizer;
  readonly signed: boolean;
  readonly offset: number;
  readonly bytes: 1 | 2 | 4;
}

export function motionCodec(options: MotionCodecOptions): StreamCodec<Motion> & Blend<Motion> {
  const { bounds, maxSpeed } = options;
  const x = field(positionQuantizer(bounds.width), false, 0);
  const y = field(positionQuantizer(bounds.height), false, end(x));
  const vx = field(velocityQuantizer(maxSpeed), true, end(y));
  const vy = field(velocityQuantizer(maxSpeed), true, end(vx));
  const length = end(vy);
  return {
    id: `motion:${bounds.width}x${bounds.height}:${maxSpeed}`,
    encode: (motion) => {
      const bytes = new Uint8Array(length);
      const view = new DataView(bytes.buffer);
      put(view, x, motion.x);
      put(view, y, motion.y);
      put(view, vx, motion.vx);
      put(view, vy, motion.vy);
      return bytes;
    },
    decode: (bytes) => {
      if (bytes.length !== length) return null;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const px = take(view, x);
      const py = take(view, y);
      const pvx = take(view, vx);
      const pvy = take(view, vy);
      if (px === null || py === null || pvx === null || pvy === null) return null;
      return { x: px, y: py, vx: pvx, vy: pvy };
    },
    between: (a, b, t) => ({
      x: lerp(a.x, b.x, t),
      y: lerp(a.y, b.y, t),
      vx: lerp(a.vx, b.vx, t),
      vy: lerp(a.vy, b.vy, t),
    }),
    beyond: (last, ms) => {
      const seconds = ms / 1000;
      return {
        x: last.x + last.vx * seconds,
        y: last.y + last.vy * seconds,
        vx: last.vx,
        vy: last.vy,
      };
    },
  };
}

/** The narrowest of 1, 2 or 4 bytes that holds every step count of the range. */
function field(quantizer: Quantizer, signed: boolean, offset: number): Field {
  const largest = Math.max(-quantizer.min, quantizer.max) * quantizer.scale;
  const fits = (bits: number): boolean => largest < 2 ** (signed ? bits - 1 : bits);
  return { quantizer, signed, offset, bytes: fits(8) ? 1 : fits(16) ? 2 : 4 };
}

function end(f: Field): number {
  return f.offset + f.bytes;
}

function put(view: DataView, f: Field, value: number): void {
  const steps = quantize(f.quantizer, value);
  if (f.signed) {
    if (f.bytes === 1) view.setInt8(f.offset, steps);
    else if (f.bytes === 2) view.setInt16(f.offset, steps);
    else view.setInt32(f.offset, steps);
  } else if (f.bytes === 1) view.setUint8(f.offset, steps);
  else if (f.bytes === 2) view.setUint16(f.offset, steps);
  else view.setUint32(f.offset, steps);
}

/** The field's value, or null when its steps are outside the range (no honest sender). */
function take(view: DataView, f: Field): number | null {
  const steps = readSteps(view, f);
  return isInRangeSteps(f.quantizer, steps) ? dequantize(f.quantizer, steps) : null;
}

function readSteps(view: DataView, f: Field): number {
  switch (f.bytes) {
    case 1:
      return f.signed ? view.getInt8(f.offset) : view.getUint8(f.offset);
    case 2:
      return f.signed ? view.getInt16(f.offset) : view.getUint16(f.offset);
    case 4:
      return f.signed ? view.getInt32(f.offset) : view.getUint32(f.offset);
  }
}

function lerp(from: number, to: number, fraction: number): number {
  return from + (to - from) * fraction;
}
