/**
 * The match's moments a player should hear (and see): each second of the 3-2-1, the "go", the
 * last ten seconds of a round, the round's end and the podium. Each fires once per match, on
 * the frame the match reaches it. The first frame a scene sees, and the first frame after a gap
 * (a hidden tab does not draw), only catch up silently: a player who arrives mid-round or comes
 * back to the tab hears what happens next, never a burst of what it missed. Pure: the match
 * state and the time come in as arguments.
 */
import { countdownNumber, isFinalSeconds, type MatchState } from "../scenes/scoreboard-text.ts";

export type Cue =
  | { readonly kind: "count"; readonly number: number }
  | { readonly kind: "go" }
  | { readonly kind: "final-seconds" }
  | { readonly kind: "round-end" }
  | { readonly kind: "podium" };

/** Frames further apart than this are a gap (a hidden tab, a stalled page), not live play. */
export const MAX_FRAME_GAP_MS = 500;

interface Moment {
  readonly key: string;
  readonly cue: Cue;
}

/** The moments the match is at now, each with a key that names it within one match. */
function momentsOf(state: MatchState): Moment[] {
  const { round } = state;
  switch (state.stage) {
    case "warmup":
      return [];
    case "countdown": {
      const number = countdownNumber(state);
      return number === null
        ? []
        : [{ key: `count:${round}:${number}`, cue: { kind: "count", number } }];
    }
    case "round": {
      const moments: Moment[] = [{ key: `go:${round}`, cue: { kind: "go" } }];
      if (isFinalSeconds(state)) {
        moments.push({ key: `final:${round}`, cue: { kind: "final-seconds" } });
      }
      return moments;
    }
    case "results":
      return [{ key: `end:${round}`, cue: { kind: "round-end" } }];
    case "podium":
      return [{ key: "podium", cue: { kind: "podium" } }];
  }
}

export class CueTracker {
  #lastFrameMs: number | null = null;
  #lastRound = 0;
  /** Keys of the moments this match has had. */
  #had = new Set<string>();

  /** The cues to play for the frame at `nowMs`. */
  next(state: MatchState, nowMs: number): Cue[] {
    if (!state.ready) return [];
    const live = this.#lastFrameMs !== null && nowMs - this.#lastFrameMs <= MAX_FRAME_GAP_MS;
    // A new match: the warm-up, or round numbers starting over (its warm-up was not seen).
    if (state.stage === "warmup" || state.round < this.#lastRound) this.#had.clear();
    this.#lastFrameMs = nowMs;
    this.#lastRound = state.round;
    const cues: Cue[] = [];
    for (const { key, cue } of momentsOf(state)) {
      if (this.#had.has(key)) continue;
      this.#had.add(key);
      if (live) cues.push(cue);
    }
    return cues;
  }
}
