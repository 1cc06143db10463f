import { describe, expect, it } from "vitest";
import {
  type MatchState,
  shortClockLine,
  visibleScores,
} from "../../game/scenes/scoreboard-text.ts";
import { MIN_TEXT_CSS_PX, readableZoom } from "../../game/scenes/text-zoom.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../../game/sim/arena.ts";
import {
  BANNER_AREA,
  discTouchesRect,
  KEEP_OUT_AREAS,
  SCOREBOARD_AREA,
} from "../../game/sim/scoreboard-area.ts";
import { PickupSpawner } from "../../game/world/pickup-spawner.ts";
import { DEFAULT_WORLD_CONFIG } from "../../game/world/world-config.ts";
import type { WorldPickup } from "../../game/world/world-state.ts";

describe("readableZoom (canvas text never shows smaller than 11 CSS px)", () => {
  it("leaves text alone where the arena shows at full size or larger", () => {
    expect(readableZoom(14, 1)).toBe(1);
    expect(readableZoom(14, 2)).toBe(1);
  });

  it("enlarges text just enough on a phone", () => {
    // A 390 px wide phone shows the 960-unit arena at 0.406 CSS px per unit.
    const cssPerWorld = 390 / ARENA_WIDTH;
    const zoom = readableZoom(14, cssPerWorld);
    expect(14 * zoom * cssPerWorld).toBeCloseTo(MIN_TEXT_CSS_PX);
    expect(readableZoom(28, cssPerWorld)).toBeLessThan(zoom);
  });

  it("is 1 for a canvas not laid out yet", () => {
    expect(readableZoom(14, 0)).toBe(1);
    expect(readableZoom(14, Number.NaN)).toBe(1);
    expect(readableZoom(14, Number.POSITIVE_INFINITY)).toBe(1);
  });
});

function state(stage: MatchState["stage"], stageRemainingMs: number | null, round = 2): MatchState {
  return { ready: true, stage, round, rounds: 3, stageRemainingMs };
}

describe("the scoreboard on a small screen", () => {
  it("has a short clock line for every stage", () => {
    expect(shortClockLine(state("warmup", null, 0))).toBe("Warm-up");
    expect(shortClockLine(state("countdown", 2100))).toBe("Round 2 in 3");
    expect(shortClockLine(state("round", 45_000))).toBe("2/3  0:45");
    expect(shortClockLine(state("results", 2500))).toBe("Next in 3 s");
    expect(shortClockLine(state("results", 2500, 3))).toBe("Final in 3 s");
    expect(shortClockLine(state("podium", null, 3))).toBe("Match over");
    expect(shortClockLine({ ...state("round", 1), ready: false })).toBe("Waiting…");
  });

  it("shows the best rows and always our own", () => {
    const lines = ["a", "b", "c", "d", "e"].map((peerId) => ({ peerId }));
    const ids = (rows: readonly { peerId: string }[]) => rows.map((row) => row.peerId);
    expect(ids(visibleScores(lines, "b", 3))).toEqual(["a", "b", "c"]);
    expect(ids(visibleScores(lines, "e", 3))).toEqual(["a", "b", "e"]);
    expect(ids(visibleScores(lines, "e", 8))).toEqual(["a", "b", "c", "d", "e"]);
    expect(ids(visibleScores(lines, "x", 2))).toEqual(["a", "b"]);
    // Room for no row still shows ours.
    expect(ids(visibleScores(lines, "d", 0))).toEqual(["d"]);
  });
});

describe("where pickups may not appear", () => {
  it("keeps the banner's area clear of the scoreboard and inside the arena", () => {
    expect(KEEP_OUT_AREAS).toEqual([SCOREBOARD_AREA, BANNER_AREA]);
    expect(BANNER_AREA.x + BANNER_AREA.width).toBeLessThan(SCOREBOARD_AREA.x);
    expect(BANNER_AREA.x).toBeGreaterThan(0);
    // Centred on the arena, like the banner's text.
    expect(BANNER_AREA.x + BANNER_AREA.width / 2).toBe(ARENA_WIDTH / 2);
    expect(BANNER_AREA.y + BANNER_AREA.height).toBeLessThan(ARENA_HEIGHT / 2);
  });

  it("never places a pickup under the banner", () => {
    // A fixed pseudo-random sequence: many spawns over the whole arena.
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const spawner = new PickupSpawner(1, DEFAULT_WORLD_CONFIG, random);
    const radius = DEFAULT_WORLD_CONFIG.pickupRadius;
    for (let i = 0; i < 500; i++) {
      const pickup: WorldPickup = spawner.spawn([]);
      expect(discTouchesRect(pickup.x, pickup.y, radius, BANNER_AREA)).toBe(false);
    }
  });

  it("moves a spot the random source put under the banner", () => {
    // 0.5, 0.02 is the top middle: right under the banner; then the middle of the arena.
    const numbers = [0.5, 0.02, 0.5, 0.5];
    let index = 0;
    const spawner = new PickupSpawner(1, DEFAULT_WORLD_CONFIG, () => numbers[index++] ?? 0.5);
    const pickup = spawner.spawn([]);
    expect(discTouchesRect(pickup.x, pickup.y, 1, BANNER_AREA)).toBe(false);
    expect(pickup.y).toBeCloseTo(ARENA_HEIGHT / 2, -1);
  });
});
