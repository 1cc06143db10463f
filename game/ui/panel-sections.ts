/**
 * The lobby panel's folding sections. On a small screen the invite section (QR code and link)
 * starts folded, so the players and the chat get the room; one tap on its heading opens it.
 */
import { requireElement } from "./dom.ts";

/** Phones, either way up, and short windows. */
export const SMALL_SCREEN_QUERY = "(max-width: 719px), (max-height: 560px)";

export function foldSectionsOnSmallScreens(doc: Document, win: Window): void {
  if (!win.matchMedia(SMALL_SCREEN_QUERY).matches) return;
  requireElement(doc, "invite-section", HTMLDetailsElement).open = false;
}
