/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniform pick between 0 and the
 * exponential ceiling). Jitter spreads out the players of a lobby that all lost their socket
 * at the same moment, so they do not knock on the lobby's door in lockstep.
 */

export interface BackoffOptions {
  /** Ceiling of the first delay. */
  readonly baseMs: number;
  /** No delay ever exceeds this. */
  readonly capMs: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 10_000 };

/** Beyond this exponent the ceiling is the cap anyway; stops 2 ** attempt from overflowing. */
const MAX_EXPONENT = 30;

/** The ceiling for a zero-based attempt number: min(cap, base * 2^attempt). */
export function backoffCeilingMs(attempt: number, options: BackoffOptions): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT);
  return Math.min(options.capMs, options.baseMs * 2 ** exponent);
}

/** A delay in [0, ceiling) for a zero-based attempt number; `random` returns [0, 1). */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = RECONNECT_BACKOFF,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeilingMs(attempt, options));
}
