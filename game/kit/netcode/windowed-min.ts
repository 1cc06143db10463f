/** The smallest value added within the last `windowMs`, in O(1) amortized per sample. */
export class WindowedMin {
  readonly windowMs: number;
  /** Increasing values, oldest first: a sample matters only until a smaller, newer one comes. */
  readonly #samples: { readonly atMs: number; readonly value: number }[] = [];

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** The minimum over the window ending at the latest sample; null before any sample. */
  get min(): number | null {
    return this.#samples[0]?.value ?? null;
  }

  add(value: number, nowMs: number): void {
    const samples = this.#samples;
    while ((samples.at(-1)?.value ?? Number.NEGATIVE_INFINITY) >= value) samples.pop();
    samples.push({ atMs: nowMs, value });
    while ((samples[0]?.atMs ?? nowMs) < nowMs - this.windowMs) samples.shift();
  }
}
