/**
 * The network HUD: a small translucent table in the arena's bottom-left corner, one row per
 * peer (see net-hud-text.ts). Redrawn a few times a second, not every frame: the figures are
 * one-second averages anyway, and re-rendering a text texture costs more than the numbers.
 */
import type * as Phaser from "phaser";
import type { PeerNetworkSnapshot } from "../debug.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import type { HudToggle } from "./hud-toggle.ts";
import { netHudLines } from "./net-hud-text.ts";
import { readableZoom } from "./text-zoom.ts";

const REDRAW_INTERVAL_MS = 250;
const FONT_PX = 13;
/** The table's left and right margin in the arena. */
const MARGIN = 8;

const STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
  fontSize: `${FONT_PX}px`,
  color: "#d6def8",
  backgroundColor: "rgba(11, 14, 26, 0.78)",
  padding: { x: 8, y: 6 },
  resolution: 2,
};

export class NetHud {
  readonly #text: Phaser.GameObjects.Text;
  readonly #toggle: HudToggle;
  readonly #read: () => readonly PeerNetworkSnapshot[];
  #drawnAtMs = Number.NEGATIVE_INFINITY;

  constructor(scene: Phaser.Scene, toggle: HudToggle, read: () => readonly PeerNetworkSnapshot[]) {
    this.#toggle = toggle;
    this.#read = read;
    // Bottom left, above the status line: the phase banner has the top. Above the avatars:
    // while it shows, it is what the developer is looking at.
    this.#text = scene.add
      .text(MARGIN, ARENA_HEIGHT - 32, "", STYLE)
      .setOrigin(0, 1)
      .setDepth(4)
      .setVisible(toggle.visible);
  }

  toggle(): void {
    this.#text.setVisible(this.#toggle.toggle());
    this.#drawnAtMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * `cssPerWorld`: CSS pixels per arena unit as the canvas is shown now. The table is enlarged
   * like the names where the arena is drawn small, but never past the arena's width.
   */
  update(nowMs: number, cssPerWorld: number): void {
    if (!this.#toggle.visible || nowMs - this.#drawnAtMs < REDRAW_INTERVAL_MS) return;
    this.#drawnAtMs = nowMs;
    this.#text.setText(netHudLines(this.#read()));
    const fits = (ARENA_WIDTH - 2 * MARGIN) / Math.max(1, this.#text.width);
    const zoom = Math.min(readableZoom(FONT_PX, cssPerWorld), Math.max(1, fits));
    if (this.#text.scaleX !== zoom) this.#text.setScale(zoom);
  }
}
