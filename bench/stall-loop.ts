/**
 * How the moving player moves: round an octagon, turning 45° every leg by pressing or releasing
 * one arrow key (→, →↓, ↓, ↓←, ←, ←↑, ↑, ↑→). A key is never released before its neighbour is
 * held, so the input never goes to zero, and the velocity eases along the straight line between
 * two directions 45° apart: its speed stays above cos 22.5° ≈ 92% of top speed, never reversing
 * through zero the way left/right turns do (where a disc really is nearly still for a frame).
 * The first leg is picked by running the game's own avatar simulation, so the loop stays clear
 * of the walls and of the watching player's disc (which would push ours aside).
 */
import type { Page } from "playwright-core";
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../game/sim/arena.ts";
import { type AvatarState, inputFromKeys, stepAvatar } from "../game/sim/avatar.ts";

export const LEG_MS = 250;
const KEYS = ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"] as const;
type ArrowKey = (typeof KEYS)[number];
const SIM_STEP_S = 1 / 60;

/** Keys held on leg `leg` of a loop starting at `start` (0-7; even = one key, odd = two). */
function heldOnLeg(start: number, leg: number): readonly ArrowKey[] {
  const position = (start + leg) % 8;
  const first = KEYS[Math.floor(position / 2)] ?? "ArrowRight";
  const second = KEYS[(Math.floor(position / 2) + 1) % 4] ?? "ArrowDown";
  return position % 2 === 0 ? [first] : [first, second];
}

/** Clearance of the loop from walls and the obstacle, over two rounds from `from`, at rest. */
function clearance(
  start: number,
  from: { x: number; y: number },
  obstacle: { x: number; y: number },
): number {
  let state: AvatarState = { x: from.x, y: from.y, vx: 0, vy: 0 };
  let worst = Number.POSITIVE_INFINITY;
  const stepsPerLeg = Math.round(LEG_MS / 1000 / SIM_STEP_S);
  for (let leg = 0; leg < 16; leg++) {
    const held = heldOnLeg(start, leg);
    const input = inputFromKeys(
      held.includes("ArrowLeft"),
      held.includes("ArrowRight"),
      held.includes("ArrowUp"),
      held.includes("ArrowDown"),
    );
    for (let i = 0; i < stepsPerLeg; i++) {
      state = stepAvatar(state, input, SIM_STEP_S);
      const toWall = Math.min(
        state.x - AVATAR_RADIUS,
        ARENA_WIDTH - AVATAR_RADIUS - state.x,
        state.y - AVATAR_RADIUS,
        ARENA_HEIGHT - AVATAR_RADIUS - state.y,
      );
      const toObstacle = Math.hypot(state.x - obstacle.x, state.y - obstacle.y) - 2 * AVATAR_RADIUS;
      worst = Math.min(worst, toWall, toObstacle);
    }
  }
  return worst;
}

/** The first leg (0-7) whose loop keeps farthest from walls and the obstacle. */
export function bestStartLeg(
  from: { x: number; y: number },
  obstacle: { x: number; y: number },
): number {
  let best = 0;
  let bestClearance = Number.NEGATIVE_INFINITY;
  for (let start = 0; start < 8; start++) {
    const value = clearance(start, from, obstacle);
    if (value > bestClearance) {
      best = start;
      bestClearance = value;
    }
  }
  return best;
}

export interface Loop {
  /** Resolves when the keys are let go, after `stop()`. */
  readonly done: Promise<void>;
  stop(): void;
}

/** Starts going round the loop on `page` until `stop()`; each turn changes one key. */
export function startLoop(page: Page, startLeg: number): Loop {
  let stopped = false;
  const run = async (): Promise<void> => {
    let held: readonly ArrowKey[] = [];
    for (let leg = 0; !stopped; leg++) {
      const next = heldOnLeg(startLeg, leg);
      // Press before release: the input is never empty at a turn.
      for (const key of next) if (!held.includes(key)) await page.keyboard.down(key);
      for (const key of held) if (!next.includes(key)) await page.keyboard.up(key);
      held = next;
      await page.waitForTimeout(LEG_MS);
    }
    for (const key of held) await page.keyboard.up(key);
  };
  const done = run();
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
