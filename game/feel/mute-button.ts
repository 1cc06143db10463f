/**
 * The mute toggle in the lobby panel's header: a button whose `aria-pressed` says "muted", with
 * a label that stays "Mute sounds" (the pressed state is what changes, as screen readers expect)
 * and a tooltip that says what a click does.
 */
import type { SoundBoard } from "./sound-board.ts";

export function bindMuteButton(button: HTMLButtonElement, sounds: SoundBoard): void {
  const show = (muted: boolean): void => {
    button.setAttribute("aria-pressed", String(muted));
    button.title = muted ? "Sounds off: click to turn them on" : "Sounds on: click to mute";
  };
  show(sounds.muted);
  sounds.onMutedChange(show);
  button.addEventListener("click", () => sounds.setMuted(!sounds.muted));
}
