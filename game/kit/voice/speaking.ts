/**
 * Who is speaking, from the audio levels of played packets: on as soon as a level reaches
 * `onLevel`, off only after it has stayed under `offLevel` for `holdMs`, so the indicator does
 * not flicker between words. Pure: every call takes the time.
 */

export interface SpeakingOptions {
  /** Linear level, 0..1 (1 is 0 dBov), at or above which a player is speaking. */
  readonly onLevel: number;
  /** Below this the player counts as quiet (between the two, nothing changes). */
  readonly offLevel: number;
  /** How long quiet must last before the indicator goes off. */
  readonly holdMs: number;
  /** A level older than this is silence: with DTX, no packets arrive while nobody talks. */
  readonly staleMs: number;
}

export const DEFAULT_SPEAKING: SpeakingOptions = {
  onLevel: 0.05,
  offLevel: 0.02,
  holdMs: 400,
  staleMs: 300,
};

export class SpeakingDetector {
  readonly #options: SpeakingOptions;
  #speaking = false;
  #quietSince: number | null = null;

  constructor(options: Partial<SpeakingOptions> = {}) {
    this.#options = { ...DEFAULT_SPEAKING, ...options };
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /**
   * Takes the newest level and when it was played (`levelAt`, same clock as `nowMs`), or null
   * when nothing has been played; returns whether the player is speaking now.
   */
  update(level: number | null, levelAt: number | null, nowMs: number): boolean {
    const fresh = level !== null && levelAt !== null && nowMs - levelAt <= this.#options.staleMs;
    const heard = fresh ? level : 0;
    if (heard >= this.#options.onLevel) {
      this.#speaking = true;
      this.#quietSince = null;
    } else if (heard < this.#options.offLevel) {
      this.#quietSince ??= nowMs;
      if (nowMs - this.#quietSince >= this.#options.holdMs) this.#speaking = false;
    } else {
      // Softer speech keeps a speaker speaking; it does not start anyone.
      this.#quietSince = null;
    }
    return this.#speaking;
  }

  reset(): void {
    this.#speaking = false;
    this.#quietSince = null;
  }
}
