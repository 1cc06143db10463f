/**
 * How a player looks: a colored disc with the name above it, and while their voice is heard a
 * green ring and a sound mark at the disc's top. Long names are cut by measured width at whole
 * graphemes; the name is enlarged where the arena is drawn small, and lifted clear of the names
 * and discs it would cover (`nameLifts`).
 */
import type * as Phaser from "phaser";
import { AVATAR_RADIUS } from "../sim/arena.ts";
import { fitText } from "./fit-text.ts";
import type { Disc, NameBox } from "./name-lift.ts";
import { textRuler } from "./text-ruler.ts";
import { readableZoom } from "./text-zoom.ts";

const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const NAME_FONT_PX = 14;
/** Where the name's bottom sits, from the disc's centre: just above the disc. */
const NAME_BOTTOM = -AVATAR_RADIUS - 6;
/** The widest a name label gets, in its own units (before any enlarging). */
const NAME_MAX_WIDTH = 130;
const measureName = textRuler(`${NAME_FONT_PX}px ${FONT}`);

const NAME_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: FONT,
  fontSize: `${NAME_FONT_PX}px`,
  color: "#e8ecff",
  stroke: "#0b0e1a",
  strokeThickness: 4,
  // Render text above the canvas scale so names stay sharp when the arena is enlarged.
  resolution: 2,
};

/** The roster's "speaking" green, so the two read as one signal. */
const SPEAKING_COLOR = 0x6bffb0;

export class AvatarSprite {
  readonly #container: Phaser.GameObjects.Container;
  readonly #label: Phaser.GameObjects.Text;
  readonly #speaking: Phaser.GameObjects.Container;
  #name = "";

  constructor(scene: Phaser.Scene, name: string, color: number, isLocal: boolean) {
    const disc = scene.add.circle(0, 0, AVATAR_RADIUS, color, 1);
    // The player's own avatar gets a white ring so it is easy to find.
    disc.setStrokeStyle(isLocal ? 3 : 2, isLocal ? 0xffffff : 0x0b0e1a, isLocal ? 0.95 : 0.6);
    this.#label = scene.add.text(0, NAME_BOTTOM, "", NAME_STYLE).setOrigin(0.5, 1);
    this.rename(name);
    this.#speaking = speakingMark(scene);
    this.#container = scene.add.container(0, 0, [this.#speaking, disc, this.#label]);
    this.#container.setDepth(isLocal ? 2 : 1);
  }

  moveTo(x: number, y: number): void {
    this.#container.setPosition(x, y);
  }

  /** Faded while the player's lobby connection is down and their seat is held. */
  setFaded(faded: boolean): void {
    const alpha = faded ? 0.35 : 1;
    if (this.#container.alpha !== alpha) this.#container.setAlpha(alpha);
  }

  /** On while their voice is heard (the kit's speaking, with its hold against flicker). */
  setSpeaking(speaking: boolean): void {
    if (this.#speaking.visible !== speaking) this.#speaking.setVisible(speaking);
  }

  rename(name: string): void {
    if (name === this.#name) return;
    this.#name = name;
    this.#label.setText(fitText(name, NAME_MAX_WIDTH, measureName));
  }

  /** `cssPerWorld`: CSS pixels per arena unit as the canvas is shown now. */
  setTextScale(cssPerWorld: number): void {
    const zoom = readableZoom(NAME_FONT_PX, cssPerWorld);
    if (this.#label.scaleX !== zoom) this.#label.setScale(zoom);
  }

  /** The name as drawn unlifted, in arena units, for `nameLifts`. */
  nameBox(id: string): NameBox {
    const { x, y } = this.#container;
    const { displayWidth: width, displayHeight: height } = this.#label;
    return { id, x, y: y + NAME_BOTTOM, width, height };
  }

  /** The disc where it is drawn, which other names keep clear of. */
  disc(): Disc {
    return { x: this.#container.x, y: this.#container.y, radius: AVATAR_RADIUS };
  }

  /** Moves the name up by `lift` arena units, clear of what it would cover. */
  liftName(lift: number): void {
    const y = NAME_BOTTOM - lift;
    if (this.#label.y !== y) this.#label.setY(y);
  }

  destroy(): void {
    this.#container.destroy();
  }
}

/** A ring round the disc and, at its top right, a badge with three sound bars. */
function speakingMark(scene: Phaser.Scene): Phaser.GameObjects.Container {
  const ring = scene.add.circle(0, 0, AVATAR_RADIUS + 4);
  ring.setStrokeStyle(3, SPEAKING_COLOR, 0.95);
  const badgeX = AVATAR_RADIUS * 0.8;
  const badgeY = -AVATAR_RADIUS * 0.8;
  const badge = scene.add.circle(badgeX, badgeY, 8, 0x0b0e1a, 0.9);
  badge.setStrokeStyle(2, SPEAKING_COLOR, 1);
  const bars = scene.add.graphics({ fillStyle: { color: SPEAKING_COLOR } });
  for (const [i, height] of [5, 9, 6].entries()) {
    bars.fillRect(badgeX - 5 + i * 4, badgeY - height / 2, 2, height);
  }
  return scene.add.container(0, 0, [ring, badge, bars]).setVisible(false);
}
