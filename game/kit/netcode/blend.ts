/**
 * How a stream's values are shown between and after the snapshots that carry them. A stream
 * without a blend steps: it shows the newest value at or before the moment.
 */
export interface Blend<T> {
  /** The value a fraction t in [0,1] of the way from a to b. */
  between(a: T, b: T, t: number): T;
  /**
   * Optional: the value `ms` past `last` (short extrapolation); without it the stream holds the
   * newest value. Called with 0 ≤ ms ≤ the stream's `maxExtrapolationMs`; past that bound the
   * stream holds `beyond(last, maxExtrapolationMs)`.
   */
  beyond?(last: T, ms: number): T;
}
