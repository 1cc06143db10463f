/**
 * The lobby panel's folding sections. On a small screen the invite section (QR code and link)
 * folds, so the players and the chat get the room; one tap on its heading opens it. It folds
 * when the page opens on a small screen and when the window becomes one (a phone turned, a
 * window made smaller); the player's own choice stands otherwise.
 */
import { requireElement } from "./dom.ts";

/** Phones, either way up, and short windows. */
export const SMALL_SCREEN_QUERY = "(max-width: 719px), (max-height: 560px)";

export function foldSectionsOnSmallScreens(doc: Document, win: Window): void {
  const invite = requireElement(doc, "invite-section", HTMLDetailsElement);
  const small = win.matchMedia(SMALL_SCREEN_QUERY);
  if (small.matches) invite.open = false;
  small.addEventListener("change", (event) => {
    if (event.matches) invite.open = false;
  });
}
