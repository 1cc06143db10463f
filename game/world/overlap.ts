/**
 * The player-vs-player rule: avatars are solid discs. Each peer moves only its own avatar:
 * after every simulation step, if it overlaps another avatar (where this peer draws that
 * avatar), it is pushed straight out along the line between the centers until the discs just
 * touch, and the part of its velocity heading into the other avatar is removed. The function
 * is pure and depends only on its inputs (ids break ties, never input order or locale), so
 * every peer resolving the same situation gets the mirror-image result.
 */
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../sim/arena.ts";
import type { AvatarState } from "../sim/avatar.ts";

export interface PlacedAvatar {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

/** Centers closer than this overlap. */
export const CONTACT_DISTANCE = 2 * AVATAR_RADIUS;
/** Overlap this small is left alone, so float rounding never makes a push that moves nothing. */
export const OVERLAP_TOLERANCE = 1e-6;
/**
 * Pushing out of one avatar can push into another; a few passes settle any crowd that has
 * room. A crowd with no room (several avatars pinning one into a corner) keeps some overlap
 * rather than looping.
 */
const MAX_PASSES = 4;

const MIN_X = AVATAR_RADIUS;
const MAX_X = ARENA_WIDTH - AVATAR_RADIUS;
const MIN_Y = AVATAR_RADIUS;
const MAX_Y = ARENA_HEIGHT - AVATAR_RADIUS;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** `own` moved out of every avatar in `others` (own id skipped), kept inside the arena. */
export function resolveOverlap(
  ownId: string,
  own: AvatarState,
  others: readonly PlacedAvatar[],
): AvatarState {
  const solid = others
    .filter((other) => other.id !== ownId && Number.isFinite(other.x) && Number.isFinite(other.y))
    .toSorted((a, b) => compareIds(a.id, b.id));
  let { x, y, vx, vy } = own;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let moved = false;
    for (const other of solid) {
      const dx = x - other.x;
      const dy = y - other.y;
      const distance = Math.hypot(dx, dy);
      if (distance >= CONTACT_DISTANCE - OVERLAP_TOLERANCE) continue;
      const away = directionAway(dx, dy, distance, ownId, other.id);
      ({ x, y } = contactPoint({ x, y }, other, away, distance));
      const normalX = (x - other.x) / CONTACT_DISTANCE;
      const normalY = (y - other.y) / CONTACT_DISTANCE;
      const into = vx * normalX + vy * normalY;
      if (into < 0) {
        vx -= into * normalX;
        vy -= into * normalY;
      }
      moved = true;
    }
    if (!moved) break;
  }
  return { x, y, vx, vy };
}

/** Code-unit order: the same on every machine (localeCompare is not). */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Unit vector from the other avatar's center to ours. Centers on top of each other have no
 * line between them, so the lower id goes left and the higher right: both peers agree.
 */
function directionAway(
  dx: number,
  dy: number,
  distance: number,
  ownId: string,
  otherId: string,
): Point {
  if (distance > 1e-9) return { x: dx / distance, y: dy / distance };
  return { x: compareIds(ownId, otherId) < 0 ? -1 : 1, y: 0 };
}

/**
 * Where our center goes: straight out along `away` to the contact circle. Moving by
 * `away * (contact - distance)` (rather than to `other + away * contact`) keeps the two
 * peers' pushes exact mirror images in floating point. If a wall is in the way, the nearest
 * point of the contact circle that is inside the arena; such a point always exists because the
 * arena is far larger than an avatar.
 */
function contactPoint(own: Point, other: Point, away: Point, distance: number): Point {
  const push = CONTACT_DISTANCE - distance;
  const straight = { x: own.x + away.x * push, y: own.y + away.y * push };
  if (insideArena(straight)) return straight;
  let best: Point | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of circleMeetsWalls(other)) {
    const d = Math.hypot(candidate.x - own.x, candidate.y - own.y);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ?? clampToArena(straight);
}

/** Points where the contact circle around `center` crosses a wall line, inside the arena. */
function circleMeetsWalls(center: Point): Point[] {
  const points: Point[] = [];
  for (const wallX of [MIN_X, MAX_X]) {
    const span = CONTACT_DISTANCE ** 2 - (wallX - center.x) ** 2;
    if (span < 0) continue;
    const half = Math.sqrt(span);
    points.push({ x: wallX, y: center.y - half }, { x: wallX, y: center.y + half });
  }
  for (const wallY of [MIN_Y, MAX_Y]) {
    const span = CONTACT_DISTANCE ** 2 - (wallY - center.y) ** 2;
    if (span < 0) continue;
    const half = Math.sqrt(span);
    points.push({ x: center.x - half, y: wallY }, { x: center.x + half, y: wallY });
  }
  return points.filter((point) => insideArena(point));
}

function insideArena(point: Point): boolean {
  return point.x >= MIN_X && point.x <= MAX_X && point.y >= MIN_Y && point.y <= MAX_Y;
}

function clampToArena(point: Point): Point {
  return {
    x: Math.min(MAX_X, Math.max(MIN_X, point.x)),
    y: Math.min(MAX_Y, Math.max(MIN_Y, point.y)),
  };
}
