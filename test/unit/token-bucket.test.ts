import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../shared/token-bucket.ts";

const limit = { capacity: 3, refillPerSecond: 2 };

function takeMany(bucket: TokenBucket, count: number, nowMs: number): boolean[] {
  return Array.from({ length: count }, () => bucket.take(nowMs));
}

describe("token bucket", () => {
  it("allows a burst up to capacity, then refuses", () => {
    expect(takeMany(new TokenBucket(limit, 0), 5, 0)).toEqual([true, true, true, false, false]);
  });

  it("refills at the given rate, never above capacity", () => {
    const bucket = new TokenBucket(limit, 0);
    takeMany(bucket, 3, 0);
    expect(bucket.take(250)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(takeMany(bucket, 5, 60_000)).toEqual([true, true, true, false, false]);
  });

  it("ignores a clock that goes backwards, and refills nothing twice after it", () => {
    const bucket = new TokenBucket(limit, 1000);
    takeMany(bucket, 3, 1000);
    expect(bucket.take(0)).toBe(false);
    // Half a second after 1000 is one token, not the 1.5 s since the step back.
    expect(takeMany(bucket, 2, 1500)).toEqual([true, false]);
  });

  it("takes a cost of several tokens at once, or none", () => {
    const bytes = new TokenBucket({ capacity: 100, refillPerSecond: 10 }, 0);
    expect(bytes.take(0, 60)).toBe(true);
    expect(bytes.take(0, 60)).toBe(false);
    expect(bytes.take(0, 40)).toBe(true);
    expect(bytes.take(1000, 11)).toBe(false);
    expect(bytes.take(1000, 10)).toBe(true);
  });

  it("keeps a reserve that only takes without one may spend", () => {
    const bucket = new TokenBucket(limit, 0);
    expect(bucket.take(0, 1, 2)).toBe(true);
    expect(bucket.take(0, 1, 2)).toBe(false);
    expect(takeMany(bucket, 3, 0)).toEqual([true, true, false]);
  });
});
