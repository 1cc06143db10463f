/**
 * Typed listeners by event name. A listener that throws does not stop the others (or the
 * code that emitted): its error goes to `onListenerError`.
 */

/** Any listener's type fits `never[]` parameters; each event keeps its own exact type. */
type ListenerMap = Record<string, (...args: never[]) => void>;

export class Emitter<Events extends ListenerMap> {
  readonly #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();
  readonly #onListenerError: (event: keyof Events, error: unknown) => void;

  constructor(onListenerError: (event: keyof Events, error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set: Set<Events[keyof Events]> | undefined = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.#onListenerError(event, error);
      }
    }
  }
}
