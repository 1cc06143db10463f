/**
 * The step before joining from a link or QR code: "Join lobby CODE as [name] [Join]", with the
 * name this browser used last (a made-up one the first time), so a player sees and chooses how
 * others will see them. Enter joins.
 */
import { requireElement } from "./dom.ts";

export interface JoinStepActions {
  join(codeInput: string, playerName: string): void;
  /** The player wants the menu instead (another lobby, a new one). */
  leaveJoinStep(code: string): void;
}

export class JoinStepView {
  readonly #code: HTMLElement;
  readonly #name: HTMLInputElement;
  readonly #submit: HTMLButtonElement;
  readonly #menu: HTMLButtonElement;
  #lobbyCode = "";

  constructor(doc: Document, actions: JoinStepActions) {
    this.#code = requireElement(doc, "join-step-code", HTMLElement);
    this.#name = requireElement(doc, "join-step-name", HTMLInputElement);
    this.#submit = requireElement(doc, "join-step-submit", HTMLButtonElement);
    this.#menu = requireElement(doc, "join-step-menu", HTMLButtonElement);
    requireElement(doc, "join-step-form", HTMLFormElement).addEventListener("submit", (event) => {
      event.preventDefault();
      actions.join(this.#lobbyCode, this.#name.value);
    });
    this.#menu.addEventListener("click", () => actions.leaveJoinStep(this.#lobbyCode));
  }

  /** Shows lobby `code` with `name` filled in and selected: Enter joins, typing replaces it. */
  open(code: string, name: string): void {
    this.#lobbyCode = code;
    this.#code.textContent = code;
    this.#name.value = name;
    this.#name.focus();
    this.#name.select();
  }

  setBusy(busy: boolean): void {
    for (const control of [this.#name, this.#submit, this.#menu]) control.disabled = busy;
  }
}
