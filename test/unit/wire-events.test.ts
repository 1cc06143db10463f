/**
 * The world's events: what `GameEventSchema` accepts and refuses, and how the events travel as
 * the kit's `world/v5` action (sizes, round trips, drops), through the real action wire.
 */
import fc from "fast-check";
import { Packr } from "msgpackr";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ActionRegistry } from "../../game/kit/wire/action-registry.ts";
import type { StandardSchemaIssue } from "../../game/kit/wire/standard-schema.ts";
import {
  type DropReason,
  decodeActionPacket,
  encodeActionPacket,
  MAX_ACTION_BYTES,
  noDrops,
} from "../../game/kit/wire/state-channel.ts";
import { actionTag } from "../../game/kit/wire/tags.ts";
import { WORLD_ACTION } from "../../game/session/world-driver.ts";
import {
  CLAIM_REJECTIONS,
  type GameEvent,
  GameEventSchema,
  MATCH_STAGES,
  MAX_COUNTER,
  MAX_PICKUP_VALUE,
  MAX_PICKUPS,
  MAX_ROUND_MS,
  type Pickup,
  TIMED_STAGES,
} from "../../game/world/events-wire.ts";
import { DEFAULT_WORLD_CONFIG } from "../../game/world/world-config.ts";
import { MAX_PLAYERS, MAX_RELAY_PAYLOAD_BYTES, MAX_ROUNDS } from "../../shared/limits.ts";
import { decodeWorldEvent, encodeWorldEvent, receiveWorldEvent } from "./world-wire.ts";

const pickup: Pickup = { id: 1, x: 120.5, y: 80, value: 1, active: true };
const world = {
  type: "world",
  hostEpoch: 3,
  version: 41,
  tick: 5400,
  stage: "round",
  round: 2,
  rounds: 3,
  stageRemainingMs: 60_000,
  pickups: [pickup, { id: 2, x: 840, y: 460.25, value: 3, active: false, takenBy: 0 }],
  scores: [
    { peerId: "p_alice", score: 3, total: 7 },
    { peerId: "p-bob", score: 0, total: 2 },
  ],
} satisfies GameEvent;
const results = { ...world, stage: "results", stageRemainingMs: 6_000 } satisfies GameEvent;
const countdown = {
  ...world,
  stage: "countdown",
  round: 3,
  stageRemainingMs: 3_000,
} satisfies GameEvent;
const warmup = {
  ...world,
  stage: "warmup",
  round: 0,
  stageRemainingMs: null,
  scores: [{ peerId: "p_alice", score: 0, total: 0 }],
  pickups: [pickup],
} satisfies GameEvent;
const podium = { ...world, stage: "podium", round: 3, stageRemainingMs: null } satisfies GameEvent;
const score = {
  type: "score",
  hostEpoch: 3,
  version: 43,
  tick: 5412,
  peerId: "p_alice",
  score: 4,
  total: 8,
} satisfies GameEvent;

const claimed = {
  type: "pickup-claimed",
  hostEpoch: 3,
  version: 42,
  tick: 5412,
  pickupId: 2,
  by: "p_alice",
} satisfies GameEvent;
const spawned = {
  type: "pickup-spawned",
  hostEpoch: 3,
  version: 44,
  tick: 5800,
  pickupId: 2,
  x: 300,
  y: 200.5,
  value: 3,
} satisfies GameEvent;

const events: GameEvent[] = [
  world,
  results,
  countdown,
  warmup,
  podium,
  { type: "claim-pickup", pickupId: 2, tick: 5410 },
  { type: "handover-done", hostEpoch: 3, grants: [] },
  { type: "handover-done", hostEpoch: 3, grants: [{ pickupId: 2, grantedInEpoch: 2 }] },
  claimed,
  spawned,
  score,
  ...CLAIM_REJECTIONS.map(
    (reason): GameEvent => ({ type: "claim-rejected", hostEpoch: 3, pickupId: 2, reason }),
  ),
];

