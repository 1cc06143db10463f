/**
 * A set of ids that forgets the oldest once it holds `capacity` of them, for remembering
 * recent events (peers that left) in a session that may last for hours. Pure.
 */
export class RecentIds {
  readonly #capacity: number;
  /** A Set iterates in insertion order: the first entry is the oldest. */
  readonly #ids = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    // Re-adding makes it the newest.
    this.#ids.delete(id);
    this.#ids.add(id);
    for (const oldest of this.#ids) {
      if (this.#ids.size <= this.#capacity) break;
      this.#ids.delete(oldest);
    }
  }

  delete(id: string): void {
    this.#ids.delete(id);
  }
}
