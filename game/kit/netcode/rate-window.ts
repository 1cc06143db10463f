/**
 * A rate over a sliding time window (packets/s, bytes/s), kept in fixed time buckets so memory
 * stays constant at any packet rate. Only whole buckets count, so the rate lags by at most
 * one bucket but never reads low because the current bucket has only just begun.
 */
export class RateWindow {
  readonly bucketMs: number;
  readonly #sums: number[];
  /** Index (time / bucketMs) of the newest bucket in use. */
  #currentBucket: number;
  readonly #firstBucket: number;

  constructor(nowMs: number, windowMs = 1000, bucketMs = 100) {
    const buckets = Math.round(windowMs / bucketMs);
    if (!(buckets >= 1)) throw new RangeError("the window must hold at least one bucket");
    this.bucketMs = bucketMs;
    this.#sums = new Array<number>(buckets + 1).fill(0);
    this.#currentBucket = Math.floor(nowMs / bucketMs);
    this.#firstBucket = this.#currentBucket;
  }

  /** Length of the window: the whole buckets that count. */
  get windowMs(): number {
    return (this.#sums.length - 1) * this.bucketMs;
  }

  add(amount: number, nowMs: number): void {
    this.#advance(nowMs);
    const slot = this.#slot(this.#currentBucket);
    this.#sums[slot] = (this.#sums[slot] ?? 0) + amount;
  }

  /** Amount per second over the whole buckets before `nowMs` (fewer right after creation). */
  perSecond(nowMs: number): number {
    this.#advance(nowMs);
    const whole = Math.min(this.#sums.length - 1, this.#currentBucket - this.#firstBucket);
    if (whole === 0) return 0;
    let total = 0;
    for (let back = 1; back <= whole; back++) {
      total += this.#sums[this.#slot(this.#currentBucket - back)] ?? 0;
    }
    return total / ((whole * this.bucketMs) / 1000);
  }

  /** Moves to the bucket of `nowMs`, clearing the ones skipped. A clock going back stays put. */
  #advance(nowMs: number): void {
    const bucket = Math.floor(nowMs / this.bucketMs);
    if (!(bucket > this.#currentBucket)) return;
    const clear = Math.min(bucket - this.#currentBucket, this.#sums.length);
    for (let step = 1; step <= clear; step++) {
      this.#sums[this.#slot(this.#currentBucket + step)] = 0;
    }
    this.#currentBucket = bucket;
  }

  #slot(bucket: number): number {
    const length = this.#sums.length;
    return ((bucket % length) + length) % length;
  }
}
