import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AvatarSnapshot,
  DEFAULT_MAX_EXTRAPOLATION_MS,
  sampleSnapshots,
} from "../../game/kit/netcode/interpolation.ts";

/** A power of two keeps the arithmetic exact, so midpoints can be compared with toBe. */
const options = { tickMs: 16, maxExtrapolationMs: 120 };
const at = (seq: number, tick: number, x: number, y = 0, vx = 0, vy = 0): AvatarSnapshot => ({
  seq,
  tick,
  x,
  y,
  vx,
  vy,
});
// Ticks 0, 2, 4: times 0, 32, 64 ms.
const snapshots = [at(1, 0, 0, 100, 60, 0), at(2, 2, 10, 90, 120, -30), at(3, 4, 30, 90, 240, 0)];

describe("sampling snapshots at a render time", () => {
  it("lands exactly on the midpoint between two snapshots", () => {
    expect(sampleSnapshots(snapshots, 16, options)).toEqual({
      x: 5,
      y: 95,
      vx: 90,
      vy: -15,
      mode: "interpolated",
      baseSeq: 1,
      renderTimeMs: 16,
    });
    expect(sampleSnapshots(snapshots, 48, options)).toMatchObject({ x: 20, y: 90, baseSeq: 2 });
  });

  it("interpolates linearly at any fraction", () => {
    expect(sampleSnapshots(snapshots, 8, options)).toMatchObject({ x: 2.5, y: 97.5 });
    expect(sampleSnapshots(snapshots, 40, options)).toMatchObject({ x: 15 });
  });

  it("returns a snapshot itself at its own time", () => {
    expect(sampleSnapshots(snapshots, 32, options)).toMatchObject({ x: 10, y: 90, baseSeq: 2 });
  });

  it("works with the game's real tick length (60 Hz)", () => {
    const real = { tickMs: 1000 / 60, maxExtrapolationMs: 120 };
    const sample = sampleSnapshots(snapshots, 1000 / 60, real);
    expect(sample?.x).toBeCloseTo(5, 10);
    expect(sample?.mode).toBe("interpolated");
  });

  it("interpolates across a gap left by lost packets", () => {
    const withGap = [at(1, 0, 0), at(9, 16, 80)];
    expect(sampleSnapshots(withGap, 128, options)).toMatchObject({ x: 40, mode: "interpolated" });
  });

  it("extrapolates along the newest velocity, up to the bound", () => {
    // Newest at 64 ms: x 30 moving 240 units/s.
    expect(sampleSnapshots(snapshots, 64 + 50, options)).toMatchObject({
      x: 30 + 240 * 0.05,
      y: 90,
      vx: 240,
      mode: "extrapolated",
      baseSeq: 3,
    });
    expect(sampleSnapshots(snapshots, 64 + 120, options)).toMatchObject({
      x: 30 + 240 * 0.12,
      mode: "extrapolated",
    });
  });

  it("holds where extrapolation stopped once past the bound", () => {
    for (const aheadMs of [121, 500, 60_000]) {
      expect(sampleSnapshots(snapshots, 64 + aheadMs, options)).toEqual({
        x: 30 + 240 * 0.12,
        y: 90,
        vx: 0,
        vy: 0,
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
      x: 0,
      y: 100,
      mode: "waiting",
      baseSeq: 1,
    });
  });

  it("takes the newer of two snapshots with the same tick", () => {
    const paused = [at(1, 10, 5), at(2, 10, 7), at(3, 12, 9)];
    expect(sampleSnapshots(paused, 160, options)).toMatchObject({ x: 7, baseSeq: 2 });
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
        const renderTimeMs = where * (xs.length - 1) * 2 * options.tickMs;
        const sample = sampleSnapshots(list, renderTimeMs, options);
        const before = list[Math.floor(renderTimeMs / (2 * options.tickMs))];
        const after = list[Math.ceil(renderTimeMs / (2 * options.tickMs))];
        if (!sample || !before || !after) throw new Error("expected a sample between snapshots");
        expect(sample.x).toBeGreaterThanOrEqual(Math.min(before.x, after.x) - 1e-9);
        expect(sample.x).toBeLessThanOrEqual(Math.max(before.x, after.x) + 1e-9);
      }),
    );
  });
});
