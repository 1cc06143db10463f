/**
 * Notices a lobby socket that died quietly. A roaming or sleeping device can lose its TCP
 * connection without any close, and the browser then reports the socket open for minutes.
 * So the game pings every `intervalMs`, and a ping with nothing heard back within
 * `timeoutMs` means the socket is dead. Pure: the caller passes the clock and does the sending.
 */

export interface HeartbeatOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** A longer gap between polls means we were not running (sleep, frozen or busy tab). */
  readonly maxPollGapMs: number;
}

export const LOBBY_HEARTBEAT: HeartbeatOptions = {
  intervalMs: 10_000,
  timeoutMs: 5_000,
  maxPollGapMs: 2_500,
};

/** `ping`: send one now. `dead`: treat the socket as dropped. */
export type HeartbeatAction = "wait" | "ping" | "dead";

export class Heartbeat {
  readonly #options: HeartbeatOptions;
  #lastPingAt: number;
  #lastPollAt: number;
  /** When the ping still waiting for an answer went out, else null. */
  #unansweredSince: number | null = null;

  constructor(nowMs: number, options: HeartbeatOptions = LOBBY_HEARTBEAT) {
    this.#options = options;
    this.#lastPingAt = nowMs;
    this.#lastPollAt = nowMs;
  }

  /** Any frame from the lobby (the pong or anything else) shows the socket is alive. */
  heard(): void {
    this.#unansweredSince = null;
  }

  /** Called often (about once a second); says what to do now. */
  poll(nowMs: number): HeartbeatAction {
    const { intervalMs, timeoutMs, maxPollGapMs } = this.#options;
    const asleep = nowMs - this.#lastPollAt > maxPollGapMs;
    this.#lastPollAt = nowMs;
    if (this.#unansweredSince !== null && !asleep) {
      return nowMs - this.#unansweredSince >= timeoutMs ? "dead" : "wait";
    }
    // After the device slept (or the tab was frozen or busy) we did not watch the answer's
    // whole window: its pong may still be queued behind this call. Ask again, not condemn.
    if (this.#unansweredSince === null && nowMs - this.#lastPingAt < intervalMs) return "wait";
    this.#lastPingAt = nowMs;
    this.#unansweredSince = nowMs;
    return "ping";
  }
}
