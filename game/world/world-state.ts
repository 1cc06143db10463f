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
  type MatchStage,
  type Pickup,
  type Score,
  TIMED_STAGES,
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
  /** Points for whoever takes it. */
  readonly value: number;
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
  /** Points per player (this round's and the match's), in the order players were first scored. */
  readonly scores: readonly WorldScore[];
  readonly match: Match;
}

/** Where the match is (see `MATCH_STAGES`). */
export interface Match {
  readonly stage: MatchStage;
  /** The round counted down to, played or just over, from 1; 0 in the warm-up. */
  readonly round: number;
  /** Rounds in this match. */
  readonly rounds: number;
  /** When a timed stage ends, on this peer's own clock (no shared clock is needed); else null. */
  readonly endsAtMs: number | null;
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

/** Whether a claim that arrives at `atMs` can score: only while a round runs. */
export function isScoring(world: WorldState, atMs: number): boolean {
  const { stage, endsAtMs } = world.match;
  return stage === "round" && endsAtMs !== null && atMs < endsAtMs;
}

/** Time left in a timed stage (0 once it is due to end); null in an untimed one. */
export function stageRemainingMs(world: WorldState, nowMs: number): number | null {
  const { endsAtMs } = world.match;
  return endsAtMs === null ? null : Math.max(0, endsAtMs - nowMs);
}

/** The match's stage as `stage` with its clock started at `nowMs`, as `TIMED_STAGES` say. */
export function matchAt(
  stage: MatchStage,
  round: number,
  rounds: number,
  durationMs: number,
  nowMs: number,
): Match {
  return { stage, round, rounds, endsAtMs: TIMED_STAGES.has(stage) ? nowMs + durationMs : null };
}

export function findPickup(world: WorldState, id: number): WorldPickup | undefined {
  return world.pickups.find((pickup) => pickup.id === id);
}

export function activePickups(world: WorldState): WorldPickup[] {
  return world.pickups.filter((pickup) => pickup.active);
}

/** A player's points this round. */
export function scoreOf(world: WorldState, peerId: string): number {
  return scoreLineOf(world, peerId).score;
}

/** A player's line, or zeros for a player not scored yet. */
export function scoreLineOf(world: WorldState, peerId: string): WorldScore {
  return world.scores.find((entry) => entry.peerId === peerId) ?? { peerId, score: 0, total: 0 };
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
  const { stage, round, rounds, stageRemainingMs: remaining } = event;
  return {
    stamp: stampOf(event),
    pickups: event.pickups.map((pickup) => pickupFromWire(pickup, event.scores)),
    scores: event.scores.map(({ peerId, score, total }) => ({ peerId, score, total })),
    match: { stage, round, rounds, endsAtMs: remaining === null ? null : sentAtMs + remaining },
  };
}

/** The world as a `world` event; `simTick` is the host's simulation tick now. */
export function snapshotOf(world: WorldState, nowMs: number, simTick: number): WorldEvent {
  const remaining = stageRemainingMs(world, nowMs);
  const { stage, round, rounds } = world.match;
  return {
    type: "world",
    hostEpoch: world.stamp.epoch,
    version: world.stamp.version,
    tick: simTick,
    stage,
    round,
    rounds,
    stageRemainingMs: remaining === null ? null : Math.min(Math.round(remaining), MAX_ROUND_MS),
    pickups: world.pickups.map((pickup) => pickupToWire(pickup, world.scores)),
    scores: world.scores.map(({ peerId, score, total }) => ({ peerId, score, total })),
  };
}

function pickupFromWire(pickup: Pickup, scores: readonly Score[]): WorldPickup {
  const { takenBy, ...rest } = pickup;
  const taker = takenBy === undefined ? undefined : scores[takenBy]?.peerId;
  return taker === undefined ? rest : { ...rest, takenBy: taker };
}

function pickupToWire(pickup: WorldPickup, scores: readonly WorldScore[]): Pickup {
  const { takenBy, ...rest } = pickup;
  const index = scores.findIndex((line) => line.peerId === takenBy);
  return rest.active || index === -1 ? rest : { ...rest, takenBy: index };
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
    case "pickup-spawned": {
      const { pickupId: id, x, y, value } = event;
      return spawnPickup(stamped, { id, x, y, value, active: true });
    }
    case "score":
      return setScore(stamped, { peerId: event.peerId, score: event.score, total: event.total });
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
  // The claim carries the points themselves, so a replica that misses the `score` after it
  // still counts them; the `score` line then only confirms them.
  const claimed: WorldState = { ...world, pickups };
  const line = scoreLineOf(claimed, by);
  return setScore(claimed, {
    peerId: by,
    score: line.score + pickup.value,
    total: line.total + pickup.value,
  });
}

function spawnPickup(world: WorldState, pickup: WorldPickup): WorldState {
  if (findPickup(world, pickup.id) !== undefined) return world;
  const waiting = world.pickups.findIndex((other) => !other.active);
  const kept = waiting === -1 ? world.pickups : world.pickups.filter((_, i) => i !== waiting);
  return { ...world, pickups: [...kept, pickup] };
}

function setScore(world: WorldState, line: WorldScore): WorldState {
  const clamp = (points: number): number => Math.min(Math.max(0, Math.round(points)), MAX_SCORE);
  const next = { peerId: line.peerId, score: clamp(line.score), total: clamp(line.total) };
  if (hasScore(world, line.peerId)) {
    return {
      ...world,
      scores: world.scores.map((entry) => (entry.peerId === line.peerId ? next : entry)),
    };
  }
  if (!canAddScore(world, line.peerId)) return world;
  return { ...world, scores: [...world.scores, next] };
}
