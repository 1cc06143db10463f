import { describe, expect, it } from "vitest";
import { NewestState } from "../../game/net/newest-state.ts";
import type { StatePacket } from "../../shared/wire.ts";

const packet = (seq: number): StatePacket => ({ seq, tick: seq * 2, x: seq, y: 0, vx: 0, vy: 0 });

describe("newest state per sender", () => {
  it("keeps the newest packet under reordering, and counts stale ones", () => {
    const buffer = new NewestState();
    const arrivals = [1, 3, 2, 5, 4, 6];
    const taken = arrivals.map((seq) => buffer.offer(packet(seq)));
    expect(taken).toEqual([true, true, false, true, false, true]);
    expect(buffer.latest?.seq).toBe(6);
    expect(buffer.accepted).toBe(4);
    expect(buffer.stale).toBe(2);
  });

  it("drops duplicates", () => {
    const buffer = new NewestState();
    buffer.offer(packet(7));
    expect(buffer.offer(packet(7))).toBe(false);
    expect(buffer.stale).toBe(1);
  });

  it("carries on across gaps from lost packets", () => {
    const buffer = new NewestState();
    for (const seq of [1, 2, 9, 30]) expect(buffer.offer(packet(seq))).toBe(true);
    expect(buffer.latest).toEqual(packet(30));
  });

  it("starts empty", () => {
    expect(new NewestState().latest).toBeNull();
  });
});
