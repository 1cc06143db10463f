/**
 * The lobby log: chat lines (names in the player's colour) and notices about who came,
 * went or was removed. Enter sends and leaves the box; the input never takes more than the lobby
 * accepts.
 */
import { MAX_CHAT_CHARS } from "edgeplay/protocol";
import { cssColor, peerColor } from "../scenes/peer-color.ts";
import type { LogEntry } from "../session/lobby-log.ts";
import { element } from "./dom.ts";

export interface ChatSendOutcome {
  readonly ok: boolean;
}

/** Counts as "at the bottom" when within this many pixels of it. */
const STICK_TO_BOTTOM_PX = 24;

export class ChatView {
  readonly #log: HTMLElement;
  readonly #input: HTMLInputElement;
  readonly #send: HTMLButtonElement;
  readonly #error: HTMLElement;
  #renderedLast: LogEntry | undefined;
  #renderedCount = 0;

  constructor(
    log: HTMLElement,
    form: HTMLFormElement,
    input: HTMLInputElement,
    send: HTMLButtonElement,
    error: HTMLElement,
    sendChat: (text: string) => ChatSendOutcome,
  ) {
    this.#log = log;
    this.#input = input;
    this.#send = send;
    this.#error = error;
    input.maxLength = MAX_CHAT_CHARS;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // A line sent, or Enter in an empty box: the keys go back to the avatar. A line that
      // was refused stays, with the box, for another try.
      if (input.value.trim() !== "" && !sendChat(input.value).ok) return;
      input.value = "";
      input.blur();
    });
  }

  render(entries: readonly LogEntry[], enabled: boolean, chatError: string | null): void {
    this.#send.disabled = !enabled;
    this.#error.hidden = chatError === null || chatError === "";
    this.#error.textContent = chatError ?? "";
    const last = entries.at(-1);
    // The log only grows at the end (dropping old lines at the front), so this spots any change.
    if (last === this.#renderedLast && entries.length === this.#renderedCount) return;
    const atBottom =
      this.#log.scrollHeight - this.#log.scrollTop - this.#log.clientHeight < STICK_TO_BOTTOM_PX;
    this.#log.replaceChildren(...entries.map((entry) => this.#line(entry)));
    this.#renderedLast = last;
    this.#renderedCount = entries.length;
    if (atBottom || last?.kind === "chat") this.#log.scrollTop = this.#log.scrollHeight;
  }

  clear(): void {
    this.#input.value = "";
    this.render([], false, null);
  }

  #line(entry: LogEntry): HTMLElement {
    const doc = this.#log.ownerDocument;
    const time = element(doc, "time", {
      text: clockTime(entry.at),
      attrs: { datetime: new Date(entry.at).toISOString() },
    });
    if (entry.kind === "notice") {
      return element(doc, "li", { className: "notice" }, [
        time,
        element(doc, "span", { className: "text", text: entry.text }),
      ]);
    }
    const name = element(doc, "span", { className: "from", text: entry.name });
    name.style.color = cssColor(peerColor(entry.color).text);
    return element(doc, "li", { className: "chat-line", data: { from: entry.from } }, [
      time,
      name,
      element(doc, "span", { className: "text", text: entry.text }),
    ]);
  }
}

function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
