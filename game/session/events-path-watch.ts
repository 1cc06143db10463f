/**
 * Notices when a peer's `events` path becomes usable: first open, reopened after a renewal, or
 * switched to another path (direct ↔ edge relay). The world then (re)sends what that peer
 * needs, since anything sent while the path was down or on the old path may be lost. Pure.
 */

/** How packets reach one peer right now, as the link reports it. */
export interface PathReading {
  readonly id: string;
  readonly reachable: boolean;
  readonly route: string;
}

export class EventsPathWatch {
  /** Per peer, the usable route last seen, or null while none was. */
  readonly #last = new Map<string, string | null>();

  /** Takes this moment's readings; returns the peers whose path just became usable. */
  update(readings: readonly PathReading[]): string[] {
    const opened: string[] = [];
    const seen = new Set<string>();
    for (const { id, reachable, route } of readings) {
      seen.add(id);
      const now = reachable ? route : null;
      const before = this.#last.get(id) ?? null;
      if (now !== null && now !== before) opened.push(id);
      this.#last.set(id, now);
    }
    for (const id of [...this.#last.keys()]) {
      if (!seen.has(id)) this.#last.delete(id);
    }
    return opened;
  }
}
