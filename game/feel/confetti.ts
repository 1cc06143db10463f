/** Confetti over the podium: a few seconds of tumbling paper in the players' colours. */
import type * as Phaser from "phaser";
import { ARENA_WIDTH } from "../sim/arena.ts";
import { CONFETTI_TEXTURE } from "./feel-textures.ts";

const SHOWER_MS = 6000;
/** Over the podium card: it is the card's celebration. */
const DEPTH = 6;

export class Confetti {
  readonly #emitter: Phaser.GameObjects.Particles.ParticleEmitter;

  constructor(scene: Phaser.Scene) {
    this.#emitter = scene.add
      .particles(0, -16, CONFETTI_TEXTURE, {
        emitting: false,
        x: { min: 0, max: ARENA_WIDTH },
        lifespan: 4200,
        speedY: { min: 70, max: 170 },
        speedX: { min: -60, max: 60 },
        gravityY: 30,
        rotate: { start: 0, end: 720 },
        scaleX: { start: 1, end: 0.3 },
        scaleY: { min: 0.6, max: 1 },
        quantity: 3,
        frequency: 60,
        tint: 0xffffff,
      })
      .setDepth(DEPTH);
  }

  /** Starts a shower in these colours (the winners' first), which stops by itself. */
  celebrate(colors: readonly number[]): void {
    const palette = [...colors, 0xffd166, 0x7df9ff, 0xffffff];
    this.#emitter.setParticleTint({
      onEmit: () => palette[Math.floor(Math.random() * palette.length)] ?? 0xffffff,
    });
    this.#emitter.start(0, SHOWER_MS);
  }

  stop(): void {
    this.#emitter.stop();
  }
}