/** Whether the schema takes a value, as a receiver's `world/v5` action does. */
const accepts = (value: unknown): boolean => v.safeParse(GameEventSchema, value).success;

/** The longest peer id the lobby hands out, one per player. */
const fullScores = Array.from({ length: MAX_PLAYERS }, (_, i) => ({
  peerId: `peer-${"x".repeat(26)}${i}`,
  score: 999_999,
  total: 999_999,
}));

describe("world events schema", () => {
  it.each(events)("accepts a $type event as it is", (event) => {
    const parsed = v.safeParse(GameEventSchema, event);
    expect(parsed.success).toBe(true);
    expect(parsed.output).toEqual(event);
  });

  it("stamps every host event with the host's epoch and the world version", () => {
    for (const event of events) {
      if (event.type === "claim-pickup") continue;
      expect(event.hostEpoch).toBeGreaterThanOrEqual(1);
      expect(accepts({ ...event, hostEpoch: 0 })).toBe(false);
      if (event.type === "claim-rejected" || event.type === "handover-done") continue;
      const { version: _version, ...unversioned } = event;
      expect(accepts(unversioned)).toBe(false);
      expect(accepts({ ...event, hostEpoch: MAX_COUNTER, version: MAX_COUNTER })).toBe(true);
      expect(accepts({ ...event, version: MAX_COUNTER + 1 })).toBe(false);
    }
  });

  it("names who took a pickup only on a taken one, by a score line that exists", () => {
    const taken = { id: 9, x: 10, y: 10, value: 1, active: false };
    const withTaker = (p: object) => ({ ...world, pickups: [p] });
    expect(v.parse(GameEventSchema, withTaker({ ...taken, takenBy: 1 }))).toMatchObject({
      pickups: [{ id: 9, takenBy: 1 }],
    });
    expect(v.parse(GameEventSchema, withTaker(taken))).toMatchObject({ pickups: [taken] });
    // No such score line, an active pickup, or not an index: refused whole.
    expect(accepts(withTaker({ ...taken, takenBy: 2 }))).toBe(false);
    expect(accepts(withTaker({ ...taken, active: true, takenBy: 0 }))).toBe(false);
    expect(accepts(withTaker({ ...taken, takenBy: "p_alice" }))).toBe(false);
  });

  it("accepts any stamp and match state in range, and refuses any out of range", () => {
    const u32 = fc.integer({ min: 0, max: MAX_COUNTER });
    const stamps = fc.record({
      hostEpoch: fc.integer({ min: 1, max: MAX_COUNTER }),
      version: u32,
      tick: u32,
    });
    // A timed stage with its time left, or an untimed one without; the round within the match.
    const matches = fc
      .record({
        stage: fc.constantFrom(...MATCH_STAGES),
        rounds: fc.integer({ min: 1, max: MAX_ROUNDS }),
        roundFrom1: fc.nat(),
        remaining: fc.integer({ min: 0, max: MAX_ROUND_MS }),
      })
      .map(({ stage, rounds, roundFrom1, remaining }) => ({
        stage,
        rounds,
        round: stage === "warmup" ? 0 : 1 + (roundFrom1 % rounds),
        stageRemainingMs: TIMED_STAGES.has(stage) ? remaining : null,
      }));
    fc.assert(
      fc.property(stamps, matches, (stamp, match) => {
        const event: GameEvent = { ...world, ...stamp, ...match };
        expect(v.parse(GameEventSchema, event)).toEqual(event);
      }),
    );
    const outOfRange = fc.oneof(
      fc.integer({ max: -1 }),
      fc.nat().map((n) => MAX_COUNTER + 1 + n),
      fc.double({ noInteger: true }),
      fc.constant(null),
      fc.string(),
    );
    const fields = fc.constantFrom("hostEpoch", "version", "tick", "round", "rounds");
    fc.assert(
      fc.property(fields, outOfRange, (field, value) => {
        expect(accepts({ ...world, [field]: value })).toBe(false);
      }),
    );
  });

  it.each<[string, unknown]>([
    ["a string", "world"],
    ["an unknown type", { type: "teleport", tick: 1 }],
    ["a missing field", { ...score, score: undefined }],
    ["a fractional tick", { type: "claim-pickup", pickupId: 1, tick: 1.5 }],
    ["a negative score", { ...score, score: -1 }],
    ["a fractional version", { ...score, version: 1.5 }],
    ["a string epoch", { ...score, hostEpoch: "3" }],
    ["a peer id with spaces", { ...claimed, by: "a b" }],
    ["a pickup off the arena", { ...spawned, x: 961 }],
    ["a NaN position", { ...spawned, x: Number.NaN }],
    ["a pickup worth nothing", { ...spawned, value: 0 }],
    ["a pickup worth too much", { ...spawned, value: MAX_PICKUP_VALUE + 1 }],
    ["a pickup worth a fraction", { ...world, pickups: [{ ...pickup, value: 1.5 }] }],
    ["a spawn without a value", { ...spawned, value: undefined }],
    ["a score without a total", { ...score, total: undefined }],
    ["a negative total", { ...world, scores: [{ peerId: "p", score: 0, total: -1 }] }],
    ["an unknown stage", { ...world, stage: "overtime" }],
    ["a missing stage", { ...world, stage: undefined }],
    ["round 0 in a round", { ...world, round: 0 }],
    ["a round past the match's rounds", { ...world, round: 4 }],
    ["a round in the warm-up", { ...warmup, round: 1 }],
    ["a match of no rounds", { ...countdown, round: 0, rounds: 0 }],
    ["a match of too many rounds", { ...world, rounds: MAX_ROUNDS + 1 }],
    ["a missing round", { ...world, round: undefined }],
    ["a timed stage without its time", { ...results, stageRemainingMs: null }],
    ["a missing stageRemainingMs", { ...world, stageRemainingMs: undefined }],
    ["time left in the warm-up", { ...warmup, stageRemainingMs: 1_000 }],
    ["time left on the podium", { ...podium, stageRemainingMs: 0 }],
    ["a negative stageRemainingMs", { ...countdown, stageRemainingMs: -1 }],
    ["a stageRemainingMs over an hour", { ...world, stageRemainingMs: MAX_ROUND_MS + 1 }],
    ["handover-done for epoch 0", { type: "handover-done", hostEpoch: 0, grants: [] }],
    ["handover-done without an epoch", { type: "handover-done", grants: [] }],
    ["handover-done without grants", { type: "handover-done", hostEpoch: 2 }],
    [
      "a grant from epoch 0",
      { type: "handover-done", hostEpoch: 2, grants: [{ pickupId: 1, grantedInEpoch: 0 }] },
    ],
    [
      "a grant's epoch as a string",
      { type: "handover-done", hostEpoch: 2, grants: [{ pickupId: 1, grantedInEpoch: "1" }] },
    ],
    [
      "one pickup granted twice",
      {
        type: "handover-done",
        hostEpoch: 2,
        grants: [
          { pickupId: 1, grantedInEpoch: 1 },
          { pickupId: 1, grantedInEpoch: 1 },
        ],
      },
    ],
    [
      "an unknown rejection reason",
      { type: "claim-rejected", hostEpoch: 1, pickupId: 1, reason: "nope" },
    ],
    ["a rejection without a pickup", { type: "claim-rejected", hostEpoch: 1, reason: "taken" }],
    [
      "too many pickups",
      {
        ...world,
        pickups: Array.from({ length: MAX_PICKUPS + 1 }, (_, id) => ({
          id,
          x: 1,
          y: 1,
          value: 1,
          active: true,
        })),
      },
    ],
    ["repeated pickup ids", { ...world, pickups: [pickup, pickup] }],
    [
      "two scores for one peer",
      {
        ...world,
        scores: [
          { peerId: "p", score: 1, total: 1 },
          { peerId: "p", score: 2, total: 2 },
        ],
      },
    ],
  ])("refuses %s, and a receiver drops it as invalid", (_label, value) => {
    expect(accepts(value)).toBe(false);
    expect(receiveWorldEvent(worldPacket(value))).toMatchObject({ ok: false, reason: "invalid" });
  });
});

