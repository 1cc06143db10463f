/**
 * The avatar simulation: pure functions over plain data, so it runs the same in the browser,
 * in Node bots and in unit tests. Phaser only reads the result.
 */
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "./arena.ts";

export interface AvatarState {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}

/** Desired direction of travel; each axis in [-1, 1] and the length at most 1. */
export interface MoveInput {
  readonly x: number;
  readonly y: number;
}

export const NO_INPUT: MoveInput = { x: 0, y: 0 };

/** Top speed in world units per second. */
export const MAX_SPEED = 260;
/** How quickly velocity follows the input (1/s); higher feels snappier. */
const RESPONSIVENESS = 12;
/** Within this distance of a pointer target the avatar slows down instead of overshooting. */
const ARRIVE_RADIUS = 48;

export function spawnAvatar(x = ARENA_WIDTH / 2, y = ARENA_HEIGHT / 2): AvatarState {
  return { x, y, vx: 0, vy: 0 };
}

/** A spawn point in the middle half of the arena; `random` returns values in [0, 1). */
export function randomSpawn(random: () => number = Math.random): AvatarState {
  return spawnAvatar(ARENA_WIDTH * (0.25 + random() * 0.5), ARENA_HEIGHT * (0.25 + random() * 0.5));
}

/** Keys to a direction; opposite keys cancel and diagonals are not faster. */
export function inputFromKeys(
  left: boolean,
  right: boolean,
  up: boolean,
  down: boolean,
): MoveInput {
  return clampLength({ x: Number(right) - Number(left), y: Number(down) - Number(up) });
}

/** Head for a point (a held pointer or touch), easing off near it so the avatar settles. */
export function inputTowards(from: AvatarState, targetX: number, targetY: number): MoveInput {
  const dx = targetX - from.x;
  const dy = targetY - from.y;
  const distance = Math.hypot(dx, dy);
  if (distance < 1) return NO_INPUT;
  const strength = Math.min(1, distance / ARRIVE_RADIUS);
  return { x: (dx / distance) * strength, y: (dy / distance) * strength };
}

/** Advances one fixed step: velocity eases toward the input, then the avatar stays inside. */
export function stepAvatar(state: AvatarState, input: MoveInput, dtSeconds: number): AvatarState {
  const wanted = clampLength(input);
  const blend = 1 - Math.exp(-RESPONSIVENESS * dtSeconds);
  let vx = state.vx + (wanted.x * MAX_SPEED - state.vx) * blend;
  let vy = state.vy + (wanted.y * MAX_SPEED - state.vy) * blend;
  const freeX = state.x + vx * dtSeconds;
  const freeY = state.y + vy * dtSeconds;
  const x = clamp(freeX, AVATAR_RADIUS, ARENA_WIDTH - AVATAR_RADIUS);
  const y = clamp(freeY, AVATAR_RADIUS, ARENA_HEIGHT - AVATAR_RADIUS);
  // A wall stops motion into it, so the velocity we send never claims movement that did not happen.
  if (x !== freeX) vx = 0;
  if (y !== freeY) vy = 0;
  return { x, y, vx: settle(vx), vy: settle(vy) };
}

function clampLength(input: MoveInput): MoveInput {
  const x = Number.isFinite(input.x) ? input.x : 0;
  const y = Number.isFinite(input.y) ? input.y : 0;
  const length = Math.hypot(x, y);
  return length > 1 ? { x: x / length, y: y / length } : { x, y };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Snaps tiny residual speeds to zero so a resting avatar sends exactly zero velocity. */
function settle(speed: number): number {
  return Math.abs(speed) < 0.5 ? 0 : speed;
}
