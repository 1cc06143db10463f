/**
 * The arena's shared world on the wire: the host-owned world (pickups, scores, the match) and
 * the few requests players send the host. Every event travels as one kit action,
 * `room.action(WORLD_ACTION, GameEventSchema)` (session/world-driver.ts), on the reliable,
 * ordered `events` channel: plain msgpack behind the action's tag, checked against
 * `GameEventSchema` when sent and again when received. The action's name, `world/v5`, carries
 * the format's version: change it on any change a peer on the previous build could not read,
 * and that peer's events become `unknown-action` drops instead of misread ones.
 *
 * What each version changed: 2 stamped host events with `hostEpoch` and `version` (the world
 * version left `tick`, now the sender's simulation tick), put the round state in `world`, and
 * added `claim-rejected`; 3 replaced `claim-pickup.grantedInEpoch` with `handover-done` and
 * made `not-touched` not final; 4 added `takenBy` to a world's pickups; 5 made the round clock a
 * match (stage, round of rounds, time left in the stage), gave pickups a value and score lines a
 * match total.
 */

import { MAX_PLAYERS, MAX_ROUNDS, PeerIdSchema } from "edgeplay/protocol";
import * as v from "valibot";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";

/** Versions, ticks and counters are unsigned 32-bit: over 4 years at 30 Hz. */
export const MAX_COUNTER = 0xffff_ffff;
export const MAX_PICKUPS = 64;
export const MAX_SCORE = 1_000_000;
export const MAX_ROUND_MS = 60 * 60 * 1000;
/** Points one pickup is worth at most. */
export const MAX_PICKUP_VALUE = 9;

/**
 * Where a match is: `warmup` (free roaming, nothing scores) until the lobby starts playing, a
 * `countdown` before each round, the `round` itself, its `results`, and after the last round's
 * results the `podium`, which lasts until the host plays again.
 */
export const MATCH_STAGES = ["warmup", "countdown", "round", "results", "podium"] as const;
export type MatchStage = (typeof MATCH_STAGES)[number];
/** The stages that end by themselves, after a time the host sets. */
export const TIMED_STAGES: ReadonlySet<MatchStage> = new Set(["countdown", "round", "results"]);

/** Why the host refused a claim; each is final for that pickup id except `not-touched`. */
export const CLAIM_REJECTIONS = [
  /** Someone was first, or this is a repeat of a claim already answered. */
  "taken",
  /** No such pickup: an old id from before a respawn or a new round, or junk. */
  "unknown",
  /**
   * The host has not (yet) seen the claimant reach the pickup while it was active. Not final:
   * the host's view of the claimant may just be late, so the player asks again while touching.
   */
  "not-touched",
  /** No round was running when the claim arrived: warm-up, countdown, results or podium. */
  "no-round",
  /** The scoreboard is full (more players than a snapshot's score list holds). */
  "no-seat",
] as const;
export type ClaimRejection = (typeof CLAIM_REJECTIONS)[number];

const U32Schema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_COUNTER));
const TickSchema = U32Schema;
/** The lobby's host epoch (protocol 7.2): from 1, one more per change of host. */
const HostEpochSchema = v.pipe(U32Schema, v.minValue(1));
const PickupIdSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff));
const XSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(ARENA_WIDTH));
const YSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(ARENA_HEIGHT));
const ScoreValueSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SCORE));
const DurationSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_ROUND_MS));
const PickupValueSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(MAX_PICKUP_VALUE),
);

/**
 * Every event the host makes is stamped with who made it and which world version it shows or
 * produces, so a receiver orders updates by the packet itself: epoch first, then version.
 */
const HostStampEntries = {
  /** The lobby's host epoch of the host that sent it. */
  hostEpoch: HostEpochSchema,
  /** The world version: a counter the host moves by exactly one per change. */
  version: U32Schema,
  /** The host's simulation tick when it made the event. */
  tick: TickSchema,
};

export const PickupSchema = v.object({
  id: PickupIdSchema,
  x: XSchema,
  y: YSchema,
  /** Points for whoever takes it. */
  value: PickupValueSchema,
  /** False while it waits to respawn after a claim. */
  active: v.boolean(),
  /**
   * On a taken pickup: who took it, as an index into the same world's `scores` (one byte where
   * a peer id takes up to 33). Absent when that player has left. A snapshot can overtake the
   * award it follows, or outlive it (a host that dies mid path switch), and a player who reads
   * only the snapshot must still know the grant was its own, to hand it to the next host.
   */
  takenBy: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_PLAYERS - 1))),
});
export type Pickup = v.InferOutput<typeof PickupSchema>;

/** A player's points in the current (or last) round, and in the whole match so far. */
export const ScoreSchema = v.object({
  peerId: PeerIdSchema,
  score: ScoreValueSchema,
  total: ScoreValueSchema,
});
export type Score = v.InferOutput<typeof ScoreSchema>;

