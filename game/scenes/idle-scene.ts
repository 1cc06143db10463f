/** Behind the lobby menu: the empty arena with a few faint avatars drifting about. */
import * as Phaser from "phaser";
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../sim/arena.ts";
import { type AvatarState, inputTowards, randomSpawn, stepAvatar } from "../sim/avatar.ts";
import { addArenaBackdrop } from "./arena-backdrop.ts";
import { colorForPeer } from "./peer-color.ts";

export const IDLE_SCENE_KEY = "idle";

const DRIFTER_COUNT = 5;
/** Fraction of full speed: drifters wander, they do not race. */
const DRIFT_EFFORT = 0.3;

interface Drifter {
  state: AvatarState;
  targetX: number;
  targetY: number;
  readonly disc: Phaser.GameObjects.Arc;
}

export class IdleScene extends Phaser.Scene {
  #drifters: Drifter[] = [];

  constructor() {
    super({ key: IDLE_SCENE_KEY });
  }

  create(): void {
    addArenaBackdrop(this);
    this.#drifters = Array.from({ length: DRIFTER_COUNT }, (_, index) => {
      const state = randomSpawn();
      const disc = this.add.circle(state.x, state.y, AVATAR_RADIUS, colorForPeer(index));
      disc.setAlpha(0.28);
      return { state, targetX: state.x, targetY: state.y, disc };
    });
  }

  override update(_time: number, deltaMs: number): void {
    const dt = Math.min(deltaMs, 100) / 1000;
    for (const drifter of this.#drifters) {
      const { state } = drifter;
      if (Math.hypot(drifter.targetX - state.x, drifter.targetY - state.y) < AVATAR_RADIUS) {
        drifter.targetX = AVATAR_RADIUS + Math.random() * (ARENA_WIDTH - 2 * AVATAR_RADIUS);
        drifter.targetY = AVATAR_RADIUS + Math.random() * (ARENA_HEIGHT - 2 * AVATAR_RADIUS);
      }
      const toward = inputTowards(state, drifter.targetX, drifter.targetY);
      const input = { x: toward.x * DRIFT_EFFORT, y: toward.y * DRIFT_EFFORT };
      drifter.state = stepAvatar(state, input, dt);
      drifter.disc.setPosition(drifter.state.x, drifter.state.y);
    }
  }
}
