/**
 * What to hear for a frame's news: one sound per match cue, and at most one pickup sound per
 * frame however many awards arrived together (the most telling one: a star over a point, ours
 * over someone else's). Pure.
 */
import type { Award } from "../world/world-session.ts";
import type { Cue } from "./match-cues.ts";

export const SOUND_NAMES = [
  /** Someone else took a pickup: a soft, low tick. */
  "tick",
  /** We took one: louder and brighter. */
  "tick-ours",
  "star",
  "star-ours",
  /** One second of the 3-2-1. */
  "count",
  "go",
  "final-seconds",
  "whistle",
  "fanfare",
] as const;
export type SoundName = (typeof SOUND_NAMES)[number];

export function soundForCue(cue: Cue): SoundName {
  switch (cue.kind) {
    case "count":
      return "count";
    case "go":
      return "go";
    case "final-seconds":
      return "final-seconds";
    case "round-end":
      return "whistle";
    case "podium":
      return "fanfare";
  }
}

/** Louder wins: our star, a star, our point, a point; null for no awards. */
export function soundForAwards(awards: readonly Award[], selfId: string): SoundName | null {
  const rank = (award: Award): number => (award.value > 1 ? 2 : 0) + (award.by === selfId ? 1 : 0);
  let best: Award | null = null;
  for (const award of awards) if (best === null || rank(award) > rank(best)) best = award;
  if (best === null) return null;
  const ours = best.by === selfId;
  if (best.value > 1) return ours ? "star-ours" : "star";
  return ours ? "tick-ours" : "tick";
}