/** Plain msgpack, as a buggy or hostile peer might send. */
const plain = new Packr({ useRecords: false });
/** A `world/v5` action packet around any value, unchecked, as another peer might send it. */
const worldPacket = (value: unknown): Uint8Array =>
  encodeActionPacket({ kind: "action", action: actionTag(WORLD_ACTION), body: plain.pack(value) });
const DROP_REASONS = Object.keys(noDrops());

describe("world events on the action wire", () => {
  it.each(events)("round-trips a $type event", (event) => {
    expect(decodeWorldEvent(encodeWorldEvent(event))).toEqual(event);
  });

  it("sends each event as a world/v5 action whose body any msgpack decoder reads alone", () => {
    expect(WORLD_ACTION).toBe("world/v5");
    for (const event of events) {
      const packet = decodeActionPacket(encodeWorldEvent(event));
      if (!packet.ok) throw new Error(`dropped: ${packet.reason}`);
      expect(packet.packet.action).toBe(actionTag(WORLD_ACTION));
      // A fresh decoder: nothing is shared between packets.
      const body: unknown = new Packr({ useRecords: false }).unpack(packet.packet.body);
      expect(body).toEqual(event);
    }
  });

  it("drops another build's world as an unknown action, whatever it holds", () => {
    for (const name of ["world/v4", "world/v6"]) {
      const other = new ActionRegistry();
      other.add(name, GameEventSchema);
      expect(receiveWorldEvent(other.encode(name, score))).toEqual({
        ok: false,
        reason: "unknown-action",
      });
    }
    // The events packets of the builds before actions are not action packets at all.
    expect(receiveWorldEvent(plain.pack({ v: 4, event: score }))).toEqual({
      ok: false,
      reason: "junk",
    });
  });

  it("says why it drops a packet, with the schema's issues for a log", () => {
    expect(receiveWorldEvent(new Uint8Array(MAX_ACTION_BYTES + 1).fill(0x43))).toMatchObject({
      ok: false,
      reason: "too-large",
    });
    expect(receiveWorldEvent(Uint8Array.from([0x82, 0xa1]))).toMatchObject({ reason: "junk" });
    expect(receiveWorldEvent(plain.pack([1, 2]))).toMatchObject({ reason: "junk" });
    const dropped = receiveWorldEvent(worldPacket({ ...score, hostEpoch: undefined }));
    expect(dropped).toMatchObject({ ok: false, reason: "invalid" });
    expect(dropped.ok ? [] : (dropped.issues ?? []).flatMap(pathOf)).toContain("hostEpoch");
    expect(receiveWorldEvent(encodeWorldEvent(score))).toEqual({ ok: true, event: score });
  });

  it.each<[string, Uint8Array, DropReason]>([
    ["empty bytes", new Uint8Array(), "junk"],
    ["random bytes", Uint8Array.from([0xc1, 0x00, 0xff]), "junk"],
    ["a bare msgpack string", plain.pack("world"), "junk"],
    ["a packet over the size limit", new Uint8Array(MAX_ACTION_BYTES + 1), "too-large"],
    [
      "an inline record definition",
      Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa1, 0x76, 1]),
      "junk",
    ],
    [
      "a world action whose body defines a record",
      encodeActionPacket({
        kind: "action",
        action: actionTag(WORLD_ACTION),
        body: Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa1, 0x76, 1]),
      }),
      "invalid",
    ],
    [
      "a world action whose body is not msgpack",
      encodeActionPacket({
        kind: "action",
        action: actionTag(WORLD_ACTION),
        body: Uint8Array.from([0xc1]),
      }),
      "invalid",
    ],
  ])("drops %s", (_label, bytes, reason) => {
    expect(receiveWorldEvent(bytes)).toMatchObject({ ok: false, reason });
  });

  it("never throws on arbitrary bytes, and counts each drop by a kit reason", () => {
    const check = (bytes: Uint8Array): void => {
      const decoded = receiveWorldEvent(bytes);
      if (!decoded.ok) expect(DROP_REASONS).toContain(decoded.reason);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check));
    // Behind the world action's tag, so the bytes reach the body's decoder and the schema.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        check(encodeActionPacket({ kind: "action", action: actionTag(WORLD_ACTION), body }));
      }),
    );
  });

  it("never throws on arbitrary msgpack values, and accepts only valid events", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const decoded = receiveWorldEvent(worldPacket(value));
        if (decoded.ok) {
          expect(decodeWorldEvent(encodeWorldEvent(decoded.event))).toEqual(decoded.event);
        } else expect(decoded.reason).toBe("invalid");
      }),
    );
  });

  it("refuses to encode an invalid event, saying what is wrong", () => {
    expect(() => encodeWorldEvent({ ...score, score: 1.5 })).toThrow(
      /invalid "world\/v5": score: Invalid integer: Received 1.5/,
    );
    expect(() => encodeWorldEvent({ ...world, tick: -1 })).toThrow(RangeError);
    expect(() => encodeWorldEvent({ ...world, stageRemainingMs: null })).toThrow(
      /time left is given for timed stages only/,
    );
    expect(() => encodeWorldEvent({ ...warmup, round: 2 })).toThrow(
      /the round is 0 in the warm-up/,
    );
    expect(() =>
      encodeWorldEvent({ type: "claim-rejected", hostEpoch: 0, pickupId: 1, reason: "taken" }),
    ).toThrow(/hostEpoch: Invalid value: Expected >=1 but received 0/);
  });

  it("keeps the largest world snapshot well under the action size limit", () => {
    const pickups: Pickup[] = Array.from({ length: MAX_PICKUPS }, (_, id) => ({
      id,
      x: 959.123_456_789,
      y: 539.987_654_321,
      value: MAX_PICKUP_VALUE,
      active: true,
    }));
    const largest = { ...world, pickups, scores: fullScores };
    const bytes = encodeWorldEvent(largest);
    expect(bytes.length).toBeLessThan(MAX_ACTION_BYTES / 2);
    expect(decodeWorldEvent(bytes)).toEqual(largest);
  });

  it("keeps a full lobby's world with the default pickups small enough for the edge relay", () => {
    const pickups = Array.from({ length: DEFAULT_WORLD_CONFIG.pickupCount }, (_, i) => ({
      id: 63 * 1024 + i,
      x: 959.123_456_789,
      y: 539.987_654_321,
      value: MAX_PICKUP_VALUE,
      // The taken ones say by whom, as a full world does.
      ...(i % 2 === 0 ? { active: true } : { active: false, takenBy: i }),
    }));
    const top = {
      ...results,
      hostEpoch: MAX_COUNTER,
      version: MAX_COUNTER,
      tick: MAX_COUNTER,
      stageRemainingMs: MAX_ROUND_MS,
      round: MAX_ROUNDS,
      rounds: MAX_ROUNDS,
      pickups,
      scores: fullScores,
    };
    const bytes = encodeWorldEvent(top);
    expect(bytes.length).toBeLessThanOrEqual(MAX_RELAY_PAYLOAD_BYTES);
    expect(decodeWorldEvent(bytes)).toEqual(top);
  });
});

/** The keys along an issue's path, for a log line. */
function pathOf(issue: StandardSchemaIssue): PropertyKey[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === "object" && segment !== null ? segment.key : segment,
  );
}
