/**
 * The DOM overlay around the game: the menu before joining, the lobby panel while in a lobby,
 * and the status and error lines in both. Shows things and reports clicks; what they mean is
 * decided by the app.
 */

import type { StatusTone } from "../session/status-text.ts";
import { requireElement } from "./dom.ts";
import { LobbyPanel, type LobbyPanelActions } from "./lobby-panel.ts";
import { type MenuActions, MenuView } from "./menu-view.ts";

export type ScreenMode = "menu" | "session";

export class LobbyScreen {
  readonly menu: MenuView;
  readonly panel: LobbyPanel;
  readonly #doc: Document;
  readonly #root: HTMLElement;
  readonly #menuSection: HTMLElement;
  readonly #panelSection: HTMLElement;
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;

  constructor(doc: Document, actions: MenuActions & LobbyPanelActions) {
    this.#doc = doc;
    this.#root = requireElement(doc, "ui", HTMLElement);
    this.#menuSection = requireElement(doc, "lobby-menu", HTMLElement);
    this.#panelSection = requireElement(doc, "lobby-panel", HTMLElement);
    this.#status = requireElement(doc, "status", HTMLElement);
    this.#error = requireElement(doc, "error", HTMLElement);
    this.menu = new MenuView(doc, actions);
    this.panel = new LobbyPanel(doc, actions);
  }

  get mode(): ScreenMode {
    return this.#root.dataset["mode"] === "session" ? "session" : "menu";
  }

  showMenu(): void {
    this.#setMode("menu");
    this.menu.setBusy(false);
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
    this.#panelSection.hidden = mode !== "session";
  }
}
