import { describe, expect, it } from "vitest";
import { type Disc, type NameBox, nameLifts } from "../../game/scenes/name-lift.ts";

const name = (id: string, x: number, y: number, width = 60, height = 20): NameBox => ({
  id,
  x,
  y,
  width,
  height,
});

const liftsOf = (boxes: readonly NameBox[], discs: readonly Disc[] = []) => nameLifts(boxes, discs);

/** The boxes where they end up drawn. */
function drawn(boxes: readonly NameBox[]): NameBox[] {
  const lifts = liftsOf(boxes);
  return boxes.map((box) => ({ ...box, y: box.y - (lifts.get(box.id) ?? 0) }));
}

function overlap(a: NameBox, b: NameBox): boolean {
  return (
    Math.abs(a.x - b.x) < (a.width + b.width) / 2 && a.y - a.height < b.y && b.y - b.height < a.y
  );
}

describe("nameLifts (names of avatars standing together)", () => {
  it("leaves names that do not touch where they are", () => {
    const lifts = liftsOf([name("a", 100, 100), name("b", 300, 100), name("c", 100, 300)]);
    expect([...lifts.values()]).toEqual([0, 0, 0]);
  });

  it("lifts the higher of two overlapping names just above the lower one", () => {
    const lifts = liftsOf([name("up", 110, 95), name("down", 100, 100)]);
    expect(lifts.get("down")).toBe(0);
    expect(lifts.get("up")).toBe(15);
  });

  it("stacks a crowd on one spot into a column with no two names overlapping", () => {
    const crowd = ["a", "b", "c", "d", "e", "f", "g", "h"].map((id, i) => name(id, 200 + i, 200));
    const placed = drawn(crowd);
    for (const a of placed)
      for (const b of placed)
        if (a !== b) expect(overlap(a, b), `${a.id} over ${b.id}`).toBe(false);
    const lifts = [...liftsOf(crowd).values()].sort((a, b) => a - b);
    expect(lifts).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
  });

  it("clears a name lifted into a third one as well", () => {
    const placed = drawn([name("low", 100, 100), name("mid", 100, 90), name("high", 150, 80)]);
    for (const a of placed)
      for (const b of placed)
        if (a !== b) expect(overlap(a, b), `${a.id} over ${b.id}`).toBe(false);
  });

  it("lifts a name off a disc it would be drawn under, and leaves one beside a disc alone", () => {
    const under = liftsOf([name("behind", 100, 100)], [{ x: 100, y: 95, radius: 16 }]);
    expect(under.get("behind")).toBe(21);
    const beside = liftsOf([name("beside", 100, 100)], [{ x: 150, y: 95, radius: 16 }]);
    expect(beside.get("beside")).toBe(0);
  });

  it("keeps the same order for names at one height, whichever order they come in", () => {
    const one = liftsOf([name("b", 100, 100), name("a", 110, 100)]);
    const other = liftsOf([name("a", 110, 100), name("b", 100, 100)]);
    expect(one).toEqual(other);
    expect(one.get("a")).toBe(0);
    expect(one.get("b")).toBe(20);
  });

  it("never lowers a name, and leaves no two overlapping among scattered players", () => {
    for (let seed = 1; seed < 50; seed++) {
      const boxes = Array.from({ length: 6 }, (_, i) =>
        name(`p${i}`, ((seed * (i + 3) * 37) % 200) + 100, ((seed * (i + 5) * 53) % 120) + 100),
      );
      const placed = drawn(boxes);
      for (const lift of liftsOf(boxes).values()) expect(lift).toBeGreaterThanOrEqual(0);
      for (const a of placed)
        for (const b of placed) if (a !== b) expect(overlap(a, b)).toBe(false);
    }
  });
});
