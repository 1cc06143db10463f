/**
 * The parts of the arena the scoreboard and the match's banner cover. They live beside the
 * arena, not in the scene, because the host's pickup placement must keep out of them too: a
 * pickup under the panel or the banner's words is one nobody can see.
 */
import { MAX_PLAYERS } from "edgeplay/protocol";
import { ARENA_WIDTH } from "./arena.ts";

export const SCOREBOARD_LAYOUT = {
  width: 220,
  margin: 12,
  pad: 10,
  row: 20,
  clockHeight: 24,
} as const;

export function scoreboardHeight(rows: number): number {
  const { pad, clockHeight, row } = SCOREBOARD_LAYOUT;
  return pad * 2 + clockHeight + rows * row;
}

export interface ArenaRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The panel at its largest: one row per seat. */
export const SCOREBOARD_AREA: ArenaRect = {
  x: ARENA_WIDTH - SCOREBOARD_LAYOUT.margin - SCOREBOARD_LAYOUT.width,
  y: SCOREBOARD_LAYOUT.margin,
  width: SCOREBOARD_LAYOUT.width,
  height: scoreboardHeight(MAX_PLAYERS),
};

/**
 * The banner across the top middle, with the note under it, at its largest: three lines of the
 * largest text a phone needs (the scene wraps and scales it to stay inside). It ends just short
 * of the scoreboard.
 */
export const BANNER_AREA: ArenaRect = {
  x: ARENA_WIDTH / 2 - 240,
  y: 0,
  width: 480,
  height: 120,
};

/** Where no pickup may appear. */
export const KEEP_OUT_AREAS: readonly ArenaRect[] = [SCOREBOARD_AREA, BANNER_AREA];

/** Whether a disc of `radius` at (x, y) touches the rectangle. */
export function discTouchesRect(x: number, y: number, radius: number, rect: ArenaRect): boolean {
  const nearestX = Math.min(rect.x + rect.width, Math.max(rect.x, x));
  const nearestY = Math.min(rect.y + rect.height, Math.max(rect.y, y));
  return Math.hypot(x - nearestX, y - nearestY) < radius;
}
