/** The match's words: the scoreboard's clock line, the banner, placings. Pure. */
import type { MatchStage, Score } from "../world/events-wire.ts";

/** The last seconds of a round are signalled (banner, sound). */
export const FINAL_SECONDS_MS = 10_000;

/** `1:05` for 65 s left. Rounded up, so the clock shows 0:00 only once the round is over. */
export function formatClock(remainingMs: number): string {
  const seconds = wholeSeconds(remainingMs);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The match as the words need it (a subset of the world's view). */
export interface MatchState {
  /** False until the host's first world has arrived. */
  readonly ready: boolean;
  readonly stage: MatchStage;
  readonly round: number;
  readonly rounds: number;
  readonly stageRemainingMs: number | null;
}

export function clockLine(state: MatchState): string {
  if (!state.ready) return "Waiting for the host…";
  const { round, rounds } = state;
  const left = wholeSeconds(state.stageRemainingMs ?? 0);
  switch (state.stage) {
    case "warmup":
      return "Warm-up";
    case "countdown":
      return `Round ${round} of ${rounds} in ${left}`;
    case "round":
      return `Round ${round}/${rounds}  ${formatClock(state.stageRemainingMs ?? 0)}`;
    case "results":
      return round < rounds ? `Next round in ${left} s` : `Final results in ${left} s`;
    case "podium":
      return "Match over";
  }
}

/** The clock line in fewer characters, for a scoreboard drawn with large text on a small screen. */
export function shortClockLine(state: MatchState): string {
  if (!state.ready) return "Waiting…";
  const { round, rounds } = state;
  const left = wholeSeconds(state.stageRemainingMs ?? 0);
  switch (state.stage) {
    case "warmup":
      return "Warm-up";
    case "countdown":
      return `Round ${round} in ${left}`;
    case "round":
      return `${round}/${rounds}  ${formatClock(state.stageRemainingMs ?? 0)}`;
    case "results":
      return round < rounds ? `Next in ${left} s` : `Final in ${left} s`;
    case "podium":
      return "Match over";
  }
}

/**
 * The score lines a board with room for `max` rows shows: the best ones, and always our own
 * (in the last row, if we are not among the best).
 */
export function visibleScores<T extends { readonly peerId: string }>(
  lines: readonly T[],
  selfId: string,
  max: number,
): T[] {
  const count = Math.max(1, max);
  if (lines.length <= count) return [...lines];
  const top = lines.slice(0, count);
  if (top.some((line) => line.peerId === selfId)) return top;
  const own = lines.find((line) => line.peerId === selfId);
  return own === undefined ? top : [...top.slice(0, count - 1), own];
}

/** The line across the top of the arena; empty while a round runs and time is plenty. */
export function bannerText(state: MatchState, isHost: boolean): string {
  if (!state.ready) return "";
  switch (state.stage) {
    case "warmup":
      return isHost
        ? "Warm-up: nothing counts yet. Press Start game when everyone is in."
        : "Warm-up: nothing counts yet. The host starts the match.";
    case "countdown":
      return state.round === 1 && state.rounds > 1
        ? `Match of ${state.rounds} rounds: get ready!`
        : `Round ${state.round} of ${state.rounds}: get ready!`;
    case "round":
      return isFinalSeconds(state) ? `${wholeSeconds(state.stageRemainingMs ?? 0)} s left!` : "";
    case "results":
      return `Round ${state.round} of ${state.rounds} is over`;
    case "podium":
      return isHost ? "Match over! Press Play again for another." : "Match over!";
  }
}

/** The big 3-2-1 during a countdown; null otherwise. */
export function countdownNumber(state: MatchState): number | null {
  if (state.stage !== "countdown" || state.stageRemainingMs === null) return null;
  return Math.max(1, wholeSeconds(state.stageRemainingMs));
}

export function isFinalSeconds(state: MatchState): boolean {
  const left = state.stageRemainingMs;
  return state.stage === "round" && left !== null && left > 0 && left <= FINAL_SECONDS_MS;
}

/** What a player who joins while a match runs is told, once; null in the warm-up. */
export function lateJoinText(state: MatchState): string | null {
  if (!state.ready || state.stage === "warmup") return null;
  if (state.stage === "podium") return "You joined as a match ended: the next one starts soon.";
  return `You joined during round ${state.round} of ${state.rounds}: you score from now on.`;
}

export interface Placing extends Score {
  /** 1 for the best; players with equal points share a place (1, 1, 3). */
  readonly place: number;
}

/** Players by this round's points (`score`) or the match's (`total`), sharing places on ties. */
export function placings(scores: readonly Score[], by: "score" | "total"): Placing[] {
  const other = by === "score" ? "total" : "score";
  const sorted = [...scores].sort((a, b) => b[by] - a[by] || b[other] - a[other]);
  let place = 0;
  return sorted.map((line, index) => {
    const previous = sorted[index - 1];
    if (previous === undefined || previous[by] !== line[by]) place = index + 1;
    return { ...line, place };
  });
}

/** `1st`, `2nd`, `3rd`, `4th`... */
export function ordinal(place: number): string {
  const tens = place % 100;
  if (tens >= 11 && tens <= 13) return `${place}th`;
  const suffix = ["th", "st", "nd", "rd"][place % 10] ?? "th";
  return `${place}${suffix}`;
}

function wholeSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}
