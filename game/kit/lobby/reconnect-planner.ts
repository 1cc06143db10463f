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
  | { readonly kind: "rejoin-fresh"; readonly message: string }
  | { readonly kind: "give-up"; readonly message: string; readonly rejoin: boolean };

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

  /** Epoch ms after which retrying cannot help any more, or null while connected. */
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
      if (this.#freshRejoinUsed) return { kind: "give-up", message: advice.message, rejoin: true };
      this.#freshRejoinUsed = true;
      this.#attempt = 0;
      this.#droppedAt = nowMs;
      return { kind: "rejoin-fresh", message: `${advice.message} Joining again as a new player…` };
    }
    if (!advice.retry) return { kind: "give-up", message: advice.message, rejoin: advice.rejoin };

    this.#droppedAt ??= nowMs;
    const deadline = this.deadline() ?? nowMs;
    if (nowMs >= deadline)
      return { kind: "give-up", message: this.#timeoutMessage(), rejoin: true };
    const delayMs = Math.min(
      backoffDelayMs(this.#attempt, this.#backoff, this.#random),
      deadline - nowMs,
    );
    this.#attempt++;
    return { kind: "retry", attempt: this.#attempt, delayMs };
  }

  #timeoutMessage(): string {
    if (this.#graceMs === null) {
      return "Could not connect to the lobby. Check your connection.";
    }
    const seconds = Math.round(this.#graceMs / 1000);
    return `Lost the connection to the lobby and could not get back in within ${seconds} s, so your seat is gone.`;
  }
}
