/** The player's name: remembered between visits, a friendly random one the first time. */

import { MAX_NAME_CHARS, PlayerNameSchema } from "edgeplay/protocol";
import * as v from "valibot";

const STORAGE_KEY = "edgeplay.playerName";

export function randomPlayerName(random: () => number = Math.random): string {
  return `Player-${100 + Math.floor(random() * 900)}`;
}

export function loadPlayerName(): string {
  const stored = readStorage();
  return stored !== null && v.is(PlayerNameSchema, stored) ? stored.trim() : randomPlayerName();
}

export function savePlayerName(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Storage can be disabled (private mode, embedded pages); the name then lasts one visit.
  }
}

export type NameCheck =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly message: string };

/** Checks a typed name against the same rules the lobby applies. */
export function checkPlayerName(input: string): NameCheck {
  const result = v.safeParse(PlayerNameSchema, input);
  if (result.success) return { ok: true, name: result.output };
  return {
    ok: false,
    message: `Please pick a name of 1 to ${MAX_NAME_CHARS} characters.`,
  };
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
