/**
 * Per-link traffic numbers for the HUD: loss from sequence numbers, packets and bytes per
 * second each way over a sliding window, and sends dropped instead of queued.
 */
import { LossWindow } from "./loss-window.ts";
import { RateWindow } from "./rate-window.ts";

export interface LinkStatsOptions {
  /** Sequence numbers the loss is measured over: 90 is 3 s at 30 Hz. */
  readonly lossWindow: number;
  /** The newest seqs not yet counted as lost (they may just be late). */
  readonly reorderGrace: number;
  readonly rateWindowMs: number;
}

export const DEFAULT_LINK_STATS: LinkStatsOptions = {
  lossWindow: 90,
  reorderGrace: 3,
  rateWindowMs: 1000,
};

export interface LinkStatsSnapshot {
  /** Lost share of recent sequence numbers, in percent. */
  readonly lossPercent: number;
  readonly packetsInPerSecond: number;
  readonly bytesInPerSecond: number;
  readonly packetsOutPerSecond: number;
  readonly bytesOutPerSecond: number;
  readonly sendDropsPerSecond: number;
  /** Every send dropped since the start (channel not open, or its buffer too full). */
  readonly sendDrops: number;
  /** Time since the last packet arrived; null if none has. */
  readonly silenceMs: number | null;
}

export class LinkStats {
  readonly #loss: LossWindow;
  readonly #packetsIn: RateWindow;
  readonly #bytesIn: RateWindow;
  readonly #packetsOut: RateWindow;
  readonly #bytesOut: RateWindow;
  readonly #drops: RateWindow;
  #sendDrops = 0;
  #lastReceivedAtMs: number | null = null;

  constructor(nowMs: number, options: Partial<LinkStatsOptions> = {}) {
    const { lossWindow, reorderGrace, rateWindowMs } = { ...DEFAULT_LINK_STATS, ...options };
    this.#loss = new LossWindow(lossWindow, reorderGrace);
    this.#packetsIn = new RateWindow(nowMs, rateWindowMs);
    this.#bytesIn = new RateWindow(nowMs, rateWindowMs);
    this.#packetsOut = new RateWindow(nowMs, rateWindowMs);
    this.#bytesOut = new RateWindow(nowMs, rateWindowMs);
    this.#drops = new RateWindow(nowMs, rateWindowMs);
  }

  /**
   * A packet arrived. `seq` is its sequence number if it has one (state packets), for loss;
   * pass null for packets without (ping, pong), which count only towards the rates.
   */
  onReceived(seq: number | null, bytes: number, nowMs: number): void {
    if (seq !== null) this.#loss.add(seq);
    this.#packetsIn.add(1, nowMs);
    this.#bytesIn.add(bytes, nowMs);
    this.#lastReceivedAtMs = nowMs;
  }

  onSent(bytes: number, nowMs: number): void {
    this.#packetsOut.add(1, nowMs);
    this.#bytesOut.add(bytes, nowMs);
  }

  onSendDropped(nowMs: number): void {
    this.#sendDrops++;
    this.#drops.add(1, nowMs);
  }

  snapshot(nowMs: number): LinkStatsSnapshot {
    return {
      lossPercent: this.#loss.lossRatio * 100,
      packetsInPerSecond: this.#packetsIn.perSecond(nowMs),
      bytesInPerSecond: this.#bytesIn.perSecond(nowMs),
      packetsOutPerSecond: this.#packetsOut.perSecond(nowMs),
      bytesOutPerSecond: this.#bytesOut.perSecond(nowMs),
      sendDropsPerSecond: this.#drops.perSecond(nowMs),
      sendDrops: this.#sendDrops,
      silenceMs: this.#lastReceivedAtMs === null ? null : nowMs - this.#lastReceivedAtMs,
    };
  }
}
