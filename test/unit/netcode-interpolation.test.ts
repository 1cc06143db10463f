import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Blend } from "../../game/kit/netcode/blend.ts";
import {
  DEFAULT_MAX_EXTRAPOLATION_MS,
  sampleSnapshots,
  type TimedSnapshot,
} from "../../game/kit/netcode/interpolation.ts";
import { type Motion, motionCodec } from "../../game/kit/wire/stream-codec.ts";

const motion = motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 512 });
/** Ticks of 16 ms: a power of two keeps the arithmetic exact, so midpoints compare with toBe. */
const options = { blend: motion, maxExtrapolationMs: 120 };
const at = (
  seq: number,
  tick: number,
  x: number,
  y = 0,
  vx = 0,
  vy = 0,
): TimedSnapshot<Motion> => ({ seq, timeMs: tick * 16, value: { x, y, vx, vy } });
// Ticks 0, 2, 4: times 0, 32, 64 ms.
const snapshots = [at(1, 0, 0, 100, 60, 0), at(2, 2, 10, 90, 120, -30), at(3, 4, 30, 90, 240, 0)];

describe("sampling motion at a render time", () => {
  it("lands exactly on the midpoint between two snapshots", () => {
    expect(sampleSnapshots(snapshots, 16, options)).toEqual({
      value: { x: 5, y: 95, vx: 90, vy: -15 },
      mode: "interpolated",
      baseSeq: 1,
      renderTimeMs: 16,
    });
    expect(sampleSnapshots(snapshots, 48, options)).toMatchObject({
      value: { x: 20, y: 90 },
      baseSeq: 2,
    });
  });

  it("interpolates linearly at any fraction", () => {
    expect(sampleSnapshots(snapshots, 8, options)).toMatchObject({ value: { x: 2.5, y: 97.5 } });
    expect(sampleSnapshots(snapshots, 40, options)).toMatchObject({ value: { x: 15 } });
  });

  it("returns a snapshot itself at its own time", () => {
    expect(sampleSnapshots(snapshots, 32, options)).toMatchObject({
      value: { x: 10, y: 90 },
      baseSeq: 2,
    });
  });

  it("works with times that are not whole ms (60 Hz ticks)", () => {
    const real = snapshots.map((s) => ({ ...s, timeMs: (s.timeMs / 16) * (1000 / 60) }));
    const sample = sampleSnapshots(real, 1000 / 60, options);
    expect(sample?.value.x).toBeCloseTo(5, 10);
    expect(sample?.mode).toBe("interpolated");
  });

  it("interpolates across a gap left by lost packets", () => {
    const withGap = [at(1, 0, 0), at(9, 16, 80)];
    expect(sampleSnapshots(withGap, 128, options)).toMatchObject({
      value: { x: 40 },
      mode: "interpolated",
    });
  });

  it("extrapolates along the newest velocity, up to the bound", () => {
    // Newest at 64 ms: x 30 moving 240 units/s.
    expect(sampleSnapshots(snapshots, 64 + 50, options)).toMatchObject({
      value: { x: 30 + 240 * 0.05, y: 90, vx: 240 },
      mode: "extrapolated",
      baseSeq: 3,
    });
    expect(sampleSnapshots(snapshots, 64 + 120, options)).toMatchObject({
      value: { x: 30 + 240 * 0.12 },
      mode: "extrapolated",
    });
  });

  it("holds where extrapolation stopped once past the bound", () => {
    for (const aheadMs of [121, 500, 60_000]) {
      expect(sampleSnapshots(snapshots, 64 + aheadMs, options)).toEqual({
        value: { x: 30 + 240 * 0.12, y: 90, vx: 240, vy: 0 },
        mode: "held",
        baseSeq: 3,
        renderTimeMs: 64 + aheadMs,
      });
    }
  });

  it("defaults to a bound in the 100-150 ms range", () => {
    expect(DEFAULT_MAX_EXTRAPOLATION_MS).toBeGreaterThanOrEqual(100);
    expect(DEFAULT_MAX_EXTRAPOLATION_MS).toBeLessThanOrEqual(150);
  });

  it("shows the oldest snapshot while the render time is still before it", () => {
    expect(sampleSnapshots(snapshots, -5, options)).toMatchObject({
      value: { x: 0, y: 100 },
      mode: "waiting",
      baseSeq: 1,
    });
  });

  it("takes the newer of two snapshots with the same time", () => {
    const paused = [at(1, 10, 5), at(2, 10, 7), at(3, 12, 9)];
    expect(sampleSnapshots(paused, 160, options)).toMatchObject({ value: { x: 7 }, baseSeq: 2 });
  });

  it("returns null with no snapshots", () => {
    expect(sampleSnapshots([], 0, options)).toBeNull();
  });

  it("always stays between the two snapshots around the render time", () => {
    const positions = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), {
      minLength: 2,
      maxLength: 20,
    });
    fc.assert(
      fc.property(positions, fc.double({ min: 0, max: 1, noNaN: true }), (xs, where) => {
        const list = xs.map((x, i) => at(i + 1, i * 2, x));
        const renderTimeMs = where * (xs.length - 1) * 32;
        const sample = sampleSnapshots(list, renderTimeMs, options);
        const before = list[Math.floor(renderTimeMs / 32)];
        const after = list[Math.ceil(renderTimeMs / 32)];
        if (!sample || !before || !after) throw new Error("expected a sample between snapshots");
        expect(sample.value.x).toBeGreaterThanOrEqual(
          Math.min(before.value.x, after.value.x) - 1e-9,
        );
        expect(sample.value.x).toBeLessThanOrEqual(Math.max(before.value.x, after.value.x) + 1e-9);
      }),
    );
  });
});

