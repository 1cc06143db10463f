/**
 * The players list in the lobby panel: one row per player with their colour, a host crown, a ready tick,
 * "reconnecting…" for a player whose connection dropped, and for the host a remove button
 * that asks once more before it acts.
 */

import { cssColor, peerColor } from "../scenes/peer-color.ts";
import { element } from "./dom.ts";
import type { RosterRow } from "./lobby-panel-model.ts";
import type { VoiceBadge } from "./voice-panel-model.ts";

/** How long a first click on "Remove" waits for the confirming second click. */
const CONFIRM_WINDOW_MS = 3000;

export class RosterView {
  readonly #list: HTMLElement;
  readonly #count: HTMLElement;
  readonly #kick: (peerId: string) => void;
  #rows: readonly RosterRow[] = [];
  #maxPlayers = 0;
  #renderedKey = "";
  #confirming: string | null = null;
  #confirmTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(list: HTMLElement, count: HTMLElement, kick: (peerId: string) => void) {
    this.#list = list;
    this.#count = count;
    this.#kick = kick;
    list.addEventListener("click", (event) => this.#onClick(event));
  }

  render(rows: readonly RosterRow[], maxPlayers: number): void {
    this.#rows = rows;
    this.#maxPlayers = maxPlayers;
    const key = JSON.stringify([rows, maxPlayers, this.#confirming]);
    if (key === this.#renderedKey) return;
    this.#renderedKey = key;
    this.#count.textContent = `${rows.length}/${maxPlayers}`;
    this.#list.replaceChildren(...rows.map((row) => this.#row(row)));
  }

  #row(row: RosterRow): HTMLElement {
    const doc = this.#list.ownerDocument;
    // While a player's connection is down, that matters more than whether they are ready.
    const state = row.connected
      ? element(doc, "span", {
          className: row.ready ? "ready is-ready" : "ready",
          text: row.ready ? "✓ ready" : "not ready",
        })
      : element(doc, "span", {
          className: "reconnecting",
          text: "reconnecting…",
          title: `${row.name} lost their connection; their seat is held for a while`,
        });
    const badges = element(doc, "span", { className: "badges" }, [
      row.voice === null ? null : voiceBadge(doc, row.voice, row.name),
      row.isHost
        ? element(doc, "span", { className: "host", text: "♛ host", title: "Host" })
        : null,
      state,
    ]);
    const swatch = element(doc, "span", {
      className: "swatch",
      data: { color: String(row.color) },
    });
    swatch.style.backgroundColor = cssColor(peerColor(row.color).fill);
    const name = element(doc, "span", { className: "name" }, [
      swatch,
      element(doc, "span", {
        className: "link-dot",
        title: row.linkOpen ? "Connected (H in the arena shows how)" : "Connecting…",
        data: { open: String(row.linkOpen) },
      }),
      element(doc, "span", { className: "name-text", text: row.name }),
      row.isSelf ? element(doc, "span", { className: "you", text: "(you)" }) : null,
    ]);
    const confirming = this.#confirming === row.id;
    const kick = row.canKick
      ? element(doc, "button", {
          className: confirming ? "kick small danger confirming" : "kick small",
          text: confirming ? "Sure?" : "Remove",
          title: `Remove ${row.name} from the lobby`,
          attrs: { type: "button" },
          data: { peerId: row.id },
        })
      : null;
    return element(
      doc,
      "li",
      {
        className: row.connected ? "roster-row" : "roster-row is-disconnected",
        data: {
          peerId: row.id,
          host: String(row.isHost),
          ready: String(row.ready),
          connected: String(row.connected),
        },
      },
      [name, badges, kick],
    );
  }

  #onClick(event: Event): void {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    const button = target.closest("button.kick");
    if (!(button instanceof HTMLButtonElement)) return;
    const peerId = button.dataset["peerId"];
    if (peerId === undefined) return;
    if (this.#confirming === peerId) {
      this.#setConfirming(null);
      this.#kick(peerId);
      return;
    }
    this.#setConfirming(peerId);
    this.#confirmTimer = setTimeout(() => this.#setConfirming(null), CONFIRM_WINDOW_MS);
  }

  #setConfirming(peerId: string | null): void {
    if (this.#confirmTimer !== null) clearTimeout(this.#confirmTimer);
    this.#confirmTimer = null;
    this.#confirming = peerId;
    this.render(this.#rows, this.#maxPlayers);
  }
}

/** Short marks beside the name (a row has little room); the title says it in words. */
const VOICE_LABELS: Readonly<Record<VoiceBadge, { text: string; title: string }>> = {
  speaking: { text: "🔊", title: "Speaking" },
  muted: { text: "🔇", title: "Voice on, muted" },
  deafened: { text: "🔕", title: "Deafened: hears no one, and is muted" },
  "voice-on": { text: "🎤", title: "Voice on" },
  "no-path": { text: "no voice on this path", title: "" },
};

function voiceBadge(doc: Document, badge: VoiceBadge, name: string): HTMLElement {
  const { text, title } = VOICE_LABELS[badge];
  const said =
    badge === "no-path"
      ? `Your connection to ${name} goes through the lobby's relay, which carries no voice`
      : title;
  return element(doc, "span", {
    className: "voice-badge",
    text,
    title: said,
    attrs: { "aria-label": said },
    data: { voice: badge },
  });
}
