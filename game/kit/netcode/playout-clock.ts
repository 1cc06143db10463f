/**
 * When to show a remote sender's snapshots: maps local time to a moment on the sender's
 * timeline (its tick × tick length) by arrival-time smoothing, then holds that moment back by
 * a delay that follows the measured jitter.
 *
 * Why arrival times and not the clock-sync offset: a tick is not a clock. The sender's
 * simulation drops its backlog after a stall (a hidden tab, a long frame), so tick × tick
 * length drifts away from the sender's clock, and mapping ticks through a clock offset would
 * need the sender's clock in every packet. Arrival times need nothing on the wire, and they
 * measure what the buffer has to cover anyway: the one-way trip plus its variation.
 *
 * - transit = arrival − tick time, per accepted snapshot. Its minimum over the last second
 *   (the fastest recent trip, including the unknown clock offset) is the floor.
 * - jitter = RFC 3550 interarrival jitter: an EWMA (gain 1/16) of |Δ transit| between
 *   consecutive arrivals (leaving out a shift bigger than `snapMs`: that is a stall).
 * - target delay = clamp(base + k × jitter, min, max) beyond the floor.
 * - render time = now − playout, where playout slews toward floor + target delay by at most
 *   `slewRate` ms per ms (0.1: the remote timeline runs at 90-110% speed) and never jumps;
 *   a change bigger than `snapMs` (a sender that stalled or restarted) is taken at once.
 * - A smaller shift of the sender's timeline (a long frame, CPU starvation) makes every
 *   snapshot arrive after its moment was shown, while the old fastest trip still holds the
 *   floor down for up to a window. When snapshots have arrived late for `lateResetMs` on end,
 *   the floor restarts from them; and while the delay is under `minDelayMs`, the remote
 *   timeline holds still to reach it instead of slewing at 10%.
 */
import { WindowedMin } from "./windowed-min.ts";

export interface PlayoutOptions {
  /** Delay beyond the fastest trip with no jitter: 3 snapshots at 30 Hz survive 2 losses. */
  readonly baseDelayMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** k in base + k × jitter. RFC 3550 jitter is about a third of the spread of uniform delays. */
  readonly jitterFactor: number;
  /** Largest change of the playout lag, in ms per ms of local time. */
  readonly slewRate: number;
  /** The transit floor is the minimum over this long. */
  readonly floorWindowMs: number;
  /** A playout change bigger than this is applied at once instead of slewed. */
  readonly snapMs: number;
  /** Snapshots arriving after their moment for this long mean the floor is out of date. */
  readonly lateResetMs: number;
}

export const DEFAULT_PLAYOUT: PlayoutOptions = {
  baseDelayMs: 100,
  minDelayMs: 50,
  maxDelayMs: 250,
  jitterFactor: 3,
  slewRate: 0.1,
  floorWindowMs: 1000,
  snapMs: 250,
  lateResetMs: 300,
};

/** RFC 3550 section 6.4.1: the jitter estimate moves 1/16 of the way per packet. */
const JITTER_GAIN = 1 / 16;

export class PlayoutClock {
  readonly options: PlayoutOptions;
  #floor: WindowedMin;
  #jitterMs = 0;
  #lastTransitMs: number | null = null;
  /** How far render time lags local time (floor + delay, slewed); null before any snapshot. */
  #playoutMs: number | null = null;
  #updatedAtMs = Number.NEGATIVE_INFINITY;
  /** The current run of late arrivals: when it began and its fastest trip. */
  #lateRun: { readonly sinceMs: number; fastestTransitMs: number } | null = null;

  constructor(options: Partial<PlayoutOptions> = {}) {
    this.options = { ...DEFAULT_PLAYOUT, ...options };
    this.#floor = new WindowedMin(this.options.floorWindowMs);
  }

  /** RFC 3550 interarrival jitter, ms. */
  get jitterMs(): number {
    return this.#jitterMs;
  }

  /** The delay the clock is heading for. */
  get targetDelayMs(): number {
    const { baseDelayMs, jitterFactor, minDelayMs, maxDelayMs } = this.options;
    return clamp(baseDelayMs + jitterFactor * this.#jitterMs, minDelayMs, maxDelayMs);
  }

  /** The delay in effect now: how far render time is behind the fastest recent arrival. */
  get delayMs(): number | null {
    const floor = this.#floor.min;
    return this.#playoutMs === null || floor === null ? null : this.#playoutMs - floor;
  }

  /** A snapshot taken at `senderTimeMs` on the sender's timeline arrived at `arrivalMs`. */
  observe(senderTimeMs: number, arrivalMs: number): void {
    const transitMs = arrivalMs - senderTimeMs;
    if (!Number.isFinite(transitMs)) return;
    const change = Math.abs(transitMs - (this.#lastTransitMs ?? transitMs));
    // A shift bigger than snapMs moves the sender's whole timeline (a stall): not jitter.
    if (change <= this.options.snapMs) this.#jitterMs += (change - this.#jitterMs) * JITTER_GAIN;
    this.#lastTransitMs = transitMs;
    this.#floor.add(transitMs, arrivalMs);
    this.#trackLateness(transitMs, arrivalMs);
    this.#advance(arrivalMs);
  }

  /** The moment of the sender's timeline to show at local time `nowMs`; null before data. */
  renderTimeMs(nowMs: number): number | null {
    this.#advance(nowMs);
    return this.#playoutMs === null ? null : nowMs - this.#playoutMs;
  }

  #trackLateness(transitMs: number, arrivalMs: number): void {
    const late = this.#playoutMs !== null && transitMs > this.#playoutMs;
    if (!late) {
      this.#lateRun = null;
      return;
    }
    if (this.#lateRun === null) {
      this.#lateRun = { sinceMs: arrivalMs, fastestTransitMs: transitMs };
      return;
    }
    const run = this.#lateRun;
    run.fastestTransitMs = Math.min(run.fastestTransitMs, transitMs);
    if (arrivalMs - run.sinceMs < this.options.lateResetMs) return;
    this.#floor = new WindowedMin(this.options.floorWindowMs);
    this.#floor.add(run.fastestTransitMs, arrivalMs);
    this.#lateRun = null;
  }

  #advance(nowMs: number): void {
    const floor = this.#floor.min;
    if (floor === null) return;
    const target = floor + this.targetDelayMs;
    const elapsedMs = Math.max(0, nowMs - this.#updatedAtMs);
    this.#updatedAtMs = Math.max(this.#updatedAtMs, nowMs);
    if (this.#playoutMs === null || Math.abs(target - this.#playoutMs) > this.options.snapMs) {
      this.#playoutMs = target;
      return;
    }
    // Under the minimum delay a single loss already leaves nothing to draw (and past the
    // fastest arrival nothing ever is): stand still (rate 1) rather than crawl back at 10%.
    const rate = this.#playoutMs < floor + this.options.minDelayMs ? 1 : this.options.slewRate;
    const step = rate * elapsedMs;
    this.#playoutMs += clamp(target - this.#playoutMs, -step, step);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
