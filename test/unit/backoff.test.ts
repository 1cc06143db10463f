import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffCeilingMs,
  backoffDelayMs,
  RECONNECT_BACKOFF,
} from "../../game/kit/lobby/backoff.ts";

const options = { baseMs: 500, capMs: 10_000 };

describe("reconnect backoff with full jitter", () => {
  it("doubles the ceiling per attempt from the base up to the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffCeilingMs(attempt, options));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("uses the whole range from 0 up to the ceiling (full jitter)", () => {
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(3, options, () => 0.999_999)).toBe(3999);
  });

  it("stays within [0, cap) for any attempt and any random draw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw) => {
          const delay = backoffDelayMs(attempt, options, () => draw);
          return delay >= 0 && delay < options.capMs && Number.isInteger(delay);
        },
      ),
    );
  });

  it("treats odd attempt numbers as the nearest sensible one", () => {
    expect(backoffCeilingMs(-3, options)).toBe(500);
    expect(backoffCeilingMs(2.7, options)).toBe(2000);
    expect(backoffCeilingMs(Number.MAX_SAFE_INTEGER, options)).toBe(10_000);
  });

  it("defaults to a ~500 ms base and a ~10 s cap", () => {
    expect(RECONNECT_BACKOFF).toEqual({ baseMs: 500, capMs: 10_000 });
  });

  it("spreads players out: draws for one attempt are not all alike", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
