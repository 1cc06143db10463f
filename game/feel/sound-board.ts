/**
 * The page's one AudioContext and its master volume. Browsers only let a page start audio in
 * answer to a gesture, so the context is made (or resumed) on the first click, tap or key, and
 * sounds asked for before that are simply not played. Where Web Audio is missing or fails,
 * every call is a quiet no-op: sound is never worth an error. A hidden page plays nothing, so
 * nothing piles up to play at once when it comes back.
 */
import { loadMuted, saveMuted } from "./mute-setting.ts";
import type { SoundName } from "./sound-plan.ts";
import { RECIPES } from "./synth.ts";

const GESTURES = ["pointerdown", "keydown", "touchend"] as const;
/** The whole mix's level: the recipes' peaks add up below full scale. */
const MASTER_GAIN = 0.8;

export class SoundBoard {
  readonly #window: Window & typeof globalThis;
  readonly #storage: Storage | null;
  #context: AudioContext | null = null;
  #master: GainNode | null = null;
  #muted: boolean;
  readonly #listeners = new Set<(muted: boolean) => void>();

  constructor(win: Window & typeof globalThis) {
    this.#window = win;
    this.#storage = storageOf(win);
    this.#muted = loadMuted(this.#storage);
    const arm = (): void => this.#arm();
    // Capture: a gesture on any element counts, even one that stops its event.
    for (const type of GESTURES) win.addEventListener(type, arm, { capture: true, passive: true });
  }

  get muted(): boolean {
    return this.#muted;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    saveMuted(this.#storage, muted);
    this.#master?.gain.setValueAtTime(muted ? 0 : MASTER_GAIN, this.#context?.currentTime ?? 0);
    for (const listener of this.#listeners) listener(muted);
  }

  onMutedChange(listener: (muted: boolean) => void): void {
    this.#listeners.add(listener);
  }

  play(name: SoundName): void {
    const context = this.#context;
    const master = this.#master;
    if (this.#muted || context === null || master === null || context.state !== "running") return;
    if (this.#window.document.visibilityState !== "visible") return;
    try {
      RECIPES[name](context, master, context.currentTime + 0.01);
    } catch {
      // A browser that refuses a node (out of resources): this sound is skipped.
    }
  }

  #arm(): void {
    try {
      if (this.#context === null) {
        const Context = this.#window.AudioContext;
        if (typeof Context !== "function") return;
        const context = new Context();
        const master = context.createGain();
        master.gain.setValueAtTime(this.#muted ? 0 : MASTER_GAIN, context.currentTime);
        // A limiter, so a star, a whistle and a tick at once never clip.
        const limiter = context.createDynamicsCompressor();
        master.connect(limiter).connect(context.destination);
        this.#context = context;
        this.#master = master;
      }
      if (this.#context.state === "suspended") void this.#context.resume().catch(() => {});
    } catch {
      // No audio on this device; the game plays silently.
    }
  }
}

function storageOf(win: Window): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}
