/**
 * Packets on the reliable, ordered `events` channel: the host-owned shared world (pickups,
 * scores, round clock) and the few requests players send the host. Events are rare, so each is
 * a plain self-describing msgpack map (no records, nothing shared between packets) with a
 * version, validated on decode with a full valibot schema.
 */
import { Packr } from "msgpackr";
import * as v from "valibot";
import { MAX_PLAYERS } from "../limits.ts";
import { PeerIdSchema } from "../protocol.ts";
import { WORLD_HEIGHT, WORLD_WIDTH } from "./quantize.ts";
import { MAX_COUNTER } from "./state-channel.ts";

/** Bumped on any change a peer running the previous version could not read. */
export const EVENTS_VERSION = 1;
/** Larger packets are rejected before decoding. A full world snapshot is well under 2 KiB. */
export const MAX_EVENT_BYTES = 8 * 1024;
export const MAX_PICKUPS = 64;
export const MAX_SCORE = 1_000_000;
export const MAX_ROUND_MS = 60 * 60 * 1000;

const TickSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_COUNTER));
const PickupIdSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff));
const XSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(WORLD_WIDTH));
const YSchema = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(WORLD_HEIGHT));
const ScoreValueSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SCORE));

export const PickupSchema = v.object({
  id: PickupIdSchema,
  x: XSchema,
  y: YSchema,
  /** False while it waits to respawn after a claim. */
  active: v.boolean(),
});
export type Pickup = v.InferOutput<typeof PickupSchema>;

export const ScoreSchema = v.object({ peerId: PeerIdSchema, score: ScoreValueSchema });
export type Score = v.InferOutput<typeof ScoreSchema>;

/** The host's whole world, sent to a player who joins and whenever the host sees fit. */
export const WorldEventSchema = v.object({
  type: v.literal("world"),
  /** The host's simulation tick when the snapshot was taken. */
  tick: TickSchema,
  /**
   * Round time left when the host sent this, in ms. Relative, so no shared clock is needed;
   * a receiver subtracts half the round trip (ClockSync) to line it up with its own clock.
   */
  roundRemainingMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_ROUND_MS)),
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
});

/** A player asks the host for a pickup it touched; the host decides who got it first. */
export const ClaimPickupEventSchema = v.object({
  type: v.literal("claim-pickup"),
  pickupId: PickupIdSchema,
  /** The claiming player's tick when it touched the pickup. */
  tick: TickSchema,
});

/** The host's decision: `by` got the pickup (it is now inactive). */
export const PickupClaimedEventSchema = v.object({
  type: v.literal("pickup-claimed"),
  pickupId: PickupIdSchema,
  by: PeerIdSchema,
  tick: TickSchema,
});

/** A pickup (re)appears at a place. */
export const PickupSpawnedEventSchema = v.object({
  type: v.literal("pickup-spawned"),
  pickupId: PickupIdSchema,
  x: XSchema,
  y: YSchema,
  tick: TickSchema,
});

/** A player's score changed (the new total, so a repeated event is harmless). */
export const ScoreEventSchema = v.object({
  type: v.literal("score"),
  peerId: PeerIdSchema,
  score: ScoreValueSchema,
  tick: TickSchema,
});

export const GameEventSchema = v.variant("type", [
  WorldEventSchema,
  ClaimPickupEventSchema,
  PickupClaimedEventSchema,
  PickupSpawnedEventSchema,
  ScoreEventSchema,
]);
export type GameEvent = v.InferOutput<typeof GameEventSchema>;
export type GameEventType = GameEvent["type"];

const EventPacketSchema = v.object({ v: v.literal(EVENTS_VERSION), event: GameEventSchema });

const packr = new Packr({ useRecords: false, moreTypes: false });

/**
 * Encodes one event. Checks it against its schema first and throws a RangeError for an
 * invalid one: a peer would only reject it, so the sender's bug is better found here.
 */
export function encodeEvent(event: GameEvent): Uint8Array<ArrayBuffer> {
  const checked = v.safeParse(GameEventSchema, event);
  if (!checked.success) {
    throw new RangeError(`invalid ${event.type} event: ${v.summarize(checked.issues)}`);
  }
  const bytes = new Uint8Array(packr.pack({ v: EVENTS_VERSION, event: checked.output }));
  if (bytes.length > MAX_EVENT_BYTES) {
    throw new RangeError(`${event.type} event is ${bytes.length} bytes, over ${MAX_EVENT_BYTES}`);
  }
  return bytes;
}

/** The event, or null for junk, an invalid event or another version; never throws. */
export function decodeEvent(bytes: Uint8Array): GameEvent | null {
  if (bytes.length > MAX_EVENT_BYTES) return null;
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch {
    return null;
  }
  const parsed = v.safeParse(EventPacketSchema, value);
  return parsed.success ? parsed.output.event : null;
}

function isUnique(values: readonly (string | number)[]): boolean {
  return new Set(values).size === values.length;
}
