import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Sequenced, SnapshotBuffer } from "../../game/kit/netcode/snapshot-buffer.ts";

/** 30 Hz packets from a 60 Hz simulation: the tick moves by 2 per seq. */
const snap = (seq: number): Sequenced => ({ seq, tick: seq * 2 });
const seqsOf = (buffer: SnapshotBuffer<Sequenced>): number[] => buffer.snapshots.map((s) => s.seq);

function offerAll(buffer: SnapshotBuffer<Sequenced>, seqs: readonly number[]): string[] {
  return seqs.map((seq) => buffer.offer(snap(seq)));
}

describe("snapshot buffer", () => {
  it("keeps snapshots in seq order under reordering, and counts the late ones", () => {
    const buffer = new SnapshotBuffer(8);
    expect(offerAll(buffer, [1, 3, 2, 5, 4, 6])).toEqual(Array(6).fill("accepted"));
    expect(seqsOf(buffer)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(buffer.newest?.seq).toBe(6);
    expect(buffer.counts).toMatchObject({ received: 6, accepted: 6, outOfOrder: 2 });
  });

  it("drops duplicates and counts them", () => {
    const buffer = new SnapshotBuffer(8);
    expect(offerAll(buffer, [1, 2, 2, 1])).toEqual([
      "accepted",
      "accepted",
      "duplicate",
      "duplicate",
    ]);
    expect(buffer.counts).toMatchObject({ received: 4, accepted: 2, duplicates: 2 });
  });

  it("counts snapshots its owner refused without holding them", () => {
    const buffer = new SnapshotBuffer(8);
    offerAll(buffer, [1, 2]);
    expect(buffer.refuse("stale")).toBe("stale");
    expect(buffer.refuse("rejected")).toBe("rejected");
    expect(seqsOf(buffer)).toEqual([1, 2]);
    expect(buffer.counts).toMatchObject({ received: 4, accepted: 2, stale: 1, rejected: 1 });
  });

  it("carries on across gaps from lost packets", () => {
    const buffer = new SnapshotBuffer(8);
    offerAll(buffer, [1, 2, 9, 30]);
    expect(seqsOf(buffer)).toEqual([1, 2, 9, 30]);
  });

  it("keeps only the newest N, and treats what fell out as stale", () => {
    const buffer = new SnapshotBuffer(4);
    offerAll(buffer, [1, 2, 3, 4, 5, 6]);
    expect(seqsOf(buffer)).toEqual([3, 4, 5, 6]);
    expect(offerAll(buffer, [2, 1])).toEqual(["stale", "stale"]);
    expect(buffer.counts.stale).toBe(2);
  });

  it("treats a late packet older than everything in a full buffer as stale", () => {
    const buffer = new SnapshotBuffer(3);
    offerAll(buffer, [10, 12, 13]);
    expect(buffer.offer(snap(11))).toBe("accepted");
    expect(seqsOf(buffer)).toEqual([11, 12, 13]);
    expect(buffer.offer(snap(10))).toBe("stale");
  });

  it("forgets consumed snapshots and drops late arrivals of them as stale", () => {
    const buffer = new SnapshotBuffer(8);
    offerAll(buffer, [1, 2, 4, 5]);
    buffer.consumeBefore(4);
    expect(seqsOf(buffer)).toEqual([4, 5]);
    expect(offerAll(buffer, [3, 2, 4, 6])).toEqual(["stale", "stale", "duplicate", "accepted"]);
    buffer.consumeBefore(2);
    expect(seqsOf(buffer)).toEqual([4, 5, 6]);
  });

  it("rejects a tick that contradicts the seq order, and non-integers", () => {
    const buffer = new SnapshotBuffer<Sequenced>(8);
    offerAll(buffer, [1, 3]);
    expect(buffer.offer({ seq: 2, tick: 100 })).toBe("rejected");
    expect(buffer.offer({ seq: 4, tick: 1 })).toBe("rejected");
    expect(buffer.offer({ seq: 4.5, tick: 9 })).toBe("rejected");
    expect(buffer.offer({ seq: 5, tick: Number.NaN })).toBe("rejected");
    expect(buffer.offer({ seq: 4, tick: 6 })).toBe("accepted");
    expect(buffer.counts.rejected).toBe(4);
  });

  it("accepts equal ticks for different seqs (a sender whose simulation paused)", () => {
    const buffer = new SnapshotBuffer<Sequenced>(8);
    expect(buffer.offer({ seq: 1, tick: 40 })).toBe("accepted");
    expect(buffer.offer({ seq: 2, tick: 40 })).toBe("accepted");
  });

  it("refuses a capacity below 2", () => {
    expect(() => new SnapshotBuffer(1)).toThrow(RangeError);
    expect(() => new SnapshotBuffer(2.5)).toThrow(RangeError);
  });

  const arrivals = fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 200 });

  it("holds exactly the newest N distinct seqs offered, in order, for any arrival order", () => {
    fc.assert(
      fc.property(arrivals, fc.integer({ min: 2, max: 40 }), (seqs, capacity) => {
        const buffer = new SnapshotBuffer(capacity);
        offerAll(buffer, seqs);
        const distinct = [...new Set(seqs)].sort((a, b) => a - b);
        expect(seqsOf(buffer)).toEqual(distinct.slice(-capacity));
        expect(buffer.newest?.seq ?? null).toBe(distinct.at(-1) ?? null);
      }),
    );
  });

  it("accounts for every packet: each one is accepted, a duplicate, stale or rejected", () => {
    fc.assert(
      fc.property(arrivals, fc.integer({ min: 2, max: 40 }), (seqs, capacity) => {
        const buffer = new SnapshotBuffer(capacity);
        const results = offerAll(buffer, seqs);
        const { received, accepted, duplicates, stale, rejected, outOfOrder } = buffer.counts;
        expect(received).toBe(seqs.length);
        expect(accepted + duplicates + stale + rejected).toBe(received);
        expect(rejected).toBe(0);
        expect(accepted).toBe(results.filter((r) => r === "accepted").length);
        // A seq is accepted at most once, so every repeat was dropped one way or the other.
        expect(duplicates + stale).toBeGreaterThanOrEqual(seqs.length - new Set(seqs).size);
        expect(outOfOrder).toBeLessThanOrEqual(accepted);
      }),
    );
  });

  it("never accepts a seq below what was consumed, whatever the interleaving", () => {
    const step = fc.oneof(
      fc.record({ offer: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ consume: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 150 }), (steps) => {
        const buffer = new SnapshotBuffer(16);
        let consumed = Number.NEGATIVE_INFINITY;
        for (const action of steps) {
          if ("consume" in action) {
            buffer.consumeBefore(action.consume);
            consumed = Math.max(consumed, action.consume);
          } else if (buffer.offer(snap(action.offer)) === "accepted") {
            expect(action.offer).toBeGreaterThanOrEqual(consumed);
          }
          const held = seqsOf(buffer);
          expect(held.every((seq) => seq >= consumed)).toBe(true);
          expect(held).toEqual([...new Set(held)].sort((a, b) => a - b));
        }
      }),
    );
  });
});
