/**
 * The world's active pickups, one sprite per pickup id: a gold disc with a gentle glow for a
 * point, and for a star (worth more) a white star with a cyan glow twice the size that turns
 * and pulses faster, so it reads as the prize from across the arena.
 */
import * as Phaser from "phaser";
import type { Pickup } from "../world/events-wire.ts";

const CORE_COLOR = 0xffd166;
const GLOW_COLOR = 0xffb703;
const STAR_COLOR = 0xf4feff;
const STAR_EDGE = 0x7df9ff;
const STAR_GLOW = 0x3fd8ff;
/** One pulse of the glow, ms; a star's is quicker. */
const PULSE_MS = 1400;
const STAR_PULSE_MS = 800;
/** A star's turn, ms per revolution. */
const STAR_TURN_MS = 6000;

interface PickupSprite {
  readonly glow: Phaser.GameObjects.Arc;
  readonly core: Phaser.GameObjects.Shape;
  readonly star: boolean;
  /** Each pickup pulses at its own phase, so a field of them shimmers rather than blinks. */
  readonly phase: number;
}

export class PickupLayer {
  readonly #scene: Phaser.Scene;
  readonly #radius: number;
  readonly #sprites = new Map<number, PickupSprite>();

  constructor(scene: Phaser.Scene, radius: number) {
    this.#scene = scene;
    this.#radius = radius;
  }

  update(pickups: readonly Pickup[], nowMs: number): void {
    const seen = new Set<number>();
    for (const pickup of pickups) {
      seen.add(pickup.id);
      const star = pickup.value > 1;
      let sprite = this.#sprites.get(pickup.id);
      if (sprite !== undefined && sprite.star !== star) {
        this.#remove(pickup.id, sprite);
        sprite = undefined;
      }
      sprite ??= this.#add(pickup.id, star);
      const period = star ? STAR_PULSE_MS : PULSE_MS;
      const pulse = 0.5 + 0.5 * Math.sin((nowMs / period) * 2 * Math.PI + sprite.phase);
      sprite.glow.setPosition(pickup.x, pickup.y).setScale(1 + (star ? 0.35 : 0.25) * pulse);
      sprite.glow.setAlpha((star ? 0.35 : 0.25) + 0.25 * pulse);
      sprite.core.setPosition(pickup.x, pickup.y);
      if (star) sprite.core.setRotation((nowMs / STAR_TURN_MS) * 2 * Math.PI);
    }
    for (const [id, sprite] of this.#sprites) if (!seen.has(id)) this.#remove(id, sprite);
  }

  #remove(id: number, sprite: PickupSprite): void {
    sprite.glow.destroy();
    sprite.core.destroy();
    this.#sprites.delete(id);
  }

  #add(id: number, star: boolean): PickupSprite {
    const r = this.#radius;
    // Under the avatars (depth 1-2), over the floor.
    // Added light rather than painted over: on the dark floor it reads as a glow, not a halo.
    const glow = this.#scene.add
      .circle(0, 0, r * (star ? 2.8 : 1.9), star ? STAR_GLOW : GLOW_COLOR, 0.3)
      .setBlendMode(Phaser.BlendModes.ADD)
      .setDepth(0.5);
    const core = star
      ? this.#scene.add
          .star(0, 0, 5, r * 0.62, r * 1.45, STAR_COLOR, 1)
          .setStrokeStyle(3, STAR_EDGE, 1)
      : this.#scene.add.circle(0, 0, r, CORE_COLOR, 1).setStrokeStyle(2, 0xfff3c4, 0.9);
    core.setDepth(0.6);
    const sprite = { glow, core, star, phase: (id * 2.399) % (2 * Math.PI) };
    this.#sprites.set(id, sprite);
    return sprite;
  }
}
