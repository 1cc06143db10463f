/**
 * Who has the keyboard, the chat box or the avatar. Enter, when nothing else has focus, opens
 * the chat; Esc, or a click or tap on the arena, gives the keys back to the avatar (so does
 * sending a line, chat-view.ts). The arena moves the avatar only while no text field has focus;
 * a click on the arena also takes the focus from any other control (a ticked checkbox, a
 * volume slider that arrow keys would move).
 */

/** Wires the page's keys and the arena's pointer to the chat box. */
export function wireChatFocus(
  doc: Document,
  chatInput: HTMLInputElement,
  arena: HTMLElement,
): void {
  const nothingFocused = (): boolean => {
    const focused = doc.activeElement;
    return focused === null || focused === doc.body || arena.contains(focused);
  };
  doc.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" && doc.activeElement === chatInput) {
      chatInput.blur();
      return;
    }
    // Only while the chat is on screen, and not for an Enter meant for a focused button.
    if (event.key === "Enter" && nothingFocused() && chatInput.closest("[hidden]") === null) {
      event.preventDefault();
      chatInput.focus();
    }
  });
  // Captured before the canvas sees it: Phaser's handlers keep a click from moving focus.
  arena.addEventListener(
    "pointerdown",
    () => {
      const focused = doc.activeElement;
      if (focused instanceof HTMLElement && focused !== doc.body && !arena.contains(focused)) {
        focused.blur();
      }
    },
    { capture: true },
  );
}
