/** A token bucket: a burst of `capacity`, refilled continuously at `refillPerSecond`. */
import type { TokenBucketLimit } from "./limits.ts";

export class TokenBucket {
  readonly #limit: TokenBucketLimit;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: TokenBucketLimit, nowMs: number) {
    this.#limit = limit;
    this.#tokens = limit.capacity;
    this.#updatedAt = nowMs;
  }

  /**
   * Takes `cost` tokens if that leaves at least `reserve` (tokens kept for something more
   * important); false means the caller is over the limit. A clock that steps back refills nothing.
   */
  take(nowMs: number, cost = 1, reserve = 0): boolean {
    const elapsedSeconds = Math.max(0, nowMs - this.#updatedAt) / 1000;
    this.#tokens = Math.min(
      this.#limit.capacity,
      this.#tokens + elapsedSeconds * this.#limit.refillPerSecond,
    );
    this.#updatedAt = Math.max(this.#updatedAt, nowMs);
    if (this.#tokens < cost + reserve) return false;
    this.#tokens -= cost;
    return true;
  }
}
