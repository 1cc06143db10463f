/**
 * Proximity voice, as numbers: how loud and how far left or right a speaker sounds from where
 * they stand relative to the listener. Pure; a game passes the result to `voice.setPlacement`.
 */
import type { VoicePlacement } from "./voice.ts";

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface ProximityOptions {
  /** Within this distance a voice plays at full volume. */
  readonly fullWithin: number;
  /** From this distance on a voice is silent; between the two it fades linearly. */
  readonly silentBeyond: number;
  /** A speaker this far to one side is panned as far as panning goes. */
  readonly panWidth: number;
}

/** The most a voice is panned: a little of it stays in the other ear, as in a room. */
export const MAX_PAN = 0.8;

export function proximityMix(
  listener: Point,
  speaker: Point,
  options: ProximityOptions,
): VoicePlacement {
  const dx = speaker.x - listener.x;
  const distance = Math.hypot(dx, speaker.y - listener.y);
  const span = options.silentBeyond - options.fullWithin;
  const fade =
    span <= 0 ? (distance < options.silentBeyond ? 0 : 1) : (distance - options.fullWithin) / span;
  const gain = 1 - Math.min(1, Math.max(0, fade));
  const side = options.panWidth <= 0 ? Math.sign(dx) : dx / options.panWidth;
  const pan = Math.min(1, Math.max(-1, side)) * MAX_PAN;
  // Never -0: a centred voice reads as 0 wherever it is shown.
  return { gain, pan: pan === 0 ? 0 : pan };
}
