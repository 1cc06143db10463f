/**
 * What a taken pickup looks like: a ring that opens where it was, a spray of sparks and a "+1"
 * in the taker's colour that floats up and fades. A star gets a bigger, white-cyan version with
 * a flash, and a bigger "+3". Fire and forget: every object removes itself when its tween ends.
 */
import * as Phaser from "phaser";
import type { Award } from "../world/world-session.ts";
import { SPARK_TEXTURE } from "./feel-textures.ts";

const PICKUP_SPARK = 0xffd166;
const STAR_SPARK = 0xbff6ff;
const STAR_RING = 0x7df9ff;
const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
/** The "+1" font size; a star's "+3" is larger. */
export const GAIN_FONT_PX = 26;
const STAR_GAIN_FONT_PX = 38;
/** Over the pickups and avatars, under the banner and cards. */
const DEPTH = 3;

export class AwardEffects {
  readonly #scene: Phaser.Scene;
  readonly #sparks: Phaser.GameObjects.Particles.ParticleEmitter;
  #sparkTint = PICKUP_SPARK;

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
    this.#sparks = scene.add
      .particles(0, 0, SPARK_TEXTURE, {
        emitting: false,
        lifespan: { min: 280, max: 620 },
        speed: { min: 70, max: 240 },
        scale: { start: 0.9, end: 0 },
        alpha: { start: 1, end: 0 },
        tint: { onEmit: () => this.#sparkTint },
        blendMode: Phaser.BlendModes.ADD,
      })
      .setDepth(DEPTH);
  }

  /** `color` is the taker's; `textZoom` enlarges the "+1" where the arena is drawn small. */
  show(award: Award, color: number, ours: boolean, textZoom: number): void {
    const star = award.value > 1;
    const { x, y } = award;
    this.#ring(x, y, star ? STAR_RING : color, star ? 3.4 : 2.3, star ? 620 : 420);
    if (star) this.#ring(x, y, 0xffffff, 2.2, 420);
    this.#sparkTint = star ? STAR_SPARK : PICKUP_SPARK;
    this.#sparks.explode(star ? 30 : ours ? 14 : 10, x, y);
    if (star) {
      this.#sparkTint = color;
      this.#sparks.explode(10, x, y);
    }
    this.#gain(award, color, textZoom);
  }

  #ring(x: number, y: number, color: number, growTo: number, durationMs: number): void {
    const ring = this.#scene.add
      .circle(x, y, 16)
      .setStrokeStyle(4, color, 1)
      .setDepth(DEPTH)
      .setBlendMode(Phaser.BlendModes.ADD);
    this.#scene.tweens.add({
      targets: ring,
      scale: growTo,
      alpha: 0,
      duration: durationMs,
      ease: "Cubic.easeOut",
      onComplete: () => ring.destroy(),
    });
  }

  #gain(award: Award, color: number, textZoom: number): void {
    const star = award.value > 1;
    const text = this.#scene.add
      .text(award.x, award.y - 24, `+${award.value}`, {
        fontFamily: FONT,
        fontSize: `${star ? STAR_GAIN_FONT_PX : GAIN_FONT_PX}px`,
        fontStyle: "bold",
        color: cssColor(star ? 0xffffff : color),
        stroke: star ? cssColor(color) : "#0b0e1a",
        strokeThickness: star ? 7 : 5,
        resolution: 2,
      })
      .setOrigin(0.5, 1)
      .setDepth(DEPTH + 0.1)
      .setScale(textZoom * 0.6);
    this.#scene.tweens.add({
      targets: text,
      y: award.y - 24 - (star ? 70 : 50) * textZoom,
      scale: textZoom,
      duration: star ? 1100 : 850,
      ease: "Cubic.easeOut",
    });
    this.#scene.tweens.add({
      targets: text,
      alpha: 0,
      delay: star ? 700 : 450,
      duration: 400,
      onComplete: () => text.destroy(),
    });
  }
}

export function cssColor(color: number): string {
  return `#${color.toString(16).padStart(6, "0")}`;
}
