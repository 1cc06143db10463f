/**
 * The panel beside the arena while in a lobby: name, phase and code; the share link with a
 * copy button and a QR code; the roster; voice; ready and host controls; and the chat.
 */
import type { LobbyPhase } from "edgeplay/protocol";
import { phaseLabel } from "../session/notice-text.ts";
import { type ChatSendOutcome, ChatView } from "./chat-view.ts";
import { requireElement } from "./dom.ts";
import { invite, LOCAL_ONLY_NOTE } from "./invite-link.ts";
import type { ControlState, PanelModel } from "./lobby-panel-model.ts";
import { showQrCode } from "./qr-code.ts";
import { RosterView } from "./roster-view.ts";
import { type VoiceActions, VoiceControls } from "./voice-controls.ts";

export interface LobbyPanelActions {
  leave(): void;
  setReady(ready: boolean): void;
  setPhase(phase: LobbyPhase): void;
  /** The host ends the running round now (its results show, then the match goes on). */
  endRound(): void;
  kick(peerId: string): void;
  sendChat(text: string): ChatSendOutcome;
  readonly voice: VoiceActions;
}

const COPY_FEEDBACK_MS = 1500;

export class LobbyPanel {
  readonly #title: HTMLElement;
  readonly #phase: HTMLElement;
  readonly #mode: HTMLElement;
  readonly #code: HTMLElement;
  readonly #shareLink: HTMLAnchorElement;
  readonly #shareNote: HTMLElement;
  readonly #copy: HTMLButtonElement;
  readonly #qr: HTMLElement;
  readonly #ready: HTMLButtonElement;
  readonly #start: HTMLButtonElement;
  readonly #startConfirm: HTMLElement;
  readonly #startQuestion: HTMLElement;
  readonly #finish: HTMLButtonElement;
  readonly #reopen: HTMLButtonElement;
  readonly #hint: HTMLElement;
  readonly #roster: RosterView;
  readonly #chat: ChatView;
  readonly #voice: VoiceControls;
  #selfReady = false;
  /** What Start asks first (null: it starts at once), and whether it is asking now. */
  #question: string | null = null;
  #asking = false;
  #startState: ControlState = "hidden";
  #copyResetTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(doc: Document, actions: LobbyPanelActions) {
    this.#title = requireElement(doc, "lobby-title", HTMLElement);
    this.#phase = requireElement(doc, "phase", HTMLElement);
    this.#mode = requireElement(doc, "lobby-mode", HTMLElement);
    this.#code = requireElement(doc, "lobby-code", HTMLElement);
    this.#shareLink = requireElement(doc, "share-link", HTMLAnchorElement);
    this.#shareNote = requireElement(doc, "share-note", HTMLElement);
    this.#copy = requireElement(doc, "copy-link", HTMLButtonElement);
    this.#qr = requireElement(doc, "qr-code", HTMLElement);
    this.#ready = requireElement(doc, "ready-toggle", HTMLButtonElement);
    this.#start = requireElement(doc, "start-game", HTMLButtonElement);
    this.#startConfirm = requireElement(doc, "start-confirm", HTMLElement);
    this.#startQuestion = requireElement(doc, "start-question", HTMLElement);
    this.#finish = requireElement(doc, "finish-game", HTMLButtonElement);
    this.#reopen = requireElement(doc, "reopen-lobby", HTMLButtonElement);
    this.#hint = requireElement(doc, "phase-hint", HTMLElement);
    this.#roster = new RosterView(
      requireElement(doc, "roster", HTMLElement),
      requireElement(doc, "roster-count", HTMLElement),
      (peerId) => actions.kick(peerId),
    );
    this.#chat = new ChatView(
      requireElement(doc, "chat-log", HTMLElement),
      requireElement(doc, "chat-form", HTMLFormElement),
      requireElement(doc, "chat-input", HTMLInputElement),
      requireElement(doc, "chat-send", HTMLButtonElement),
      requireElement(doc, "chat-error", HTMLElement),
      (text) => actions.sendChat(text),
    );

    this.#voice = new VoiceControls(doc, actions.voice);

    requireElement(doc, "leave-lobby", HTMLButtonElement).addEventListener("click", () =>
      actions.leave(),
    );
    this.#copy.addEventListener("click", () => void this.#copyShareLink());
    this.#ready.addEventListener("click", () => actions.setReady(!this.#selfReady));
    this.#start.addEventListener("click", () => {
      if (this.#question === null) actions.setPhase("playing");
      else this.#setAsking(true);
    });
    requireElement(doc, "start-anyway", HTMLButtonElement).addEventListener("click", () => {
      this.#setAsking(false);
      actions.setPhase("playing");
    });
    requireElement(doc, "start-wait", HTMLButtonElement).addEventListener("click", () =>
      this.#setAsking(false),
    );
    this.#finish.addEventListener("click", () => actions.endRound());
    this.#reopen.addEventListener("click", () => actions.setPhase("waiting"));
  }

  /**
   * A new stay in a lobby: the share link and its QR code (or, for a link only this computer
   * can open, a note saying so in the code's place), and an empty log.
   */
  open(code: string, joinUrl: string): void {
    this.#code.textContent = code;
    this.showShareLink(joinUrl);
    this.#chat.clear();
  }

  /** The share link and its QR code, or the note that only this computer can open it. */
  showShareLink(joinUrl: string): void {
    const { url, localOnly } = invite(joinUrl);
    this.#shareLink.href = url;
    this.#shareLink.textContent = url;
    this.#shareNote.textContent = localOnly ? LOCAL_ONLY_NOTE : "";
    this.#shareNote.hidden = !localOnly;
    this.#qr.hidden = localOnly;
    if (!localOnly && this.#qr.dataset["text"] !== url) showQrCode(this.#qr, url);
    this.#resetCopyButton();
  }

  render(model: PanelModel): void {
    this.#title.textContent = model.title;
    this.#mode.textContent = model.mode;
    this.#phase.textContent = phaseLabel(model.phase);
    this.#phase.dataset["phase"] = model.phase;
    this.#selfReady = model.selfReady;
    this.#ready.textContent = model.selfReady ? "✓ Ready" : "I'm ready";
    this.#ready.setAttribute("aria-pressed", String(model.selfReady));
    this.#ready.classList.toggle("is-ready", model.selfReady);
    applyControl(this.#ready, model.ready);
    this.#startState = model.start;
    this.#question = model.startQuestion;
    // A question that no longer applies (someone joined, the phase moved on) is withdrawn.
    if (model.start !== "enabled" || model.startQuestion === null) this.#setAsking(false);
    else this.#setAsking(this.#asking);
    applyControl(this.#finish, model.finish);
    applyControl(this.#reopen, model.reopen);
    if (this.#hint.textContent !== model.hint) this.#hint.textContent = model.hint;
    this.#roster.render(model.roster, model.maxPlayers);
    this.#chat.render(model.log, model.chat === "enabled", model.chatError);
    this.#voice.render(model.voice);
  }

  /** Start, or in its place the question it asks first with "Start anyway" and "Wait". */
  #setAsking(asking: boolean): void {
    this.#asking = asking;
    if (this.#startQuestion.textContent !== this.#question) {
      this.#startQuestion.textContent = this.#question;
    }
    this.#startConfirm.hidden = !asking;
    applyControl(this.#start, asking ? "hidden" : this.#startState);
  }

  async #copyShareLink(): Promise<void> {
    const url = this.#shareLink.href;
    try {
      await navigator.clipboard.writeText(url);
      this.#flashCopyButton("Copied!");
    } catch {
      // No clipboard access (insecure origin, denied permission): select it for a manual copy.
      getSelection()?.selectAllChildren(this.#shareLink);
      this.#flashCopyButton("Press Ctrl+C");
    }
  }

  #flashCopyButton(label: string): void {
    this.#copy.textContent = label;
    if (this.#copyResetTimer !== null) clearTimeout(this.#copyResetTimer);
    this.#copyResetTimer = setTimeout(() => this.#resetCopyButton(), COPY_FEEDBACK_MS);
  }

  #resetCopyButton(): void {
    this.#copy.textContent = "Copy link";
  }
}

function applyControl(button: HTMLButtonElement, state: ControlState): void {
  button.hidden = state === "hidden";
  button.disabled = state !== "enabled";
}
