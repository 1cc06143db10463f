/**
 * When to replace a direct connection whose data channels closed without us closing them
 * (after a long outage the SCTP association aborts; ICE coming back cannot reopen them). Each
 * renewal that does not bring the pair back waits twice as long as the one before, so a peer
 * that keeps failing costs little. Pure.
 */
import { type BackoffOptions, backoffCeilingMs } from "../lobby/backoff.ts";

export const DIRECT_RENEWAL_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 60_000 };
/**
 * The polite side waits this much longer, so the impolite side's fresh offer usually arrives
 * first and renews the polite side's connection by itself (no second renewal).
 */
export const POLITE_RENEWAL_EXTRA_MS = 2000;

export class DirectRenewals {
  readonly #backoff: BackoffOptions;
  /** Renewals since the direct path was last usable. */
  #sinceUsable = 0;

  constructor(backoff: BackoffOptions = DIRECT_RENEWAL_BACKOFF) {
    this.#backoff = backoff;
  }

  /** How long to wait before the next renewal; counts it. */
  nextDelayMs(polite: boolean): number {
    const delay = backoffCeilingMs(this.#sinceUsable, this.#backoff);
    this.#sinceUsable++;
    return delay + (polite ? POLITE_RENEWAL_EXTRA_MS : 0);
  }

  /** The direct path works again: the next loss starts from the shortest delay. */
  usable(): void {
    this.#sinceUsable = 0;
  }
}
