/**
 * The voice controls in the lobby panel: turn voice on or off, hold Talk (or the V key) to
 * speak, mute, deafen, open mic; a short line saying what is happening or what went wrong; and
 * each other player's volume. Shows and reports; the room's voice decides (voice-panel-model.ts).
 */
import { isTextEntry, requireElement } from "./dom.ts";
import { type VoiceMixActions, VoiceMixView } from "./voice-mix-view.ts";
import type { VoiceModel } from "./voice-panel-model.ts";
import { TALK_KEY } from "./voice-text.ts";

export interface VoiceActions extends VoiceMixActions {
  toggle(): void;
  press(): void;
  release(): void;
  toggleMute(): void;
  toggleDeafen(): void;
  toggleMode(): void;
}

export class VoiceControls {
  readonly #toggle: HTMLButtonElement;
  readonly #off: HTMLButtonElement;
  readonly #talk: HTMLButtonElement;
  readonly #mute: HTMLButtonElement;
  readonly #deafen: HTMLButtonElement;
  readonly #openMicLabel: HTMLElement;
  readonly #openMic: HTMLInputElement;
  readonly #status: HTMLElement;
  readonly #mix: VoiceMixView;

  constructor(doc: Document, actions: VoiceActions) {
    this.#toggle = requireElement(doc, "voice-toggle", HTMLButtonElement);
    this.#off = requireElement(doc, "voice-off", HTMLButtonElement);
    this.#talk = requireElement(doc, "voice-talk", HTMLButtonElement);
    this.#mute = requireElement(doc, "voice-mute", HTMLButtonElement);
    this.#deafen = requireElement(doc, "voice-deafen", HTMLButtonElement);
    this.#openMicLabel = requireElement(doc, "voice-open-mic-label", HTMLElement);
    this.#openMic = requireElement(doc, "voice-open-mic", HTMLInputElement);
    this.#status = requireElement(doc, "voice-status", HTMLElement);
    this.#mix = new VoiceMixView(requireElement(doc, "voice-mix", HTMLElement), actions);
    this.#toggle.addEventListener("click", () => actions.toggle());
    this.#off.addEventListener("click", () => actions.toggle());
    this.#mute.addEventListener("click", () => actions.toggleMute());
    this.#deafen.addEventListener("click", () => actions.toggleDeafen());
    this.#openMic.addEventListener("change", () => actions.toggleMode());
    // Held with a mouse, a finger or a pen; let go anywhere, or lost to the system, it stops.
    this.#talk.addEventListener("pointerdown", (event) => {
      this.#talk.setPointerCapture(event.pointerId);
      actions.press();
    });
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"] as const) {
      this.#talk.addEventListener(type, () => actions.release());
    }
    this.#talk.addEventListener("contextmenu", (event) => event.preventDefault());
    wireTalkKey(doc, actions);
  }

  render(model: VoiceModel): void {
    this.#toggle.textContent = model.toggleLabel;
    this.#toggle.disabled = model.toggleDisabled;
    this.#toggle.setAttribute("aria-pressed", String(model.on));
    // On, the switch gives its place to Talk, Mute and Deafen and waits at the line's end.
    this.#toggle.hidden = model.on;
    this.#off.hidden = !model.on;
    this.#mute.hidden = !model.on;
    this.#deafen.hidden = !model.on;
    this.#openMicLabel.hidden = !model.on;
    this.#openMic.checked = model.openMic;
    this.#talk.hidden = !model.talkShown;
    this.#talk.classList.toggle("is-talking", model.talking);
    this.#talk.textContent = model.talking ? "Talking…" : "Talk";
    this.#mute.textContent = model.muteLabel;
    this.#mute.setAttribute("aria-pressed", String(model.muted));
    this.#deafen.textContent = model.deafenLabel;
    this.#deafen.setAttribute("aria-pressed", String(model.deafened));
    if (this.#status.textContent !== model.status) this.#status.textContent = model.status;
    this.#status.classList.toggle("is-error", model.isError);
    this.#mix.render(model.mix);
  }
}

/**
 * Hold V to talk, unless a text field has the keys. A key held while the window loses focus
 * never sends its keyup, so losing focus or visibility lets go too.
 */
function wireTalkKey(doc: Document, actions: VoiceActions): void {
  const typing = (): boolean => isTextEntry(doc.activeElement);
  const isTalkKey = (event: KeyboardEvent): boolean =>
    event.key.toUpperCase() === TALK_KEY && !event.ctrlKey && !event.altKey && !event.metaKey;
  doc.addEventListener("keydown", (event) => {
    if (isTalkKey(event) && !event.repeat && !typing()) actions.press();
  });
  doc.addEventListener("keyup", (event) => {
    if (isTalkKey(event)) actions.release();
  });
  doc.defaultView?.addEventListener("blur", () => actions.release());
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden") actions.release();
  });
}
