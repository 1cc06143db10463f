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

  /** Takes one token if there is one; false means the caller is over the limit. */
  take(nowMs: number): boolean {
    const elapsedSeconds = Math.max(0, nowMs - this.#updatedAt) / 1000;
    this.#tokens = Math.min(
      this.#limit.capacity,
      this.#tokens + elapsedSeconds * this.#limit.refillPerSecond,
    );
    this.#updatedAt = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
