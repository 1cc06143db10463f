/**
 * Which of the world's latest awards to celebrate now: each one once, and only while it is news.
 * The world keeps its last awards in a list that the scene reads every frame; this picks out the
 * ones not seen before. An award that is already old when first seen (the tab was hidden, the
 * scene just started) is marked seen without a show, so a returning player never gets a burst
 * of stale "+1"s and ticks. Pure: time comes in as an argument.
 */
import type { Award } from "../world/world-session.ts";

/** How long after it was learnt an award still earns its effect and sound. */
export const AWARD_NEWS_MS = 1000;

function keyOf(award: Award): string {
  return `${award.pickupId}:${award.by}:${award.atMs}`;
}

export class AwardFeed {
  #seen = new Set<string>();

  /** The awards in `awards` (oldest first) not taken before and still news at `nowMs`. */
  take(awards: readonly Award[], nowMs: number): Award[] {
    const fresh: Award[] = [];
    const seen = new Set<string>();
    for (const award of awards) {
      const key = keyOf(award);
      seen.add(key);
      if (this.#seen.has(key)) continue;
      if (nowMs - award.atMs <= AWARD_NEWS_MS) fresh.push(award);
    }
    // Only keys still in the world's list are kept: it holds the last 16, so memory stays bounded.
    this.#seen = seen;
    return fresh;
  }
}
