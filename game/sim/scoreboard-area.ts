/**
 * The corner of the arena the scoreboard covers. It lives beside the arena, not in the scene,
 * because the host's pickup placement must keep out of it too: a pickup under the panel is one
 * nobody can see.
 */
import { MAX_PLAYERS } from "edgeplay/protocol";
import { ARENA_WIDTH } from "./arena.ts";

export const SCOREBOARD_LAYOUT = {
  width: 190,
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

/** Whether a disc of `radius` at (x, y) touches the rectangle. */
export function discTouchesRect(x: number, y: number, radius: number, rect: ArenaRect): boolean {
  const nearestX = Math.min(rect.x + rect.width, Math.max(rect.x, x));
  const nearestY = Math.min(rect.y + rect.height, Math.max(rect.y, y));
  return Math.hypot(x - nearestX, y - nearestY) < radius;
}
