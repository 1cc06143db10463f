import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../../game/sim/arena.ts";
import {
  discTouchesRect,
  SCOREBOARD_AREA,
  scoreboardHeight,
} from "../../game/sim/scoreboard-area.ts";
import { PickupSpawner } from "../../game/world/pickup-spawner.ts";
import { DEFAULT_WORLD_CONFIG, worldConfig } from "../../game/world/world-config.ts";
import type { WorldPickup } from "../../game/world/world-state.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";

/** Replays the given numbers in [0, 1), then repeats the last one. */
function replay(numbers: readonly number[]): () => number {
  let index = 0;
  return () => numbers[Math.min(index++, numbers.length - 1)] ?? 0;
}

/** A small seeded generator in [0, 1): the same seed gives the same draws. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

describe("new pickups: where they go and what they are worth", () => {
  it("never hides a pickup under the scoreboard, and keeps it inside the arena", () => {
    const radius = DEFAULT_WORLD_CONFIG.pickupRadius;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        (numbers) => {
          const spawner = new PickupSpawner(1, DEFAULT_WORLD_CONFIG, replay(numbers));
          const present: WorldPickup[] = [];
          for (let i = 0; i < 6; i++) present.push(spawner.spawn(present));
          for (const pickup of present) {
            expect(discTouchesRect(pickup.x, pickup.y, radius, SCOREBOARD_AREA)).toBe(false);
            expect(pickup.x - radius).toBeGreaterThanOrEqual(0);
            expect(pickup.y - radius).toBeGreaterThanOrEqual(0);
            expect(pickup.x + radius).toBeLessThanOrEqual(ARENA_WIDTH);
            expect(pickup.y + radius).toBeLessThanOrEqual(ARENA_HEIGHT);
          }
        },
      ),
    );
  });

  it("moves a spot the random source put under the scoreboard", () => {
    // 0.99, 0.01 is the top right corner: right under the panel.
    const spawner = new PickupSpawner(1, DEFAULT_WORLD_CONFIG, replay([0.99, 0.01, 0.5, 0.5]));
    const pickup = spawner.spawn([]);
    expect(discTouchesRect(pickup.x, pickup.y, 1, SCOREBOARD_AREA)).toBe(false);
    expect(pickup.x).toBeCloseTo(ARENA_WIDTH / 2, -1);
  });

  it("makes one pickup in `1 / starChance` a star worth `starValue`, the rest worth 1", () => {
    const spawner = new PickupSpawner(1, DEFAULT_WORLD_CONFIG, seededRandom(5));
    const present: WorldPickup[] = [];
    const values: number[] = [];
    for (let i = 0; i < 600; i++) {
      const pickup = spawner.spawn(present);
      values.push(pickup.value);
      present.splice(0, present.length, pickup);
    }
    const stars = values.filter((value) => value === DEFAULT_WORLD_CONFIG.starValue).length;
    expect(values.every((value) => value === 1 || value === DEFAULT_WORLD_CONFIG.starValue)).toBe(
      true,
    );
    // 100 expected; a seeded draw, so this is exact from run to run.
    expect(stars).toBeGreaterThan(60);
    expect(stars).toBeLessThan(140);
    const never = new PickupSpawner(1, worldConfig({ starChance: 0 }), seededRandom(5));
    const always = new PickupSpawner(
      1,
      worldConfig({ starChance: 1, starValue: 5 }),
      seededRandom(5),
    );
    expect(never.spawn([]).value).toBe(1);
    expect(always.spawn([]).value).toBe(5);
  });

  it("refuses star settings the wire cannot carry", () => {
    expect(() => worldConfig({ starChance: 1.5 })).toThrow(RangeError);
    expect(() => worldConfig({ starValue: 0 })).toThrow(RangeError);
    expect(() => worldConfig({ starValue: 2.5 })).toThrow(RangeError);
    expect(() => worldConfig({ starValue: 10 })).toThrow(RangeError);
  });

  it("reserves room for a full lobby's rows", () => {
    expect(SCOREBOARD_AREA.height).toBe(scoreboardHeight(MAX_PLAYERS));
    expect(SCOREBOARD_AREA.x + SCOREBOARD_AREA.width).toBeLessThan(ARENA_WIDTH);
  });

  it("tells a disc touching a rectangle from one beside it", () => {
    const rect = { x: 10, y: 10, width: 20, height: 20 };
    expect(discTouchesRect(5, 20, 6, rect)).toBe(true);
    expect(discTouchesRect(5, 20, 4, rect)).toBe(false);
    expect(discTouchesRect(20, 20, 1, rect)).toBe(true);
    expect(discTouchesRect(33, 33, 4, rect)).toBe(false);
  });
});
