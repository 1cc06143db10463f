/**
 * Everything the game keeps per remote player: received snapshots, the playout clock that says
 * which moment of theirs to show, and sampling at that moment. Feed it each decoded state
 * packet with its arrival time; ask it where to draw the avatar each frame.
 */
import {
  type AvatarSample,
  type AvatarSnapshot,
  DEFAULT_MAX_EXTRAPOLATION_MS,
  sampleSnapshots,
} from "./interpolation.ts";
import { PlayoutClock, type PlayoutOptions } from "./playout-clock.ts";
import {
  DEFAULT_SNAPSHOT_CAPACITY,
  type OfferResult,
  SnapshotBuffer,
  type SnapshotCounts,
} from "./snapshot-buffer.ts";

export interface RemoteAvatarOptions {
  /** Length of one of the sender's simulation ticks, ms (1000 / its simulation rate). */
  readonly tickMs: number;
  readonly maxExtrapolationMs?: number;
  readonly capacity?: number;
  readonly playout?: Partial<PlayoutOptions>;
}

/** What a HUD shows about one remote player's stream. */
export interface RemoteAvatarStats extends SnapshotCounts {
  readonly delayMs: number | null;
  readonly targetDelayMs: number;
  readonly jitterMs: number;
}

export class RemoteAvatar {
  readonly #tickMs: number;
  readonly #maxExtrapolationMs: number;
  readonly #buffer: SnapshotBuffer<AvatarSnapshot>;
  readonly #clock: PlayoutClock;

  constructor(options: RemoteAvatarOptions) {
    if (!(options.tickMs > 0)) throw new RangeError("tickMs must be positive");
    this.#tickMs = options.tickMs;
    this.#maxExtrapolationMs = options.maxExtrapolationMs ?? DEFAULT_MAX_EXTRAPOLATION_MS;
    this.#buffer = new SnapshotBuffer(options.capacity ?? DEFAULT_SNAPSHOT_CAPACITY);
    this.#clock = new PlayoutClock(options.playout);
  }

  /** The newest snapshot received, for anything that wants the raw latest state. */
  get newest(): AvatarSnapshot | null {
    return this.#buffer.newest;
  }

  get stats(): RemoteAvatarStats {
    return {
      ...this.#buffer.counts,
      delayMs: this.#clock.delayMs,
      targetDelayMs: this.#clock.targetDelayMs,
      jitterMs: this.#clock.jitterMs,
    };
  }

  /** One decoded state packet, arrived at local time `arrivalMs`. */
  receive(snapshot: AvatarSnapshot, arrivalMs: number): OfferResult {
    const result = this.#buffer.offer(snapshot);
    // Only fresh snapshots feed the clock: a duplicate's transit says nothing new.
    if (result === "accepted") this.#clock.observe(snapshot.tick * this.#tickMs, arrivalMs);
    return result;
  }

  /** Where to draw the avatar at local time `nowMs`; null until a snapshot has arrived. */
  sample(nowMs: number): AvatarSample | null {
    const renderTimeMs = this.#clock.renderTimeMs(nowMs);
    if (renderTimeMs === null) return null;
    const sample = sampleSnapshots(this.#buffer.snapshots, renderTimeMs, {
      tickMs: this.#tickMs,
      maxExtrapolationMs: this.#maxExtrapolationMs,
    });
    if (sample !== null && sample.mode !== "waiting") this.#buffer.consumeBefore(sample.baseSeq);
    return sample;
  }
}
