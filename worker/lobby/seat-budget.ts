/**
 * What a seat may spend across all its sockets: resuming must not give a misbehaving client a
 * fresh error budget or flood budget, nor let it reconnect as fast as it likes (every resume is
 * news to everyone else in the lobby). In memory: the object stays awake while a client
 * misbehaves, and a restart forgives.
 */
import { FLOOD_LIMIT, RESUME_LIMIT } from "../../shared/limits.ts";
import { TokenBucket } from "../../shared/token-bucket.ts";

export interface SeatBudget {
  /** Counted errors so far (COUNTED_ERRORS); past MAX_ERRORS_PER_SOCKET the seat is closed. */
  errors: number;
  /** Frames the socket buckets dropped; empty means the seat's socket is flooding. */
  readonly flood: TokenBucket;
  readonly resumes: TokenBucket;
}

export class SeatBudgets {
  readonly #budgets = new Map<string, SeatBudget>();

  of(peerId: string, nowMs: number): SeatBudget {
    let budget = this.#budgets.get(peerId);
    if (!budget) {
      budget = {
        errors: 0,
        flood: new TokenBucket(FLOOD_LIMIT, nowMs),
        resumes: new TokenBucket(RESUME_LIMIT, nowMs),
      };
      this.#budgets.set(peerId, budget);
    }
    return budget;
  }

  /** The seat is gone: so is what it spent. */
  forget(peerId: string): void {
    this.#budgets.delete(peerId);
  }
}
