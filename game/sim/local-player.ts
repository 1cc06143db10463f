/** The player's own avatar: input in, fixed-step simulation, state out. No Phaser, no DOM. */
import { type PlacedAvatar, resolveOverlap } from "../world/overlap.ts";
import { type AvatarState, type MoveInput, NO_INPUT, spawnAvatar, stepAvatar } from "./avatar.ts";
import { FixedStepper } from "./fixed-step.ts";

export const SIM_HZ = 60;

/** The other avatars where this peer draws them, which ours may not overlap. */
export interface Obstacles {
  /** Our peer id: the overlap rule breaks ties by id, so it must be the lobby's one. */
  readonly selfId: string;
  readonly others: readonly PlacedAvatar[];
}

const NO_OBSTACLES: Obstacles = { selfId: "", others: [] };

export class LocalPlayer {
  #state: AvatarState;
  #input: MoveInput = NO_INPUT;
  #tick = 0;
  readonly #stepper = new FixedStepper(SIM_HZ);

  constructor(start: AvatarState = spawnAvatar()) {
    this.#state = start;
  }

  get state(): AvatarState {
    return this.#state;
  }

  /** Simulation steps taken so far; sent with each state packet. */
  get tick(): number {
    return this.#tick;
  }

  setInput(input: MoveInput): void {
    this.#input = input;
  }

  /**
   * Runs the fixed steps `elapsedMs` is worth. After each step the player-vs-player rule pushes
   * our avatar out of the others, so it runs at the simulation rate on every peer alike.
   */
  advance(elapsedMs: number, obstacles: Obstacles = NO_OBSTACLES): void {
    const dtSeconds = this.#stepper.stepMs / 1000;
    this.#stepper.advance(elapsedMs, () => {
      const moved = stepAvatar(this.#state, this.#input, dtSeconds);
      this.#state =
        obstacles.others.length === 0
          ? moved
          : resolveOverlap(obstacles.selfId, moved, obstacles.others);
      this.#tick++;
    });
  }
}
