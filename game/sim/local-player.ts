/** The player's own avatar: input in, fixed-step simulation, state out. No Phaser, no DOM. */
import { type AvatarState, type MoveInput, NO_INPUT, spawnAvatar, stepAvatar } from "./avatar.ts";
import { FixedStepper } from "./fixed-step.ts";

export const SIM_HZ = 60;

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

  advance(elapsedMs: number): void {
    const dtSeconds = this.#stepper.stepMs / 1000;
    this.#stepper.advance(elapsedMs, () => {
      this.#state = stepAvatar(this.#state, this.#input, dtSeconds);
      this.#tick++;
    });
  }
}
