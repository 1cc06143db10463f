/** The scoreboard's words: the round clock and one row per player. Pure. */

/** `1:05` for 65 s left. Rounded up, so the clock shows 0:00 only once the round is over. */
export function formatClock(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export function clockLine(remainingMs: number, roundOver: boolean, ready: boolean): string {
  if (!ready) return "Waiting for the host…";
  return roundOver ? "Round over" : `Round  ${formatClock(remainingMs)}`;
}

/** A name cut to fit the board's column. */
export function shortName(name: string, max = 14): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}
