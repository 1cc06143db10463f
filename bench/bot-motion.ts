/**
 * Where a bot steers, as a player would: to the nearest pickup it has not claimed yet. With
 * none to take (no world from the host yet, all taken, no round running) it runs its own circle,
 * so a bot never stands still and a page always has moving avatars to draw. Pure.
 */
import { ARENA_HEIGHT, ARENA_WIDTH } from "../game/sim/arena.ts";
import { type AvatarState, inputTowards, type MoveInput } from "../game/sim/avatar.ts";

/** Below the game's top speed (260 units/s), so the circling looks like a player's. */
const CIRCLE_SPEED = 180;
const CIRCLE_RADIUS = 90;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Circle extends Point {
  /** Where on the circle the bot is at time 0, radians. */
  readonly phase: number;
}

/** What a bot can see of the shared world. */
export interface PickupsInView {
  /** Active pickups. */
  readonly pickups: readonly (Point & { readonly id: number })[];
  /** Pickups it asked the host for and has no answer to yet. */
  readonly pendingClaims: readonly number[];
  /** A round is running: pickups score (in the warm-up, countdown and results they do not). */
  readonly scoring: boolean;
}

/** Bot `index` of `count`: circles spread round the arena's middle, each at its own phase. */
export function circleOf(index: number, count: number): Circle {
  const around = (2 * Math.PI * index) / Math.max(1, count);
  return {
    x: ARENA_WIDTH / 2 + Math.cos(around) * ARENA_WIDTH * 0.25,
    y: ARENA_HEIGHT / 2 + Math.sin(around) * ARENA_HEIGHT * 0.25,
    phase: around,
  };
}

/** The nearest pickup worth going for; null when there is none (or no round is running). */
export function nearestPickup(from: Point, world: PickupsInView | null): Point | null {
  if (world === null || !world.scoring) return null;
  let best: Point | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const pickup of world.pickups) {
    if (world.pendingClaims.includes(pickup.id)) continue;
    const distance = Math.hypot(pickup.x - from.x, pickup.y - from.y);
    if (distance < bestDistance) {
      best = pickup;
      bestDistance = distance;
    }
  }
  return best;
}

/** Toward the pickup, else after a point going round the circle at CIRCLE_SPEED. */
export function steer(
  from: AvatarState,
  pickup: Point | null,
  circle: Circle,
  nowMs: number,
): MoveInput {
  if (pickup !== null) return inputTowards(from, pickup.x, pickup.y);
  const angle = circle.phase + ((CIRCLE_SPEED / CIRCLE_RADIUS) * nowMs) / 1000;
  return inputTowards(
    from,
    circle.x + Math.cos(angle) * CIRCLE_RADIUS,
    circle.y + Math.sin(angle) * CIRCLE_RADIUS,
  );
}
