/** Which colour a new seat gets: the lowest slot no seat holds. */
import { describe, expect, it } from "vitest";
import { COLOR_SLOTS, MAX_PLAYERS } from "../../shared/limits.ts";
import { freeColorSlot } from "../../worker/lobby/color-slot.ts";

/** Seats joining one after another, each getting the slot the lobby would give it. */
function seatInTurn(count: number, held: number[] = []): number[] {
  const slots = [...held];
  for (let i = 0; i < count; i++) slots.push(freeColorSlot(slots));
  return slots;
}

describe("colour slots", () => {
  it("gives a full lobby's seats every slot once", () => {
    expect(COLOR_SLOTS).toBeGreaterThanOrEqual(MAX_PLAYERS);
    const slots = seatInTurn(MAX_PLAYERS);
    expect(slots).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(slots).size).toBe(MAX_PLAYERS);
  });

  it("reuses a slot once its seat is gone, the lowest first", () => {
    const slots = seatInTurn(5).filter((slot) => slot !== 1 && slot !== 3);
    expect(freeColorSlot(slots)).toBe(1);
    expect(seatInTurn(2, slots).slice(-2)).toEqual([1, 3]);
  });

  it("keeps a held seat's slot from newcomers (a player reconnecting finds it theirs)", () => {
    // Seat 0 dropped and is held for the grace window: it still holds slot 0.
    const held = [0, 1, 2];
    expect(freeColorSlot(held)).toBe(3);
  });

  it("still answers with more seats than slots, sharing the least-held slot", () => {
    const all = seatInTurn(COLOR_SLOTS);
    expect(freeColorSlot(all)).toBe(0);
    expect(freeColorSlot([...all, 0, 1])).toBe(2);
    expect(freeColorSlot([-1, 99, 2.5])).toBe(0);
  });
});
