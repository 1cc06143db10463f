/**
 * A remote stream's value at a given moment of its sender's timeline, from the snapshots
 * around that moment: the blend between the two that bracket it (or the older one, for a
 * stream without a blend), a short extrapolation when the newest snapshot is already behind
 * it, and a hold after that, because a guess that runs on grows more wrong with every frame.
 */
import type { Motion } from "../wire/motion-codec.ts";
import type { Blend } from "./blend.ts";

/** A snapshot placed on the sender's timeline (tick × 1000 / hz), ms. */
export interface TimedSnapshot<T> {
  readonly seq: number;
  readonly timeMs: number;
  readonly value: T;
}

/**
 * - `waiting`: the moment is before the oldest snapshot (just started); shows the oldest.
 * - `interpolated`: between two snapshots, blended.
 * - `stepped`: between two snapshots, without a blend: the older one.
 * - `extrapolated`: past the newest, within the extrapolation bound (`blend.beyond`).
 * - `held`: past the bound, or past the newest without `beyond`; the value stays put.
 */
export type SampleMode = "waiting" | "interpolated" | "stepped" | "extrapolated" | "held";

export interface StreamSample<T> {
  readonly value: T;
  readonly mode: SampleMode;
  /** The newest snapshot at or before the moment; older ones are no longer needed. */
  readonly baseSeq: number;
  /** The moment shown, on the sender's timeline, ms. */
  readonly renderTimeMs: number;
}

export interface SampleOptions<T> {
  /** Without one, the stream steps from snapshot to snapshot and holds the newest. */
  readonly blend?: Blend<T> | undefined;
  /** How far past the newest snapshot to extrapolate before holding. */
  readonly maxExtrapolationMs: number;
}

/** About 4 snapshots at 30 Hz: covers a couple of lost packets without drifting far. */
export const DEFAULT_MAX_EXTRAPOLATION_MS = 120;

/**
 * The value at `renderTimeMs` on the sender's timeline, from snapshots in ascending seq and
 * time order; null when there are none.
 */
export function sampleSnapshots<T>(
  snapshots: readonly TimedSnapshot<T>[],
  renderTimeMs: number,
  options: SampleOptions<T>,
): StreamSample<T> | null {
  const first = snapshots[0];
  if (first === undefined) return null;
  if (renderTimeMs < first.timeMs) {
    return { value: first.value, mode: "waiting", baseSeq: first.seq, renderTimeMs };
  }

  const { blend, maxExtrapolationMs } = options;
  const baseIndex = lastIndexAtOrBefore(snapshots, renderTimeMs);
  const base = snapshots[baseIndex] ?? first;
  const baseSeq = base.seq;
  const next = snapshots[baseIndex + 1];
  if (next !== undefined) {
    if (blend === undefined) return { value: base.value, mode: "stepped", baseSeq, renderTimeMs };
    const span = next.timeMs - base.timeMs;
    const fraction = span > 0 ? (renderTimeMs - base.timeMs) / span : 1;
    const value = blend.between(base.value, next.value, fraction);
    return { value, mode: "interpolated", baseSeq, renderTimeMs };
  }
  if (blend?.beyond === undefined) {
    return { value: base.value, mode: "held", baseSeq, renderTimeMs };
  }
  const aheadMs = renderTimeMs - base.timeMs;
  const mode = aheadMs <= maxExtrapolationMs ? "extrapolated" : "held";
  const value = blend.beyond(base.value, Math.min(aheadMs, maxExtrapolationMs));
  return { value, mode, baseSeq, renderTimeMs };
}

/**
 * A motion sample with the value's fields beside the mode: what the mesh hands the arena
 * (`PeerLink.sample`) until the room's streams replace it.
 */
export interface AvatarSample extends Motion {
  readonly mode: SampleMode;
  readonly baseSeq: number;
  readonly renderTimeMs: number;
}

/** Binary search: the last snapshot whose time is at or before `timeMs` (the first is). */
function lastIndexAtOrBefore<T>(snapshots: readonly TimedSnapshot<T>[], timeMs: number): number {
  let low = 0;
  let high = snapshots.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const snapshot = snapshots[middle];
    if (snapshot !== undefined && snapshot.timeMs <= timeMs) low = middle;
    else high = middle - 1;
  }
  return low;
}