/** A heading in degrees, blended the short way round: 350° to 10° passes 0°, not 180°. */
interface Heading {
  readonly degrees: number;
}
const heading: Blend<Heading> = {
  between: (a, b, t) => {
    const turn = ((((b.degrees - a.degrees) % 360) + 540) % 360) - 180;
    return { degrees: (((a.degrees + turn * t) % 360) + 360) % 360 };
  },
};

describe("sampling any type", () => {
  const timed = <T>(seq: number, timeMs: number, value: T): TimedSnapshot<T> => ({
    seq,
    timeMs,
    value,
  });

  it("blends with the stream's own blend", () => {
    const turning = [timed(1, 0, { degrees: 350 }), timed(2, 100, { degrees: 10 })];
    const max = { blend: heading, maxExtrapolationMs: 120 };
    expect(sampleSnapshots(turning, 25, max)).toMatchObject({
      value: { degrees: 355 },
      mode: "interpolated",
    });
    expect(sampleSnapshots(turning, 75, max)?.value.degrees).toBeCloseTo(5, 9);
  });

  it("holds the newest value past it when the blend cannot extrapolate", () => {
    const turning = [timed(1, 0, { degrees: 350 }), timed(2, 100, { degrees: 10 })];
    expect(sampleSnapshots(turning, 150, { blend: heading, maxExtrapolationMs: 120 })).toEqual({
      value: { degrees: 10 },
      mode: "held",
      baseSeq: 2,
      renderTimeMs: 150,
    });
  });

  it("steps without a blend: the newest value at or before the moment", () => {
    const phases = [timed(1, 0, "lobby"), timed(2, 100, "playing"), timed(3, 200, "over")];
    const step = { maxExtrapolationMs: 120 };
    expect(sampleSnapshots(phases, -10, step)).toMatchObject({ value: "lobby", mode: "waiting" });
    expect(sampleSnapshots(phases, 0, step)).toMatchObject({ value: "lobby", mode: "stepped" });
    expect(sampleSnapshots(phases, 99.9, step)).toMatchObject({ value: "lobby", baseSeq: 1 });
    expect(sampleSnapshots(phases, 100, step)).toMatchObject({ value: "playing", baseSeq: 2 });
    expect(sampleSnapshots(phases, 5000, step)).toEqual({
      value: "over",
      mode: "held",
      baseSeq: 3,
      renderTimeMs: 5000,
    });
  });
});
