/**
 * Wall-clock milliseconds with sub-millisecond precision, comparable across pages on one
 * machine: `performance.timeOrigin + performance.now()` (Date.now() is coarse and can jump).
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
