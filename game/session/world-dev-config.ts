/**
 * Developer switches for the match's timing, read from the page address: `?countdown=`,
 * `?round=` and `?results=`, in seconds. Only the host's values matter (replicas get the clock
 * from its packets); tests use them to play a whole match in seconds.
 */
import type { WorldConfig } from "../world/world-config.ts";

/** An hour, the longest stage the wire carries. */
const MAX_SECONDS = 3600;

export function worldConfigFromSearch(search: string): Partial<WorldConfig> {
  const params = new URLSearchParams(search);
  const countdown = seconds(params.get("countdown"), 0);
  const round = seconds(params.get("round"), 1);
  const results = seconds(params.get("results"), 0);
  return {
    ...(countdown === null ? {} : { countdownMs: countdown * 1000 }),
    ...(round === null ? {} : { roundMs: round * 1000 }),
    ...(results === null ? {} : { resultsMs: results * 1000 }),
  };
}

/** Whole seconds from `min` to an hour, or null for anything else (ignored, not clamped). */
function seconds(value: string | null, min: number): number | null {
  if (value === null || !/^\d{1,4}$/.test(value)) return null;
  const parsed = Number(value);
  return parsed >= min && parsed <= MAX_SECONDS ? parsed : null;
}
