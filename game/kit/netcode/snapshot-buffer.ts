/**
 * The newest few snapshots from one sender, in sequence order. The state channel is unordered
 * and unreliable, so packets arrive late, twice or never; this keeps what interpolation can
 * still use and counts the rest for the HUD.
 */

/** What the buffer needs of a snapshot: the sender's counter and its simulation tick. */
export interface Sequenced {
  readonly seq: number;
  readonly tick: number;
}

/** Why a snapshot was or was not kept. */
export type OfferResult = "accepted" | "duplicate" | "stale" | "rejected";

export interface SnapshotCounts {
  /** Every snapshot offered. Always accepted + duplicates + stale + rejected. */
  readonly received: number;
  readonly accepted: number;
  /** Already held. */
  readonly duplicates: number;
  /** Older than what was consumed or pushed out of the buffer: no use any more. */
  readonly stale: number;
  /** Seq or tick not whole numbers, or a tick that contradicts the seq order. */
  readonly rejected: number;
  /** Accepted although a higher seq had already arrived (a subset of accepted). */
  readonly outOfOrder: number;
}

/** About one second at 30 Hz: more than any useful interpolation delay. */
export const DEFAULT_SNAPSHOT_CAPACITY = 32;

export class SnapshotBuffer<S extends Sequenced> {
  readonly capacity: number;
  /** Ascending by seq, and so by tick. */
  readonly #entries: S[] = [];
  /** Lowest seq still worth keeping; everything below was consumed or pushed out. */
  #floorSeq = Number.NEGATIVE_INFINITY;
  #highestSeq = Number.NEGATIVE_INFINITY;
  readonly #tally: Record<OfferResult, number> = {
    accepted: 0,
    duplicate: 0,
    stale: 0,
    rejected: 0,
  };
  #outOfOrder = 0;

  constructor(capacity = DEFAULT_SNAPSHOT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new RangeError("capacity must be a whole number of at least 2");
    }
    this.capacity = capacity;
  }

  /** Held snapshots, oldest first. */
  get snapshots(): readonly S[] {
    return this.#entries;
  }

  get newest(): S | null {
    return this.#entries.at(-1) ?? null;
  }

  get counts(): SnapshotCounts {
    const { accepted, duplicate, stale, rejected } = this.#tally;
    return {
      received: accepted + duplicate + stale + rejected,
      accepted,
      duplicates: duplicate,
      stale,
      rejected,
      outOfOrder: this.#outOfOrder,
    };
  }

  offer(snapshot: S): OfferResult {
    const result = this.#place(snapshot);
    this.#tally[result]++;
    return result;
  }

  /** Counts a snapshot its owner turned away before offering it (see RemoteStream). */
  refuse(result: "stale" | "rejected"): OfferResult {
    this.#tally[result]++;
    return result;
  }

  /**
   * Forgets every snapshot older than `seq`: interpolation has moved past them. Snapshots
   * that arrive for those seqs later count as stale.
   */
  consumeBefore(seq: number): void {
    if (!(seq > this.#floorSeq)) return;
    this.#floorSeq = seq;
    const keepFrom = this.#entries.findIndex((entry) => entry.seq >= seq);
    this.#entries.splice(0, keepFrom === -1 ? this.#entries.length : keepFrom);
  }

  #place(snapshot: S): OfferResult {
    const { seq, tick } = snapshot;
    if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(tick)) return "rejected";
    if (seq < this.#floorSeq) return "stale";
    const index = this.#insertionIndex(seq);
    const before = this.#entries[index - 1];
    const after = this.#entries[index];
    if (after?.seq === seq) return "duplicate";
    // A later packet with an earlier tick (or the reverse) comes from a confused sender.
    if ((before && before.tick > tick) || (after && after.tick < tick)) return "rejected";
    // Full, and older than everything held: it would be the first to go.
    if (this.#entries.length === this.capacity && index === 0) return "stale";
    this.#entries.splice(index, 0, snapshot);
    if (this.#entries.length > this.capacity) {
      const [oldest] = this.#entries.splice(0, 1);
      if (oldest) this.#floorSeq = oldest.seq + 1;
    }
    if (seq < this.#highestSeq) this.#outOfOrder++;
    this.#highestSeq = Math.max(this.#highestSeq, seq);
    return "accepted";
  }

  /** Where `seq` goes in the ascending order; searched from the end, where nearly all land. */
  #insertionIndex(seq: number): number {
    let index = this.#entries.length;
    while (index > 0) {
      const previous = this.#entries[index - 1];
      if (previous === undefined || previous.seq < seq) break;
      index--;
    }
    return index;
  }
}