/**
 * The host's whole world, sent to a player who joins and whenever the host sees fit. Its
 * `version` is that of the state it shows: a snapshot does not move the version.
 */
export const WorldEventSchema = v.pipe(
  v.object({
    type: v.literal("world"),
    ...HostStampEntries,
    stage: v.picklist(MATCH_STAGES),
    /** The round counted down to, played or just over, from 1; 0 in the warm-up. */
    round: U32Schema,
    /** Rounds in this match (the lobby's setting when the match started). */
    rounds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_ROUNDS)),
    /**
     * Time left in a timed stage when the host sent this, in ms; null in the warm-up and on the
     * podium. Relative, so no shared clock is needed; a receiver subtracts half the round trip
     * (ClockSync) to line it up with its own clock.
     */
    stageRemainingMs: v.nullable(DurationSchema),
    pickups: v.pipe(
      v.array(PickupSchema),
      v.maxLength(MAX_PICKUPS),
      v.check((pickups) => isUnique(pickups.map((p) => p.id)), "pickup ids repeat"),
    ),
    scores: v.pipe(
      v.array(ScoreSchema),
      v.maxLength(MAX_PLAYERS),
      v.check((scores) => isUnique(scores.map((s) => s.peerId)), "a peer has two scores"),
    ),
  }),
  v.check(
    (world) => TIMED_STAGES.has(world.stage) === (world.stageRemainingMs !== null),
    "time left is given for timed stages only",
  ),
  v.check(
    (world) =>
      world.stage === "warmup"
        ? world.round === 0
        : world.round >= 1 && world.round <= world.rounds,
    "the round is 0 in the warm-up and one of the match's rounds after",
  ),
  v.check(
    (world) =>
      world.pickups.every(
        (p) => p.takenBy === undefined || (!p.active && p.takenBy < world.scores.length),
      ),
    "takenBy names a score line, on a taken pickup",
  ),
);

/** A player asks the host for a pickup it touched; the host decides who got it first. */
export const ClaimPickupEventSchema = v.object({
  type: v.literal("claim-pickup"),
  pickupId: PickupIdSchema,
  /** The claiming player's simulation tick when it touched the pickup. */
  tick: TickSchema,
});

/** The host's decision: `by` got the pickup (it is now inactive). */
export const PickupClaimedEventSchema = v.object({
  type: v.literal("pickup-claimed"),
  ...HostStampEntries,
  pickupId: PickupIdSchema,
  by: PeerIdSchema,
});

/** A pickup (re)appears at a place. */
export const PickupSpawnedEventSchema = v.object({
  type: v.literal("pickup-spawned"),
  ...HostStampEntries,
  pickupId: PickupIdSchema,
  x: XSchema,
  y: YSchema,
  value: PickupValueSchema,
});

/** A player's score changed (the new totals, so a repeated event is harmless). */
export const ScoreEventSchema = v.object({
  type: v.literal("score"),
  ...HostStampEntries,
  peerId: PeerIdSchema,
  score: ScoreValueSchema,
  total: ScoreValueSchema,
});

/**
 * The host's answer to a claim it refused, to the claimant only, so the player stops asking.
 * Not a world change (no version); the epoch lets the player ignore a deposed host's answer.
 */
export const ClaimRejectedEventSchema = v.object({
  type: v.literal("claim-rejected"),
  hostEpoch: HostEpochSchema,
  pickupId: PickupIdSchema,
  reason: v.picklist(CLAIM_REJECTIONS),
});

/** A pickup an earlier host granted the sender. */
export const GrantSchema = v.object({
  pickupId: PickupIdSchema,
  /** The epoch of the host that granted it. */
  grantedInEpoch: HostEpochSchema,
});
export type Grant = v.InferOutput<typeof GrantSchema>;

/**
 * A player to a new host, on that host's first world: the grants earlier hosts gave it that the
 * new world still shows open (the new host never heard of them), and its word that it has
 * nothing more. One packet, so no reordering can split the grants from the word. The new host
 * holds fresh claims of the pickups it inherited until every player has sent this, or a timeout.
 */
export const HandoverDoneEventSchema = v.object({
  type: v.literal("handover-done"),
  /** The epoch of the host it is addressed to; one for another epoch means nothing. */
  hostEpoch: HostEpochSchema,
  grants: v.pipe(
    v.array(GrantSchema),
    v.maxLength(MAX_PICKUPS),
    v.check((grants) => isUnique(grants.map((g) => g.pickupId)), "a pickup is granted twice"),
  ),
});

export const GameEventSchema = v.variant("type", [
  WorldEventSchema,
  ClaimPickupEventSchema,
  HandoverDoneEventSchema,
  PickupClaimedEventSchema,
  PickupSpawnedEventSchema,
  ScoreEventSchema,
  ClaimRejectedEventSchema,
]);
export type GameEvent = v.InferOutput<typeof GameEventSchema>;
export type GameEventType = GameEvent["type"];

function isUnique(values: readonly (string | number)[]): boolean {
  return new Set(values).size === values.length;
}
