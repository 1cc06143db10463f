/**
 * The public lobbies list on the menu: one button per lobby (name, mode, players, phase),
 * plus a line that says when it is loading, empty or failed.
 */
import type { DirectoryEntry } from "edgeplay/protocol";
import { phaseLabel } from "../session/notice-text.ts";
import { element } from "./dom.ts";
import { modeLabel } from "./game-modes.ts";

export class PublicLobbiesView {
  readonly #list: HTMLElement;
  readonly #note: HTMLElement;
  readonly #refresh: HTMLButtonElement;
  #renderedKey = "";

  constructor(
    list: HTMLElement,
    note: HTMLElement,
    refresh: HTMLButtonElement,
    actions: { pick(code: string): void; refresh(): void },
  ) {
    this.#list = list;
    this.#note = note;
    this.#refresh = refresh;
    refresh.addEventListener("click", () => actions.refresh());
    list.addEventListener("click", (event) => {
      const target = event.target;
      if (!(target instanceof Element)) return;
      const button = target.closest("button[data-code]");
      if (!(button instanceof HTMLButtonElement)) return;
      const code = button.dataset["code"];
      if (code !== undefined) actions.pick(code);
    });
  }

  /** A request is under way; the current entries stay until it answers. */
  setLoading(loading: boolean): void {
    this.#refresh.disabled = loading;
    this.#refresh.textContent = loading ? "Loading…" : "Refresh";
    this.#list.setAttribute("aria-busy", String(loading));
    if (loading && this.#renderedKey === "") this.#note.textContent = "Looking for lobbies…";
  }

  show(entries: readonly DirectoryEntry[]): void {
    this.#note.textContent =
      entries.length === 0 ? "No public lobbies right now. Create one, or use Quick join." : "";
    this.#note.classList.remove("is-error");
    const key = JSON.stringify(
      entries.map((e) => [e.code, e.name, e.mode, e.phase, e.players, e.maxPlayers]),
    );
    if (key === this.#renderedKey) return;
    this.#renderedKey = key;
    this.#list.replaceChildren(...entries.map((entry) => this.#item(entry)));
  }

  showError(message: string): void {
    this.#note.textContent = message;
    this.#note.classList.add("is-error");
  }

  /** Locks the entries while the menu is busy joining. */
  setDisabled(disabled: boolean): void {
    for (const button of this.#list.querySelectorAll("button")) button.disabled = disabled;
  }

  #item(entry: DirectoryEntry): HTMLElement {
    const doc = this.#list.ownerDocument;
    const button = element(
      doc,
      "button",
      {
        className: "lobby-entry",
        data: { code: entry.code, phase: entry.phase },
        attrs: { type: "button" },
        title: `Join ${entry.name}`,
      },
      [
        element(doc, "span", { className: "entry-name", text: entry.name }),
        element(doc, "span", {
          className: "entry-meta",
          text: `${modeLabel(entry.mode)} · ${phaseLabel(entry.phase)}`,
        }),
        element(doc, "span", {
          className: "entry-players",
          text: `${entry.players}/${entry.maxPlayers}`,
          title: `${entry.players} of ${entry.maxPlayers} seats taken`,
        }),
      ],
    );
    return element(doc, "li", {}, [button]);
  }
}
