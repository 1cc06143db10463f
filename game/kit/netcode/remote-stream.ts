/**
 * What a receiver keeps per remote sender of one stream: received snapshots, the playout clock
 * that says which moment of theirs to show, and sampling at that moment. Feed it each decoded
 * stream value with its arrival time; ask it for the value to show each frame.
 *
 * A snapshot's moment is tick × 1000 / hz, with the hz the packet carries, so the receiver
 * needs nothing of the sender's simulation. A packet with another hz than the one in use
 * starts a new timeline when it is the newest yet (snapshots and playout start over); an older
 * one belongs to the rate that was left and counts as stale.
 */
import type { Blend } from "./blend.ts";
import {
  DEFAULT_MAX_EXTRAPOLATION_MS,
  type StreamSample,
  sampleSnapshots,
  type TimedSnapshot,
} from "./interpolation.ts";
import { PlayoutClock, type PlayoutOptions } from "./playout-clock.ts";
import {
  DEFAULT_SNAPSHOT_CAPACITY,
  type OfferResult,
  type Sequenced,
  SnapshotBuffer,
  type SnapshotCounts,
} from "./snapshot-buffer.ts";

export interface RemoteStreamOptions<T> {
  /** How values are shown between and past snapshots; without one the stream steps. */
  readonly blend?: Blend<T> | undefined;
  readonly maxExtrapolationMs?: number;
  readonly capacity?: number;
  readonly playout?: Partial<PlayoutOptions>;
}

/** One value as it came: the sender's seq and tick. */
export interface Snapshot<T> extends Sequenced {
  readonly value: T;
}

/** A received value, placed on the sender's timeline by the hz it came with. */
export interface StreamSnapshot<T> extends Snapshot<T>, TimedSnapshot<T> {
  readonly hz: number;
}

/** What a HUD shows about one remote sender's stream. */
export interface RemoteStreamStats extends SnapshotCounts {
  readonly delayMs: number | null;
  readonly targetDelayMs: number;
  readonly jitterMs: number;
  /** The sender's tick rate in use; null before the first snapshot. */
  readonly hz: number | null;
}

export class RemoteStream<T> {
  readonly #blend: Blend<T> | undefined;
  readonly #maxExtrapolationMs: number;
  readonly #playout: Partial<PlayoutOptions> | undefined;
  readonly #buffer: SnapshotBuffer<StreamSnapshot<T>>;
  #clock: PlayoutClock;
  #hz: number | null = null;

  constructor(options: RemoteStreamOptions<T> = {}) {
    this.#blend = options.blend;
    this.#maxExtrapolationMs = options.maxExtrapolationMs ?? DEFAULT_MAX_EXTRAPOLATION_MS;
    this.#playout = options.playout;
    this.#buffer = new SnapshotBuffer(options.capacity ?? DEFAULT_SNAPSHOT_CAPACITY);
    this.#clock = new PlayoutClock(options.playout);
  }

  /** The newest snapshot received, for anything that wants the raw latest value. */
  get newest(): StreamSnapshot<T> | null {
    return this.#buffer.newest;
  }

  get stats(): RemoteStreamStats {
    return {
      ...this.#buffer.counts,
      delayMs: this.#clock.delayMs,
      targetDelayMs: this.#clock.targetDelayMs,
      jitterMs: this.#clock.jitterMs,
      hz: this.#hz,
    };
  }

  /** One decoded value, sent at `hz` ticks per second, arrived at local time `arrivalMs`. */
  receive(received: Snapshot<T>, hz: number, arrivalMs: number): OfferResult {
    const { seq, tick, value } = received;
    if (!(Number.isFinite(hz) && hz > 0)) return this.#buffer.refuse("rejected");
    if (this.#hz !== hz) {
      const newest = this.#buffer.newest;
      if (newest !== null && !(seq > newest.seq)) return this.#buffer.refuse("stale");
      if (newest !== null) this.#restartAt(seq);
      this.#hz = hz;
    }
    const snapshot: StreamSnapshot<T> = { seq, tick, hz, value, timeMs: (tick * 1000) / hz };
    const result = this.#buffer.offer(snapshot);
    // Only fresh snapshots feed the clock: a duplicate's transit says nothing new.
    if (result === "accepted") this.#clock.observe(snapshot.timeMs, arrivalMs);
    return result;
  }

  /** The value to show at local time `nowMs`; null until a snapshot has arrived. */
  sample(nowMs: number): StreamSample<T> | null {
    const renderTimeMs = this.#clock.renderTimeMs(nowMs);
    if (renderTimeMs === null) return null;
    const sample = sampleSnapshots(this.#buffer.snapshots, renderTimeMs, {
      blend: this.#blend,
      maxExtrapolationMs: this.#maxExtrapolationMs,
    });
    if (sample !== null && sample.mode !== "waiting") this.#buffer.consumeBefore(sample.baseSeq);
    return sample;
  }

  /** A new timeline from `seq` on: the old snapshots' moments do not compare with the new. */
  #restartAt(seq: number): void {
    this.#buffer.consumeBefore(seq);
    this.#clock = new PlayoutClock(this.#playout);
  }
}
