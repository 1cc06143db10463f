/**
 * Where a bot's avatar is: each bot runs its own circle in the arena at a steady speed, so the
 * measured page has 7 moving avatars to interpolate and draw. Velocity is the circle's
 * tangent, as the game's own simulation would report it.
 */
import type { OutgoingState } from "../game/kit/netcode/peer-netcode.ts";
import { WORLD_HEIGHT, WORLD_WIDTH } from "../game/kit/wire/quantize.ts";

/** Below the game's top speed (260 units/s), so the motion looks like a player's. */
const SPEED = 180;
const RADIUS = 90;

/** Bot `index` of `count`: circles spread round the arena's middle, every bot at its own phase. */
export function circleState(
  index: number,
  count: number,
  tick: number,
  tickMs: number,
): OutgoingState {
  const around = (2 * Math.PI * index) / Math.max(1, count);
  const cx = WORLD_WIDTH / 2 + Math.cos(around) * WORLD_WIDTH * 0.25;
  const cy = WORLD_HEIGHT / 2 + Math.sin(around) * WORLD_HEIGHT * 0.25;
  const omega = SPEED / RADIUS;
  const angle = around + (omega * tick * tickMs) / 1000;
  return {
    tick,
    x: cx + Math.cos(angle) * RADIUS,
    y: cy + Math.sin(angle) * RADIUS,
    vx: -Math.sin(angle) * SPEED,
    vy: Math.cos(angle) * SPEED,
  };
}
