/**
 * Packet loss from sequence numbers over the last `windowSize` of them. Data channels have no
 * loss counter of their own (getStats has none), so the receiver sees it in the gaps.
 *
 * The newest `reorderGrace` seqs are left out: on an unordered channel a packet a little
 * behind the newest is usually late, not lost. Duplicates count once.
 */
export class LossWindow {
  readonly windowSize: number;
  readonly reorderGrace: number;
  /** seq % size → that seq arrived (only meaningful for the last `size` seqs). */
  readonly #seen: boolean[];
  #highestSeq: number | null = null;
  #lowestSeq: number | null = null;

  constructor(windowSize = 90, reorderGrace = 3) {
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError("windowSize >= 1");
    if (!Number.isInteger(reorderGrace) || reorderGrace < 0) throw new RangeError("grace >= 0");
    this.windowSize = windowSize;
    this.reorderGrace = reorderGrace;
    this.#seen = new Array<boolean>(windowSize + reorderGrace).fill(false);
  }

  add(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0) return;
    const size = this.#seen.length;
    if (this.#highestSeq === null || this.#lowestSeq === null) {
      this.#highestSeq = seq;
      this.#lowestSeq = seq;
    } else if (seq > this.#highestSeq) {
      // Slots for the seqs skipped over are now "not arrived (yet)".
      const skipped = Math.min(seq - this.#highestSeq, size);
      for (let step = 1; step <= skipped; step++) {
        this.#seen[this.#slot(this.#highestSeq + step)] = false;
      }
      this.#highestSeq = seq;
    } else if (seq <= this.#highestSeq - size) {
      return;
    }
    // Counting starts at the lowest seq heard: earlier ones went out before we listened.
    if (seq < this.#lowestSeq) this.#lowestSeq = seq;
    this.#seen[this.#slot(seq)] = true;
  }

  /** Lost share of the counted seqs, 0 to 1; 0 until there is something to count. */
  get lossRatio(): number {
    if (this.#highestSeq === null || this.#lowestSeq === null) return 0;
    const newestCounted = this.#highestSeq - this.reorderGrace;
    const oldestCounted = Math.max(this.#lowestSeq, newestCounted - this.windowSize + 1);
    const counted = newestCounted - oldestCounted + 1;
    if (counted <= 0) return 0;
    let arrived = 0;
    for (let seq = oldestCounted; seq <= newestCounted; seq++) {
      if (this.#seen[this.#slot(seq)]) arrived++;
    }
    return 1 - arrived / counted;
  }

  #slot(seq: number): number {
    return seq % this.#seen.length;
  }
}
