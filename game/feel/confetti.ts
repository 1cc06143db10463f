/** Confetti over the podium: a few seconds of tumbling paper in the winners' colours and gold. */
import type * as Phaser from "phaser";
import { ARENA_WIDTH } from "../sim/arena.ts";
import { confettiTexture } from "./feel-textures.ts";

const SHOWER_MS = 6000;
const ADVANCE_MS = 900;
/** Pieces per second over the whole arena, shared among the colours. */
const PIECES_PER_SECOND = 50;
const EXTRA_COLORS = [0xffd166, 0x7df9ff, 0xffffff];
/** Over the podium card: it is the card's celebration. */
const DEPTH = 6;

export class Confetti {
  readonly #scene: Phaser.Scene;
  /** One emitter per colour (the Canvas renderer cannot tint), made when first needed. */
  readonly #emitters = new Map<number, Phaser.GameObjects.Particles.ParticleEmitter>();

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
  }

  /** A shower in these colours (the winners') and gold, which stops by itself. */
  celebrate(colors: readonly number[]): void {
    const palette = [...new Set([...colors, ...EXTRA_COLORS])];
    const frequency = (1000 / PIECES_PER_SECOND) * palette.length;
    // Started as if already falling for a moment, so the arena fills at once.
    for (const color of palette) this.#emitterOf(color, frequency).start(ADVANCE_MS, SHOWER_MS);
  }

  stop(): void {
    for (const emitter of this.#emitters.values()) if (emitter.emitting) emitter.stop();
  }

  #emitterOf(color: number, frequency: number): Phaser.GameObjects.Particles.ParticleEmitter {
    let emitter = this.#emitters.get(color);
    if (emitter === undefined) {
      emitter = this.#scene.add
        .particles(0, -16, confettiTexture(this.#scene, color), {
          emitting: false,
          x: { min: 0, max: ARENA_WIDTH },
          lifespan: 4200,
          speedY: { min: 70, max: 170 },
          speedX: { min: -60, max: 60 },
          gravityY: 30,
          rotate: { start: 0, end: 720 },
          scaleX: { start: 1, end: 0.3 },
          scaleY: { min: 0.6, max: 1 },
          quantity: 1,
        })
        .setDepth(DEPTH);
      this.#emitters.set(color, emitter);
    }
    emitter.setFrequency(frequency, 1);
    return emitter;
  }
}
