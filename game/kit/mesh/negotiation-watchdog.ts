/**
 * Notices an offer that never got its answer. An offer can be lost on its way (our lobby socket
 * was reconnecting, the lobby answered `unknown-peer` while the peer reconnected, or it went to
 * the peer's dead socket). The side that sent it then sits in `have-local-offer` for good: the
 * peer's own offers collide with it, and `restartIce()` there never fires `negotiationneeded`.
 * When the wait is over, the caller rolls back and offers again with an ICE restart; waits grow
 * while the peer stays silent, so a peer that is gone costs a few signals a minute at most.
 * Pure: the caller says what the connection's signaling state is and what time it is.
 */
import { type BackoffOptions, backoffCeilingMs } from "../lobby/backoff.ts";

/** An answer comes back within a second even over TURN; 5 s means it was lost. */
export const OFFER_ANSWER_WAIT: BackoffOptions = { baseMs: 5000, capMs: 30_000 };

export class NegotiationWatchdog {
  readonly #wait: BackoffOptions;
  /** When our pending offer went out; null while none is pending. */
  #offerSentAtMs: number | null = null;
  /** Offers in a row that got no answer. */
  #unanswered = 0;

  constructor(wait: BackoffOptions = OFFER_ANSWER_WAIT) {
    this.#wait = wait;
  }

  /** How long the current offer may wait for its answer. */
  get waitMs(): number {
    return backoffCeilingMs(this.#unanswered, this.#wait);
  }

  /** We sent an offer at `nowMs`. */
  offerSent(nowMs: number): void {
    this.#offerSentAtMs = nowMs;
  }

  /** The peer answered, or offered itself: signaling reaches it, so waits start short again. */
  peerHeard(): void {
    this.#offerSentAtMs = null;
    this.#unanswered = 0;
  }

  /**
   * Whether the pending offer has waited too long. True at most once per offer: the caller
   * must then roll back and offer again.
   */
  offerLost(signalingState: RTCSignalingState, nowMs: number): boolean {
    const sentAt = this.#offerSentAtMs;
    if (sentAt === null) return false;
    if (signalingState !== "have-local-offer") {
      // Settled some other way (the peer's offer won the collision, or the link closed).
      this.#offerSentAtMs = null;
      return false;
    }
    if (nowMs - sentAt < this.waitMs) return false;
    this.#offerSentAtMs = null;
    this.#unanswered++;
    return true;
  }
}
