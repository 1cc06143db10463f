/**
 * The shared world as plain immutable data, and the pure transitions every peer applies to it.
 * The host changes its own copy only through these same transitions (or by replacing it
 * wholesale and sending a snapshot), so a replica that has applied the host's events up to
 * version V holds exactly the host's world at version V.
 */

import { assertNever, MAX_PLAYERS } from "edgeplay/protocol";
import {
  type GameEvent,
  MAX_COUNTER,
  MAX_ROUND_MS,
  MAX_SCORE,
  type Pickup,
  type Score,
} from "./events-wire.ts";

export type WorldEvent = Extract<GameEvent, { type: "world" }>;
export type ClaimEvent = Extract<GameEvent, { type: "claim-pickup" }>;
export type ClaimRejectedEvent = Extract<GameEvent, { type: "claim-rejected" }>;
/** An incremental change; each carries the world version it produces. */
export type ChangeEvent = Extract<
  GameEvent,
  { type: "pickup-claimed" | "pickup-spawned" | "score" }
>;
/** What the host sends to every replica: the world and its changes. */
export type HostEvent = WorldEvent | ChangeEvent;
/** The stamp and tick every host event carries; the host fills it in for each change. */
export type HostHeader = Pick<ChangeEvent, "hostEpoch" | "version" | "tick">;

/** A pickup as the world keeps it: `takenBy` is the peer id of whoever took it, if known. */
export interface WorldPickup {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly active: boolean;
  readonly takenBy?: string;
}
export type WorldScore = Readonly<Score>;

/**
 * Which host made a world state and how many changes it had made: compared epoch first, so
 * anything from a later host is newer than anything from an earlier one.
 */
export interface Stamp {
  /** The lobby's host epoch of the host that made this state. */
  readonly epoch: number;
  /** The world version: a counter the host moves by one per change. */
  readonly version: number;
}

export interface WorldState {
  readonly stamp: Stamp;
  /**
   * Active pickups and claimed ones waiting to respawn. The order is part of the state:
   * a claimed pickup moves to the end, and a spawn replaces the first waiting one, so every
   * peer that applies the same events keeps the same list without any extra field.
   */
  readonly pickups: readonly WorldPickup[];
  /** Totals per player, in the order players were first scored. */
  readonly scores: readonly WorldScore[];
  /** Counts from 1 with the lobby's first round. */
  readonly round: number;
  /** When the round ends, on this peer's own clock (no shared clock is needed). */
  readonly roundEndsAtMs: number;
  /**
   * When the host starts the next round, on this peer's own clock: set once the round has
   * ended and an intermission runs; null while the round runs or the host starts it by command.
   */
  readonly nextRoundAtMs: number | null;
}

export function compareStamps(a: Stamp, b: Stamp): number {
  return a.epoch !== b.epoch ? a.epoch - b.epoch : a.version - b.version;
}

export function stampOf(event: HostEvent): Stamp {
  return { epoch: event.hostEpoch, version: event.version };
}

/**
 * The next world version or round number, stopping at the u32 maximum the wire carries. At
 * 3 changes a second the version would reach it after 45 years of one host; a host stuck
 * there would make changes replicas can no longer order, so this only keeps the wire valid.
 */
export function saturatingNext(counter: number): number {
  return Math.min(counter + 1, MAX_COUNTER);
}

export function isRoundOver(world: WorldState, nowMs: number): boolean {
  return nowMs >= world.roundEndsAtMs;
}

export function roundRemainingMs(world: WorldState, nowMs: number): number {
  return Math.max(0, world.roundEndsAtMs - nowMs);
}

/** Time until the next round starts by itself; null while the round runs or none is due. */
export function nextRoundInMs(world: WorldState, nowMs: number): number | null {
  if (world.nextRoundAtMs === null || !isRoundOver(world, nowMs)) return null;
  return Math.max(0, world.nextRoundAtMs - nowMs);
}

export function findPickup(world: WorldState, id: number): WorldPickup | undefined {
  return world.pickups.find((pickup) => pickup.id === id);
}

export function activePickups(world: WorldState): WorldPickup[] {
  return world.pickups.filter((pickup) => pickup.active);
}

export function scoreOf(world: WorldState, peerId: string): number {
  return world.scores.find((entry) => entry.peerId === peerId)?.score ?? 0;
}

export function hasScore(world: WorldState, peerId: string): boolean {
  return world.scores.some((entry) => entry.peerId === peerId);
}

/** Room for another player's score; the wire carries at most MAX_PLAYERS of them. */
export function canAddScore(world: WorldState, peerId: string): boolean {
  return hasScore(world, peerId) || world.scores.length < MAX_PLAYERS;
}

/**
 * A replica's world from the host's snapshot. The round clock arrives as time remaining when
 * sent, so it is placed on our clock at arrival, less the trip (0 if the caller has no estimate).
 */
