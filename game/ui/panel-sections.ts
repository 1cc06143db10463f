/**
 * The lobby panel's folding sections. On a small screen the invite section (QR code and link)
 * and the voice controls fold, so the players and the chat get the room; one tap on a heading
 * opens it. They fold when the page opens on a small screen and when the window becomes one (a
 * phone turned, a window made smaller); the player's own choice stands otherwise.
 */
import { requireElement } from "./dom.ts";

/** Phones, either way up, and short windows. */
export const SMALL_SCREEN_QUERY = "(max-width: 719px), (max-height: 560px)";

export function foldSectionsOnSmallScreens(doc: Document, win: Window): void {
  const folding = [
    requireElement(doc, "invite-section", HTMLDetailsElement),
    requireElement(doc, "voice-section", HTMLDetailsElement),
  ];
  const fold = (): void => {
    for (const section of folding) section.open = false;
  };
  const small = win.matchMedia(SMALL_SCREEN_QUERY);
  if (small.matches) fold();
  small.addEventListener("change", (event) => {
    if (event.matches) fold();
  });
}
