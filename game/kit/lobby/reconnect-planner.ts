/**
 * What to do when the lobby socket closes without us asking: try again with the resume
 * token (after a backoff delay), rejoin as a new player once when the seat has expired, or
 * give up and say why. Pure: the caller passes the clock and the randomness.
 */
import { CloseCode, closeAdvice } from "../../../shared/codes.ts";
import { type BackoffOptions, backoffDelayMs, RECONNECT_BACKOFF } from "./backoff.ts";

/** Before the first welcome there is no seat to hold: this long for the first connection. */
export const FIRST_CONNECT_WINDOW_MS = 15_000;
/**
 * Extra time past the lobby's grace window before giving up: the lobby releases seats from an
 * alarm, which can run a little late, and our own clock noticed the drop late too.
 */
export const GRACE_MARGIN_MS = 3_000;

export type CloseDecision =
  /** Open a new socket after `delayMs`, with the resume token when there is one. */
  | { readonly kind: "retry"; readonly attempt: number; readonly delayMs: number }
  /** The seat is gone: join again at once as a new player, without the token. */
  | { readonly kind: "rejoin-fresh" }
  | { readonly kind: "give-up"; readonly end: LinkEnd };

/**
 * Why no more sockets will be opened: the lobby closed ours for good (`closeCode`: kicked,
 * full, ...), or reconnecting could not get back in before the seat was given away.
 */
export type LinkEnd =
  | { readonly reason: "closed"; readonly closeCode: number; readonly rejoin: boolean }
  | {
      readonly reason: "timed-out";
      /** The lobby's grace window; null when no socket was ever welcomed. */
      readonly graceMs: number | null;
      readonly rejoin: true;
    };

export interface ReconnectPlannerOptions {
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
}

export class ReconnectPlanner {
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  /** The lobby's grace window, once a welcome has told us; null before the first welcome. */
  #graceMs: number | null = null;
  /** When the current run of failed attempts began, else null (connected). */
  #droppedAt: number | null = null;
  #attempt = 0;
  #freshRejoinUsed = false;

  constructor(options: ReconnectPlannerOptions = {}) {
    this.#backoff = options.backoff ?? RECONNECT_BACKOFF;
    this.#random = options.random ?? Math.random;
  }

  /** Attempts made since the connection was last good (0 while connected). */
  get attempt(): number {
    return this.#attempt;
  }

  /** A welcome arrived: the connection is good again. */
  welcomed(graceMs: number): void {
    this.#graceMs = graceMs;
    this.#droppedAt = null;
    this.#attempt = 0;
    this.#freshRejoinUsed = false;
  }

  /** When retrying cannot help any more (the caller's clock), or null while connected. */
  deadline(): number | null {
    if (this.#droppedAt === null) return null;
    const window =
      this.#graceMs === null ? FIRST_CONNECT_WINDOW_MS : this.#graceMs + GRACE_MARGIN_MS;
    return this.#droppedAt + window;
  }

  /** The socket closed with `code` (not by us) at `nowMs`. */
  closed(code: number, nowMs: number): CloseDecision {
    const advice = closeAdvice(code);
    if (code === CloseCode.SeatExpired) {
      if (this.#freshRejoinUsed) return giveUp(code, true);
      this.#freshRejoinUsed = true;
      this.#attempt = 0;
      this.#droppedAt = nowMs;
      return { kind: "rejoin-fresh" };
    }
    if (!advice.retry) return giveUp(code, advice.rejoin);

    this.#droppedAt ??= nowMs;
    const deadline = this.deadline() ?? nowMs;
    if (nowMs >= deadline)
      return {
        kind: "give-up",
        end: { reason: "timed-out", graceMs: this.#graceMs, rejoin: true },
      };
    const delayMs = Math.min(
      backoffDelayMs(this.#attempt, this.#backoff, this.#random),
      deadline - nowMs,
    );
    this.#attempt++;
    return { kind: "retry", attempt: this.#attempt, delayMs };
  }
}

function giveUp(closeCode: number, rejoin: boolean): CloseDecision {
  return { kind: "give-up", end: { reason: "closed", closeCode, rejoin } };
}
