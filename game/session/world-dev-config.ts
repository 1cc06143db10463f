/**
 * Developer switches for the shared world's timing, read from the page address:
 * `?round=<seconds>` and `?intermission=<seconds>`. Only the host's values matter (replicas get
 * the round clock from its packets); tests use them to reach a round's end in seconds.
 */
import type { WorldConfig } from "../world/world-config.ts";

/** An hour, the longest round the wire carries. */
const MAX_SECONDS = 3600;

export function worldConfigFromSearch(search: string): Partial<WorldConfig> {
  const params = new URLSearchParams(search);
  const round = seconds(params.get("round"), 1);
  const intermission = seconds(params.get("intermission"), 0);
  return {
    ...(round === null ? {} : { roundMs: round * 1000 }),
    ...(intermission === null ? {} : { intermissionMs: intermission * 1000 }),
  };
}

/** Whole seconds from `min` to an hour, or null for anything else (ignored, not clamped). */
function seconds(value: string | null, min: number): number | null {
  if (value === null || !/^\d{1,4}$/.test(value)) return null;
  const parsed = Number(value);
  return parsed >= min && parsed <= MAX_SECONDS ? parsed : null;
}
