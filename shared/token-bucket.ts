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

  /** Takes `cost` tokens if there are that many; false means the caller is over the limit. */
  take(nowMs: number, cost = 1): boolean {
    const elapsedSeconds = Math.max(0, nowMs - this.#updatedAt) / 1000;
    this.#tokens = Math.min(
      this.#limit.capacity,
      this.#tokens + elapsedSeconds * this.#limit.refillPerSecond,
    );
    this.#updatedAt = nowMs;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }
}
