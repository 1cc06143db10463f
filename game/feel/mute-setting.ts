/**
 * Whether the player muted the arena's sounds, remembered in the browser. Storage may be
 * missing or refuse (private modes, blocked cookies): then the choice lasts for the page.
 */
const KEY = "edgeplay.muted";

export function loadMuted(storage: Pick<Storage, "getItem"> | null): boolean {
  try {
    return storage?.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

export function saveMuted(storage: Pick<Storage, "setItem"> | null, muted: boolean): void {
  try {
    storage?.setItem(KEY, muted ? "1" : "0");
  } catch {
    // Not remembered; the toggle still works for this page.
  }
}
