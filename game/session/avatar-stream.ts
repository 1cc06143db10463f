/**
 * The arena's avatar stream, as every peer of the arena declares it (the pages, and the Node
 * bots in bench/): its name and codec are in the stream's tag, so both must match to be heard.
 * The codec covers the arena and twice the top speed, so a faster mode needs no new format
 * (velocity only steers short extrapolation).
 */
import { motionCodec } from "edgeplay/client";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import { MAX_SPEED } from "../sim/avatar.ts";

export const AVATAR_STREAM = "avatar";
export const AVATAR_CODEC = motionCodec({
  bounds: { width: ARENA_WIDTH, height: ARENA_HEIGHT },
  maxSpeed: 2 * MAX_SPEED,
});
