/** The scoreboard's words: the round clock and one row per player. Pure. */

/** `1:05` for 65 s left. Rounded up, so the clock shows 0:00 only once the round is over. */
export function formatClock(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The round state the clock line shows (a subset of the world's view). */
export interface RoundState {
  readonly ready: boolean;
  /** 0 when unknown. */
  readonly round: number;
  readonly roundRemainingMs: number;
  readonly roundOver: boolean;
  /** Until the next round starts by itself; null when it waits for the host. */
  readonly nextRoundInMs: number | null;
}

export function clockLine(state: RoundState): string {
  if (!state.ready) return "Waiting for the host…";
  if (!state.roundOver) {
    const label = state.round > 0 ? `Round ${state.round}` : "Round";
    return `${label}  ${formatClock(state.roundRemainingMs)}`;
  }
  if (state.nextRoundInMs === null) return "Round over";
  return `Next round in ${Math.max(0, Math.ceil(state.nextRoundInMs / 1000))} s`;
}

/** A name cut to fit the board's column. */
export function shortName(name: string, max = 14): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}
