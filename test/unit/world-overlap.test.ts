import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../../game/sim/arena.ts";
import type { AvatarState } from "../../game/sim/avatar.ts";
import { CONTACT_DISTANCE, type PlacedAvatar, resolveOverlap } from "../../game/world/overlap.ts";

const EPSILON = 1e-6;
const still = (x: number, y: number): AvatarState => ({ x, y, vx: 0, vy: 0 });
const gap = (a: { x: number; y: number }, b: { x: number; y: number }): number =>
  Math.hypot(a.x - b.x, a.y - b.y);

const inArena = (p: { x: number; y: number }): boolean =>
  p.x >= AVATAR_RADIUS - EPSILON &&
  p.x <= ARENA_WIDTH - AVATAR_RADIUS + EPSILON &&
  p.y >= AVATAR_RADIUS - EPSILON &&
  p.y <= ARENA_HEIGHT - AVATAR_RADIUS + EPSILON;

/** A center anywhere an avatar can be. */
const arenaX = fc.double({ min: AVATAR_RADIUS, max: ARENA_WIDTH - AVATAR_RADIUS, noNaN: true });
const arenaY = fc.double({ min: AVATAR_RADIUS, max: ARENA_HEIGHT - AVATAR_RADIUS, noNaN: true });
/** A center at least one contact distance from every wall, so walls never change the push. */
const openX = fc.double({
  min: AVATAR_RADIUS + 2 * CONTACT_DISTANCE,
  max: ARENA_WIDTH - AVATAR_RADIUS - 2 * CONTACT_DISTANCE,
  noNaN: true,
});
const openY = fc.double({
  min: AVATAR_RADIUS + 2 * CONTACT_DISTANCE,
  max: ARENA_HEIGHT - AVATAR_RADIUS - 2 * CONTACT_DISTANCE,
  noNaN: true,
});
const nearby = fc.double({ min: -CONTACT_DISTANCE, max: CONTACT_DISTANCE, noNaN: true });

