/**
 * Staying inside the lobby's relay limit (RELAY_FRAME_LIMIT: a burst of 90 frames, 60 per
 * second per socket; the lobby answers each frame over it with `rate-limited`, a round trip
 * too late to matter for state). The client keeps its own, slightly tighter budget: its drops
 * are known and counted at once, and the lobby's never happen. Pure: every call takes the time.
 */
import { RELAY_FRAME_LIMIT, STATE_HZ } from "../../../shared/limits.ts";
import { TokenBucket } from "../../../shared/token-bucket.ts";
import type { PacketChannel } from "./transport.ts";

export interface EdgeBudgetOptions {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /**
   * Tokens that state packets may not use, kept for events: a lost state packet is replaced
   * 33 ms later, a lost event is not.
   */
  readonly eventReserve: number;
}

/**
 * Below the lobby's limit on both counts: frames that leave in a tight burst can arrive
 * bunched, and the lobby's bucket must still have room for them.
 */
export const DEFAULT_EDGE_BUDGET: EdgeBudgetOptions = {
  capacity: RELAY_FRAME_LIMIT.capacity - 30,
  refillPerSecond: RELAY_FRAME_LIMIT.refillPerSecond * 0.95,
  eventReserve: 10,
};

/** Relayed packets per second per peer besides state: about one ping and one pong. */
const CONTROL_PACKETS_PER_PEER = 2;

/** One budget per lobby socket, shared by every relayed peer. */
export class EdgeBudget {
  readonly options: EdgeBudgetOptions;
  readonly #bucket: TokenBucket;

  constructor(nowMs: number, options: Partial<EdgeBudgetOptions> = {}) {
    this.options = { ...DEFAULT_EDGE_BUDGET, ...options };
    this.#bucket = new TokenBucket(this.options, nowMs);
  }

  /** Takes one frame's worth; false means send nothing (and count a drop). */
  take(channel: PacketChannel, nowMs: number): boolean {
    return this.#bucket.take(nowMs, 1, channel === "state" ? this.options.eventReserve : 0);
  }
}

/**
 * State packets per second to each relayed peer when `relayedPeers` peers share the budget:
 * the full STATE_HZ for one (the usual case), fewer for more, so the budget is not spent on
 * drops. 7 relayed peers get about 5 Hz each: interpolation still shows smooth movement.
 */
export function edgeStreamHz(
  relayedPeers: number,
  options: EdgeBudgetOptions = DEFAULT_EDGE_BUDGET,
): number {
  if (relayedPeers <= 0) return STATE_HZ;
  const forState = options.refillPerSecond - options.eventReserve / 2;
  const perPeer = forState / relayedPeers - CONTROL_PACKETS_PER_PEER;
  return Math.max(1, Math.min(STATE_HZ, perPeer));
}

/**
 * Thins a stream of ticks at `tickHz` down to `hz`: spread evenly (every tick at 30 of 30, two
 * of every three at 20), not in bursts.
 */
export class TickPacer {
  /** Packets owed; below 2 after each tick, so never more than one packet per tick. */
  #credit = 0;

  /** Whether this tick's packet goes out at `hz` packets per second, with `tickHz` ticks. */
  take(hz: number, tickHz: number): boolean {
    this.#credit += Math.max(0, Math.min(1, hz / tickHz));
    // The tolerance keeps thirds that add up to 0.999… from skipping a tick.
    if (this.#credit < 1 - 1e-9) return false;
    this.#credit = Math.max(0, this.#credit - 1);
    return true;
  }
}
