/**
 * The DOM overlay around the game: the lobby menu (name, create, join by code) before
 * joining, and a slim bar with the share link and a leave button while playing. It only
 * shows things and reports clicks; what they mean is decided by the app.
 */
import { requireElement } from "./dom.ts";

export interface LobbyScreenActions {
  create(playerName: string): void;
  join(codeInput: string, playerName: string): void;
  leave(): void;
}

const COPY_FEEDBACK_MS = 1500;

export class LobbyScreen {
  readonly #root: HTMLElement;
  readonly #menu: HTMLElement;
  readonly #sessionBar: HTMLElement;
  readonly #name: HTMLInputElement;
  readonly #create: HTMLButtonElement;
  readonly #joinCode: HTMLInputElement;
  readonly #join: HTMLButtonElement;
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;
  readonly #lobbyCode: HTMLElement;
  readonly #shareLink: HTMLAnchorElement;
  readonly #copy: HTMLButtonElement;
  readonly #leave: HTMLButtonElement;
  #copyResetTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(doc: Document, actions: LobbyScreenActions) {
    this.#root = requireElement(doc, "ui", HTMLElement);
    this.#menu = requireElement(doc, "lobby-menu", HTMLElement);
    this.#sessionBar = requireElement(doc, "session-bar", HTMLElement);
    this.#name = requireElement(doc, "player-name", HTMLInputElement);
    this.#create = requireElement(doc, "create-lobby", HTMLButtonElement);
    this.#joinCode = requireElement(doc, "join-code", HTMLInputElement);
    this.#join = requireElement(doc, "join-lobby", HTMLButtonElement);
    this.#status = requireElement(doc, "status", HTMLElement);
    this.#error = requireElement(doc, "error", HTMLElement);
    this.#lobbyCode = requireElement(doc, "lobby-code", HTMLElement);
    this.#shareLink = requireElement(doc, "share-link", HTMLAnchorElement);
    this.#copy = requireElement(doc, "copy-link", HTMLButtonElement);
    this.#leave = requireElement(doc, "leave-lobby", HTMLButtonElement);

    this.#create.addEventListener("click", () => actions.create(this.#name.value));
    requireElement(doc, "join-form", HTMLFormElement).addEventListener("submit", (event) => {
      event.preventDefault();
      actions.join(this.#joinCode.value, this.#name.value);
    });
    this.#leave.addEventListener("click", () => actions.leave());
    this.#copy.addEventListener("click", () => void this.#copyShareLink());
  }

  get playerName(): string {
    return this.#name.value;
  }

  set playerName(name: string) {
    this.#name.value = name;
  }

  set joinCode(code: string) {
    this.#joinCode.value = code;
  }

  showMenu(): void {
    this.#root.dataset["mode"] = "menu";
    this.#menu.hidden = false;
    this.#sessionBar.hidden = true;
    this.setBusy(false);
  }

  showSession(code: string, shareUrl: string): void {
    this.#root.dataset["mode"] = "session";
    this.#menu.hidden = true;
    this.#sessionBar.hidden = false;
    this.#lobbyCode.textContent = code;
    this.#shareLink.href = shareUrl;
    this.#shareLink.textContent = shareUrl;
    this.#resetCopyButton();
  }

  /** Disables the menu while a request is in flight, so one click makes one lobby. */
  setBusy(busy: boolean): void {
    for (const control of [this.#name, this.#create, this.#joinCode, this.#join]) {
      control.disabled = busy;
    }
  }

  setStatus(text: string): void {
    if (this.#status.textContent !== text) this.#status.textContent = text;
  }

  showError(message: string): void {
    this.#error.textContent = message;
    this.#error.hidden = false;
  }

  clearError(): void {
    this.#error.textContent = "";
    this.#error.hidden = true;
  }

  async #copyShareLink(): Promise<void> {
    const url = this.#shareLink.href;
    try {
      await navigator.clipboard.writeText(url);
      this.#flashCopyButton("Copied!");
    } catch {
      // No clipboard access (insecure origin, denied permission): select it for a manual copy.
      const selection = getSelection();
      selection?.selectAllChildren(this.#shareLink);
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