describe("the player-vs-player rule (resolveOverlap)", () => {
  it("leaves an avatar that overlaps nobody exactly as it was", () => {
    const own: AvatarState = { x: 100, y: 100, vx: 30, vy: -4 };
    expect(resolveOverlap("a", own, [{ id: "b", x: 100 + CONTACT_DISTANCE, y: 100 }])).toEqual(own);
    expect(resolveOverlap("a", own, [])).toEqual(own);
  });

  it("pushes straight out along the line between centers until the discs just touch", () => {
    const moved = resolveOverlap("a", still(100, 100), [{ id: "b", x: 110, y: 100 }]);
    expect(moved.x).toBeCloseTo(110 - CONTACT_DISTANCE, 9);
    expect(moved.y).toBe(100);
  });

  it("never leaves an avatar overlapping another (one other, anywhere in the arena)", () => {
    fc.assert(
      fc.property(arenaX, arenaY, nearby, nearby, (x, y, dx, dy) => {
        const other: PlacedAvatar = {
          id: "b",
          x: Math.min(Math.max(x + dx, AVATAR_RADIUS), ARENA_WIDTH - AVATAR_RADIUS),
          y: Math.min(Math.max(y + dy, AVATAR_RADIUS), ARENA_HEIGHT - AVATAR_RADIUS),
        };
        const moved = resolveOverlap("a", still(x, y), [other]);
        expect(gap(moved, other)).toBeGreaterThanOrEqual(CONTACT_DISTANCE - EPSILON);
        expect(inArena(moved)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives each peer the mirror image of the other's push (symmetric outcome)", () => {
    fc.assert(
      fc.property(openX, openY, nearby, nearby, (x, y, dx, dy) => {
        const a = still(x, y);
        const b = still(x + dx, y + dy);
        // Peer A moves A out of B; peer B, seeing the same positions, moves B out of A.
        const movedA = resolveOverlap("a", a, [{ id: "b", x: b.x, y: b.y }]);
        const movedB = resolveOverlap("b", b, [{ id: "a", x: a.x, y: a.y }]);
        expect(movedA.x - a.x).toBeCloseTo(-(movedB.x - b.x), 9);
        expect(movedA.y - a.y).toBeCloseTo(-(movedB.y - b.y), 9);
      }),
      { numRuns: 2000 },
    );
  });

  it("splits avatars on the very same spot by id: lower id left, higher id right", () => {
    const movedA = resolveOverlap("a", still(400, 300), [{ id: "b", x: 400, y: 300 }]);
    const movedB = resolveOverlap("b", still(400, 300), [{ id: "a", x: 400, y: 300 }]);
    expect(movedA).toMatchObject({ x: 400 - CONTACT_DISTANCE, y: 300 });
    expect(movedB).toMatchObject({ x: 400 + CONTACT_DISTANCE, y: 300 });
  });

  it("is deterministic: the same inputs in any order give the very same result", () => {
    const c: PlacedAvatar = { id: "c", x: 410, y: 300 };
    const b: PlacedAvatar = { id: "b", x: 395, y: 318 };
    const d: PlacedAvatar = { id: "d", x: 380, y: 290 };
    const own: AvatarState = { x: 400, y: 305, vx: 50, vy: 20 };
    const first = resolveOverlap("a", own, [c, b, d]);
    expect(first).not.toEqual(own);
    expect(resolveOverlap("a", own, [c, b, d])).toEqual(first);
    expect(resolveOverlap("a", own, [d, b, c])).toEqual(first);
    expect(resolveOverlap("a", own, [b, d, c])).toEqual(first);
  });

  it("removes only the part of the velocity heading into the other avatar", () => {
    const moved = resolveOverlap("a", { x: 100, y: 100, vx: 200, vy: 50 }, [
      { id: "b", x: 120, y: 100 },
    ]);
    expect(moved.vx).toBeCloseTo(0, 9);
    expect(moved.vy).toBe(50);
    const leaving = resolveOverlap("a", { x: 100, y: 100, vx: -200, vy: 0 }, [
      { id: "b", x: 120, y: 100 },
    ]);
    expect(leaving.vx).toBe(-200);
  });

  it("slides along a wall instead of through it when pushed into one", () => {
    const own = still(AVATAR_RADIUS, 200);
    const other = { id: "b", x: AVATAR_RADIUS + 10, y: 200 };
    const moved = resolveOverlap("a", own, [other]);
    expect(moved.x).toBe(AVATAR_RADIUS);
    expect(gap(moved, other)).toBeCloseTo(CONTACT_DISTANCE, 9);
    expect(inArena(moved)).toBe(true);
  });

  it("resolves every overlap in a crowd whose members have room between them", () => {
    // Others at least three contact distances apart: pushing out of one never pushes into another.
    const spread = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 4 })), {
        minLength: 2,
        maxLength: 7,
        selector: ([cx, cy]) => `${cx},${cy}`,
      })
      .map((cells) =>
        cells.map(([cx, cy], i) => ({
          id: `p${i}`,
          x: 80 + cx * 3 * CONTACT_DISTANCE,
          y: 80 + cy * 3 * CONTACT_DISTANCE,
        })),
      );
    fc.assert(
      fc.property(spread, fc.nat(), nearby, nearby, (others, pick, dx, dy) => {
        const near = others[pick % others.length];
        if (near === undefined) return;
        const moved = resolveOverlap("own", still(near.x + dx, near.y + dy), others);
        for (const other of others) {
          expect(gap(moved, other)).toBeGreaterThanOrEqual(CONTACT_DISTANCE - EPSILON);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("ignores its own id and junk positions among the others", () => {
    const own = still(300, 300);
    expect(
      resolveOverlap("a", own, [
        { id: "a", x: 300, y: 300 },
        { id: "b", x: Number.NaN, y: 300 },
      ]),
    ).toEqual(own);
  });
});
