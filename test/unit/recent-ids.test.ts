import { describe, expect, it } from "vitest";
import { RecentIds } from "../../game/kit/mesh/recent-ids.ts";

describe("remembering recent ids (peers that left)", () => {
  it("keeps at most its capacity, forgetting the oldest first", () => {
    const ids = new RecentIds(3);
    for (const id of ["a", "b", "c", "d", "e"]) ids.add(id);
    expect(ids.size).toBe(3);
    expect(["a", "b", "c", "d", "e"].map((id) => ids.has(id))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it("counts a re-added id as the newest, and forgets a deleted one", () => {
    const ids = new RecentIds(2);
    ids.add("a");
    ids.add("b");
    ids.add("a");
    ids.add("c");
    expect(ids.has("a")).toBe(true);
    expect(ids.has("b")).toBe(false);
    ids.delete("a");
    expect(ids.has("a")).toBe(false);
    expect(ids.size).toBe(1);
  });
});