export function worldFromSnapshot(
  event: WorldEvent,
  receivedAtMs: number,
  oneWayDelayMs: number,
): WorldState {
  const delay = Number.isFinite(oneWayDelayMs) ? Math.max(0, oneWayDelayMs) : 0;
  const sentAtMs = receivedAtMs - delay;
  return {
    stamp: stampOf(event),
    pickups: event.pickups.map((pickup) => pickupFromWire(pickup, event.scores)),
    scores: event.scores.map(({ peerId, score }) => ({ peerId, score })),
    round: event.round,
    roundEndsAtMs: sentAtMs + event.roundRemainingMs,
    nextRoundAtMs: event.nextRoundInMs === null ? null : sentAtMs + event.nextRoundInMs,
  };
}

/** The world as a `world` event; `simTick` is the host's simulation tick now. */
export function snapshotOf(world: WorldState, nowMs: number, simTick: number): WorldEvent {
  const remaining = Math.min(Math.round(roundRemainingMs(world, nowMs)), MAX_ROUND_MS);
  // The wire allows a next round only once this one shows no time left.
  const next = remaining > 0 ? null : nextRoundInMs(world, nowMs);
  return {
    type: "world",
    hostEpoch: world.stamp.epoch,
    version: world.stamp.version,
    tick: simTick,
    round: world.round,
    roundRemainingMs: remaining,
    nextRoundInMs: next === null ? null : Math.min(Math.round(next), MAX_ROUND_MS),
    pickups: world.pickups.map((pickup) => pickupToWire(pickup, world.scores)),
    scores: world.scores.map(({ peerId, score }) => ({ peerId, score })),
  };
}

function pickupFromWire(pickup: Pickup, scores: readonly Score[]): WorldPickup {
  const { id, x, y, active, takenBy } = pickup;
  const taker = takenBy === undefined ? undefined : scores[takenBy]?.peerId;
  return taker === undefined ? { id, x, y, active } : { id, x, y, active, takenBy: taker };
}

function pickupToWire(pickup: WorldPickup, scores: readonly WorldScore[]): Pickup {
  const { id, x, y, active, takenBy } = pickup;
  const index = scores.findIndex((line) => line.peerId === takenBy);
  return active || index === -1 ? { id, x, y, active } : { id, x, y, active, takenBy: index };
}

/**
 * Applies one change, taking the event's stamp. A change that no longer fits (a claim of a
 * pickup that is not active, a spawn of an id already present) changes nothing but the stamp,
 * which is what makes a repeated event harmless.
 */
export function applyChange(world: WorldState, event: ChangeEvent): WorldState {
  const stamped: WorldState = { ...world, stamp: stampOf(event) };
  switch (event.type) {
    case "pickup-claimed":
      return claimPickup(stamped, event.pickupId, event.by);
    case "pickup-spawned":
      return spawnPickup(stamped, { id: event.pickupId, x: event.x, y: event.y, active: true });
    case "score":
      return setScore(stamped, event.peerId, event.score);
    default:
      return assertNever(event, "world event");
  }
}

/**
 * The world without a player who left: their score goes (the lobby never reuses a peer id),
 * and so does their name on pickups they took, which the wire can only give by score line.
 */
export function withoutPeer(world: WorldState, peerId: string): WorldState {
  if (!hasScore(world, peerId)) return world;
  return {
    ...world,
    pickups: world.pickups.map(({ takenBy, ...pickup }) =>
      takenBy === undefined || takenBy === peerId ? pickup : { ...pickup, takenBy },
    ),
    scores: world.scores.filter((entry) => entry.peerId !== peerId),
  };
}

function claimPickup(world: WorldState, pickupId: number, by: string): WorldState {
  const pickup = findPickup(world, pickupId);
  if (pickup === undefined || !pickup.active) return world;
  const pickups = [
    ...world.pickups.filter((other) => other.id !== pickupId),
    { ...pickup, active: false, takenBy: by },
  ];
  // The claim carries the point itself, so a replica that misses the `score` after it still
  // counts it; the `score` total then only confirms it.
  const claimed: WorldState = { ...world, pickups };
  return canAddScore(claimed, by) ? setScore(claimed, by, scoreOf(claimed, by) + 1) : claimed;
}

function spawnPickup(world: WorldState, pickup: WorldPickup): WorldState {
  if (findPickup(world, pickup.id) !== undefined) return world;
  const waiting = world.pickups.findIndex((other) => !other.active);
  const kept = waiting === -1 ? world.pickups : world.pickups.filter((_, i) => i !== waiting);
  return { ...world, pickups: [...kept, pickup] };
}

function setScore(world: WorldState, peerId: string, score: number): WorldState {
  const total = Math.min(Math.max(0, Math.round(score)), MAX_SCORE);
  if (hasScore(world, peerId)) {
    return {
      ...world,
      scores: world.scores.map((entry) =>
        entry.peerId === peerId ? { peerId, score: total } : entry,
      ),
    };
  }
  if (!canAddScore(world, peerId)) return world;
  return { ...world, scores: [...world.scores, { peerId, score: total }] };
}
