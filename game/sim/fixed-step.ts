/**
 * Turns variable frame times into a whole number of fixed simulation steps ("fix your
 * timestep"), so movement does not depend on the display's frame rate.
 */
export class FixedStepper {
  readonly stepMs: number;
  readonly #maxStepsPerAdvance: number;
  #carryMs = 0;

  constructor(stepsPerSecond: number, maxStepsPerAdvance = 10) {
    this.stepMs = 1000 / stepsPerSecond;
    this.#maxStepsPerAdvance = maxStepsPerAdvance;
  }

  /** Runs `step` once per whole step in `elapsedMs` (plus the carry); returns how many ran. */
  advance(elapsedMs: number, step: () => void): number {
    if (!(elapsedMs > 0)) return 0;
    this.#carryMs += elapsedMs;
    let steps = 0;
    while (this.#carryMs >= this.stepMs && steps < this.#maxStepsPerAdvance) {
      step();
      this.#carryMs -= this.stepMs;
      steps++;
    }
    // After a long stall (hidden tab, debugger) drop the backlog rather than fast-forward.
    if (steps === this.#maxStepsPerAdvance) this.#carryMs = 0;
    return steps;
  }
}
