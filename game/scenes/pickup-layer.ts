/** The world's active pickups as small glowing discs that pulse gently, one per pickup id. */
import type * as Phaser from "phaser";
import type { Pickup } from "../world/events-wire.ts";

const CORE_COLOR = 0xffd166;
const GLOW_COLOR = 0xffb703;
/** One pulse of the glow, ms. */
const PULSE_MS = 1400;

interface PickupSprite {
  readonly glow: Phaser.GameObjects.Arc;
  readonly core: Phaser.GameObjects.Arc;
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
      const sprite = this.#sprites.get(pickup.id) ?? this.#add(pickup.id);
      const pulse = 0.5 + 0.5 * Math.sin((nowMs / PULSE_MS) * 2 * Math.PI + sprite.phase);
      sprite.glow.setPosition(pickup.x, pickup.y).setScale(1 + 0.25 * pulse);
      sprite.glow.setAlpha(0.25 + 0.25 * pulse);
      sprite.core.setPosition(pickup.x, pickup.y);
    }
    for (const [id, sprite] of this.#sprites) {
      if (seen.has(id)) continue;
      sprite.glow.destroy();
      sprite.core.destroy();
      this.#sprites.delete(id);
    }
  }

  #add(id: number): PickupSprite {
    // Under the avatars (depth 1-2), over the floor.
    // Added light rather than painted over: on the dark floor it reads as a glow, not a halo.
    const glow = this.#scene.add
      .circle(0, 0, this.#radius * 1.9, GLOW_COLOR, 0.3)
      .setBlendMode("ADD")
      .setDepth(0.5);
    const core = this.#scene.add
      .circle(0, 0, this.#radius, CORE_COLOR, 1)
      .setStrokeStyle(2, 0xfff3c4, 0.9)
      .setDepth(0.6);
    const sprite = { glow, core, phase: (id * 2.399) % (2 * Math.PI) };
    this.#sprites.set(id, sprite);
    return sprite;
  }
}
