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

  it("ignores a clock that goes backwards", () => {
    const bucket = new TokenBucket(limit, 1000);
    takeMany(bucket, 3, 1000);
    expect(bucket.take(0)).toBe(false);
  });
});
