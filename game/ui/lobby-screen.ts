/**
 * The DOM overlay around the game: the menu before joining (or, for a link, the step that asks
 * for a name), the lobby panel while in a lobby, and the status and error lines in all. Shows things and reports clicks; what they mean is
 * decided by the app.
 */

import type { StatusTone } from "../session/status-text.ts";
import { wireChatFocus } from "./chat-focus.ts";
import { requireElement } from "./dom.ts";
import { type JoinStepActions, JoinStepView } from "./join-step-view.ts";
import { LobbyPanel, type LobbyPanelActions } from "./lobby-panel.ts";
import { type MenuActions, MenuView } from "./menu-view.ts";

export type ScreenMode = "menu" | "session";

export class LobbyScreen {
  readonly menu: MenuView;
  readonly joinStep: JoinStepView;
  readonly panel: LobbyPanel;
  readonly #doc: Document;
  readonly #root: HTMLElement;
  readonly #menuSection: HTMLElement;
  readonly #joinStepSection: HTMLElement;
  readonly #panelSection: HTMLElement;
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;

  constructor(doc: Document, actions: MenuActions & JoinStepActions & LobbyPanelActions) {
    this.#doc = doc;
    this.#root = requireElement(doc, "ui", HTMLElement);
    this.#menuSection = requireElement(doc, "lobby-menu", HTMLElement);
    this.#joinStepSection = requireElement(doc, "join-step", HTMLElement);
    this.#panelSection = requireElement(doc, "lobby-panel", HTMLElement);
    this.#status = requireElement(doc, "status", HTMLElement);
    this.#error = requireElement(doc, "error", HTMLElement);
    this.menu = new MenuView(doc, actions);
    this.joinStep = new JoinStepView(doc, actions);
    this.panel = new LobbyPanel(doc, actions);
    wireChatFocus(
      doc,
      requireElement(doc, "chat-input", HTMLInputElement),
      requireElement(doc, "stage", HTMLElement),
    );
  }

  get mode(): ScreenMode {
    return this.#root.dataset["mode"] === "session" ? "session" : "menu";
  }

  showMenu(): void {
    this.#setMode("menu");
    this.setBusy(false);
  }

  /** In place of the menu: join lobby `code` as `name` (editable). */
  showJoinStep(code: string, name: string): void {
    this.#setMode("menu");
    this.#menuSection.hidden = true;
    this.#joinStepSection.hidden = false;
    this.setBusy(false);
    this.joinStep.open(code, name);
  }

  /** Locks the menu and the join step while a request is in flight. */
  setBusy(busy: boolean): void {
    this.menu.setBusy(busy);
    this.joinStep.setBusy(busy);
  }

  showSession(code: string, joinUrl: string): void {
    this.#setMode("session");
    this.panel.open(code, joinUrl);
  }

  setStatus(text: string, tone: StatusTone = "info"): void {
    if (this.#status.textContent !== text) this.#status.textContent = text;
    this.#status.dataset["tone"] = tone;
  }

  showError(message: string): void {
    this.#error.textContent = message;
    this.#error.hidden = false;
  }

  clearError(): void {
    this.#error.textContent = "";
    this.#error.hidden = true;
  }

  #setMode(mode: ScreenMode): void {
    this.#root.dataset["mode"] = mode;
    // The page's layout (the stage makes room for the panel) follows the mode too.
    this.#doc.body.dataset["mode"] = mode;
    this.#menuSection.hidden = mode !== "menu";
    this.#joinStepSection.hidden = true;
    this.#panelSection.hidden = mode !== "session";
  }
}
