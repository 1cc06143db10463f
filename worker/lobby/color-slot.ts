/** Which palette slot a new seat gets (`PeerInfo.color`). Pure. */
import { COLOR_SLOTS } from "../../shared/limits.ts";

/**
 * The lowest slot no seat holds. Seats held for their grace window count, so a player who
 * comes back finds their colour still theirs. With every slot held (more seats than slots,
 * which the player limit rules out) it is the lowest of the least-held slots.
 */
export function freeColorSlot(held: Iterable<number>): number {
  const holders = new Array<number>(COLOR_SLOTS).fill(0);
  for (const slot of held) {
    if (Number.isInteger(slot) && slot >= 0 && slot < COLOR_SLOTS)
      holders[slot] = (holders[slot] ?? 0) + 1;
  }
  const fewest = Math.min(...holders);
  return holders.indexOf(fewest);
}
