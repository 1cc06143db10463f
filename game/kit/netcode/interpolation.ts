/**
 * Where a remote avatar is at a given moment of its sender's timeline, from the snapshots
 * around that moment: linear interpolation between the two that bracket it, a short
 * extrapolation along the last velocity when the newest snapshot is already behind it, and a
 * hold after that, because a guess that runs on grows more wrong with every frame.
 */
import type { Sequenced } from "./snapshot-buffer.ts";

export interface Motion {
  readonly x: number;
  readonly y: number;
  /** Units per second. */
  readonly vx: number;
  readonly vy: number;
}

export interface AvatarSnapshot extends Sequenced, Motion {}

/**
 * - `waiting`: the moment is before the oldest snapshot (just started); shows the oldest.
 * - `interpolated`: between two snapshots.
 * - `extrapolated`: past the newest, within the extrapolation bound.
 * - `held`: past the bound; stays where the extrapolation stopped.
 */
export type SampleMode = "waiting" | "interpolated" | "extrapolated" | "held";

export interface AvatarSample extends Motion {
  readonly mode: SampleMode;
  /** The newest snapshot at or before the moment; older ones are no longer needed. */
  readonly baseSeq: number;
  /** The moment shown, on the sender's timeline (tick × tick length), ms. */
  readonly renderTimeMs: number;
}

export interface SampleOptions {
  /** Length of one sender tick in ms (the sender's simulation rate, not its send rate). */
  readonly tickMs: number;
  /** How far past the newest snapshot to extrapolate before holding. */
  readonly maxExtrapolationMs: number;
}

/** About 4 snapshots at 30 Hz: covers a couple of lost packets without drifting far. */
export const DEFAULT_MAX_EXTRAPOLATION_MS = 120;

/**
 * The avatar at `renderTimeMs` on the sender's timeline (tick × tickMs), from snapshots in
 * ascending seq and tick order; null when there are none.
 */
export function sampleSnapshots(
  snapshots: readonly AvatarSnapshot[],
  renderTimeMs: number,
  options: SampleOptions,
): AvatarSample | null {
  const first = snapshots[0];
  if (first === undefined) return null;
  const timeOf = (snapshot: AvatarSnapshot): number => snapshot.tick * options.tickMs;
  if (renderTimeMs < timeOf(first)) {
    return { ...motionOf(first), mode: "waiting", baseSeq: first.seq, renderTimeMs };
  }

  const baseIndex = lastIndexAtOrBefore(snapshots, renderTimeMs, timeOf);
  const base = snapshots[baseIndex] ?? first;
  const next = snapshots[baseIndex + 1];
  if (next !== undefined) {
    const span = timeOf(next) - timeOf(base);
    const fraction = span > 0 ? (renderTimeMs - timeOf(base)) / span : 1;
    const motion = lerpMotion(base, next, fraction);
    return { ...motion, mode: "interpolated", baseSeq: base.seq, renderTimeMs };
  }
  const aheadMs = renderTimeMs - timeOf(base);
  const mode = aheadMs <= options.maxExtrapolationMs ? "extrapolated" : "held";
  const seconds = Math.min(aheadMs, options.maxExtrapolationMs) / 1000;
  return {
    x: base.x + base.vx * seconds,
    y: base.y + base.vy * seconds,
    vx: mode === "held" ? 0 : base.vx,
    vy: mode === "held" ? 0 : base.vy,
    mode,
    baseSeq: base.seq,
    renderTimeMs,
  };
}

export function lerpMotion(from: Motion, to: Motion, fraction: number): Motion {
  return {
    x: lerp(from.x, to.x, fraction),
    y: lerp(from.y, to.y, fraction),
    vx: lerp(from.vx, to.vx, fraction),
    vy: lerp(from.vy, to.vy, fraction),
  };
}

function lerp(from: number, to: number, fraction: number): number {
  return from + (to - from) * fraction;
}

function motionOf({ x, y, vx, vy }: Motion): Motion {
  return { x, y, vx, vy };
}

/** Binary search: the last snapshot whose time is at or before `timeMs` (the first is). */
function lastIndexAtOrBefore(
  snapshots: readonly AvatarSnapshot[],
  timeMs: number,
  timeOf: (snapshot: AvatarSnapshot) => number,
): number {
  let low = 0;
  let high = snapshots.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const snapshot = snapshots[middle];
    if (snapshot !== undefined && timeOf(snapshot) <= timeMs) low = middle;
    else high = middle - 1;
  }
  return low;
}
