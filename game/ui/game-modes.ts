/**
 * The game modes the menu offers. Data, not code: a new mode is one more entry here (and a
 * scene that plays it). The lobby accepts any well-formed mode name.
 */
import { DEFAULT_MODE } from "edgeplay/protocol";

export interface GameMode {
  /** What the lobby stores and the directory filters by. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
}

export const GAME_MODES: readonly GameMode[] = [
  { id: DEFAULT_MODE, label: "Arena", description: "Everyone in one arena, moving freely" },
];

/** A mode's display name; modes this build does not know show by their id. */
export function modeLabel(id: string): string {
  return GAME_MODES.find((mode) => mode.id === id)?.label ?? id;
}
