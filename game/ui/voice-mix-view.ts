/**
 * The volume list under the voice controls: for each player whose voice reaches us, a slider
 * (0-200%, or up to 100% where voices cannot be amplified) and a mute that only we hear. Rows
 * are kept and updated in place, so a slider being dragged is never rebuilt under the finger.
 */
import { element } from "./dom.ts";
import type { VoiceMixRow } from "./voice-panel-model.ts";

export interface VoiceMixActions {
  /** `volume`: 1 is 100%. */
  setPeerVolume(peerId: string, volume: number): void;
  togglePeerMute(peerId: string): void;
}

interface RowParts {
  readonly item: HTMLLIElement;
  readonly name: HTMLElement;
  readonly slider: HTMLInputElement;
  readonly value: HTMLElement;
  readonly mute: HTMLButtonElement;
}

export class VoiceMixView {
  readonly #list: HTMLElement;
  readonly #actions: VoiceMixActions;
  readonly #rows = new Map<string, RowParts>();

  constructor(list: HTMLElement, actions: VoiceMixActions) {
    this.#list = list;
    this.#actions = actions;
  }

  render(rows: readonly VoiceMixRow[]): void {
    const wanted = new Set(rows.map((row) => row.id));
    for (const [id, parts] of this.#rows) {
      if (wanted.has(id)) continue;
      parts.item.remove();
      this.#rows.delete(id);
    }
    for (const [index, row] of rows.entries()) {
      const parts = this.#rows.get(row.id) ?? this.#create(row.id);
      update(parts, row);
      // Appending a node that is already in place would reset a drag: move only when needed.
      if (this.#list.children.item(index) !== parts.item) {
        this.#list.insertBefore(parts.item, this.#list.children.item(index));
      }
    }
    this.#list.hidden = rows.length === 0;
  }

  #create(peerId: string): RowParts {
    const doc = this.#list.ownerDocument;
    const name = element(doc, "span", { className: "mix-name" });
    const slider = element(doc, "input", {
      className: "mix-volume",
      attrs: { type: "range", min: "0", step: "10" },
    });
    const value = element(doc, "output", { className: "mix-value" });
    const mute = element(doc, "button", { className: "small mix-mute", attrs: { type: "button" } });
    slider.addEventListener("input", () => {
      value.textContent = `${slider.value}%`;
      this.#actions.setPeerVolume(peerId, Number(slider.value) / 100);
    });
    mute.addEventListener("click", () => this.#actions.togglePeerMute(peerId));
    const item = element(doc, "li", { className: "mix-row", data: { peerId } }, [
      name,
      slider,
      value,
      mute,
    ]);
    const parts = { item, name, slider, value, mute };
    this.#rows.set(peerId, parts);
    return parts;
  }
}

function update(parts: RowParts, row: VoiceMixRow): void {
  const { item, name, slider, value, mute } = parts;
  if (name.textContent !== row.name) name.textContent = row.name;
  item.classList.toggle("is-speaking", row.speaking);
  item.classList.toggle("is-muted", row.muted);
  const max = String(row.maxPercent);
  if (slider.max !== max) slider.max = max;
  slider.setAttribute("aria-label", `${row.name}'s volume`);
  // The player's own drag wins over a render that has not caught up with it yet.
  if (slider.ownerDocument.activeElement !== slider) slider.value = String(row.percent);
  slider.disabled = row.muted;
  const shown = row.muted ? "muted" : `${slider.value}%`;
  if (value.textContent !== shown) value.textContent = shown;
  mute.textContent = row.muted ? "Unmute" : "Mute";
  mute.setAttribute("aria-pressed", String(row.muted));
  mute.title = row.muted ? `Hear ${row.name} again` : `Stop hearing ${row.name} (only you)`;
}
