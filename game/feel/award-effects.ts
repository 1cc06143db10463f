/**
 * What a taken pickup looks like: a ring that opens where it was, a spray of sparks and a "+1"
 * in the taker's colour that floats up and fades. A star gets a bigger, white-cyan version with
 * a flash, and a bigger "+3". Fire and forget: every object removes itself when its tween ends.
 */
import * as Phaser from "phaser";
import type { Award } from "../world/world-session.ts";
import { sparkTexture } from "./feel-textures.ts";

const PICKUP_SPARK = 0xffd166;
const STAR_SPARK = 0xbff6ff;
const STAR_RING = 0x7df9ff;
const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
/** The "+1" font size; a star's "+3" is larger. */
export const GAIN_FONT_PX = 30;
const STAR_GAIN_FONT_PX = 42;
/** Over the pickups and avatars, under the banner and cards. */
const DEPTH = 3;

export class AwardEffects {
  readonly #scene: Phaser.Scene;
  /** One emitter per spark colour, made when first needed. */
  readonly #sparks = new Map<number, Phaser.GameObjects.Particles.ParticleEmitter>();

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
  }

  /** `color` is the taker's; `textZoom` enlarges the "+1" where the arena is drawn small. */
  show(award: Award, color: number, ours: boolean, textZoom: number): void {
    const star = award.value > 1;
    const { x, y } = award;
    this.#ring(x, y, star ? STAR_RING : color, star ? 3.4 : 2.3, star ? 620 : 420);
    if (star) this.#ring(x, y, 0xffffff, 2.2, 420);
    this.#sparksOf(star ? STAR_SPARK : PICKUP_SPARK).explode(star ? 30 : ours ? 16 : 12, x, y);
    this.#sparksOf(color).explode(star ? 12 : 6, x, y);
    this.#gain(award, color, textZoom);
  }

  #sparksOf(color: number): Phaser.GameObjects.Particles.ParticleEmitter {
    let sparks = this.#sparks.get(color);
    if (sparks === undefined) {
      sparks = this.#scene.add
        .particles(0, 0, sparkTexture(this.#scene, color), {
          emitting: false,
          lifespan: { min: 300, max: 650 },
          speed: { min: 80, max: 260 },
          scale: { start: 1.1, end: 0.2 },
          alpha: { start: 1, end: 0 },
          blendMode: Phaser.BlendModes.ADD,
        })
        .setDepth(DEPTH);
      this.#sparks.set(color, sparks);
    }
    return sparks;
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
      .setScale(textZoom * 0.8);
    this.#scene.tweens.add({
      targets: text,
      y: award.y - 24 - (star ? 70 : 50) * textZoom,
      scale: textZoom * (star ? 1.15 : 1),
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
