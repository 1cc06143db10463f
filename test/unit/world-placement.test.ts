import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../../game/sim/arena.ts";
import {
  discTouchesRect,
  SCOREBOARD_AREA,
  scoreboardHeight,
} from "../../game/sim/scoreboard-area.ts";
import { PickupSpawner } from "../../game/world/pickup-spawner.ts";
import { DEFAULT_WORLD_CONFIG } from "../../game/world/world-config.ts";
import type { WorldPickup } from "../../game/world/world-state.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";

/** Replays the given numbers in [0, 1), then repeats the last one. */
function replay(numbers: readonly number[]): () => number {
  let index = 0;
  return () => numbers[Math.min(index++, numbers.length - 1)] ?? 0;
}

describe("pickup placement", () => {
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
