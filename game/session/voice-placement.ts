/**
 * Proximity voice in the arena: in a lobby whose voice range is `proximity`, each other
 * player's voice is placed from where their avatar is drawn this frame relative to ours, so
 * what is heard matches what is seen. In other lobbies every voice is centred at full volume.
 */
import { type Point, type ProximityOptions, proximityMix, type Voice } from "edgeplay/client";
import type { VoiceRange } from "edgeplay/protocol";
import { ARENA_WIDTH } from "../sim/arena.ts";

/**
 * Full volume within a few avatars of each other, silent beyond about two thirds of the arena's
 * width; a player a third of the arena to the side is as far left or right as voices go.
 */
export const ARENA_PROXIMITY: ProximityOptions = {
  fullWithin: 120,
  silentBeyond: Math.round(ARENA_WIDTH * 0.65),
  panWidth: Math.round(ARENA_WIDTH / 3),
};

export function placeVoices(
  voice: Voice,
  range: VoiceRange,
  self: Point,
  others: readonly (Point & { readonly id: string })[],
): void {
  for (const other of others) {
    voice.setPlacement(
      other.id,
      range === "proximity" ? proximityMix(self, other, ARENA_PROXIMITY) : null,
    );
  }
}
