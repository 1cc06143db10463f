import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { MAX_COUNTER } from "../../game/kit/wire/state-channel.ts";
import {
  CLAIM_REJECTIONS,
  decodeEvent,
  decodeEventPacket,
  EVENTS_VERSION,
  encodeEvent,
  type GameEvent,
  MAX_EVENT_BYTES,
  MAX_PICKUPS,
  MAX_ROUND_MS,
  type Pickup,
} from "../../game/world/events-wire.ts";
import { MAX_PLAYERS, MAX_RELAY_PAYLOAD_BYTES } from "../../shared/limits.ts";

const pickup: Pickup = { id: 1, x: 120.5, y: 80, active: true };
const world = {
  type: "world",
  hostEpoch: 3,
  version: 41,
  tick: 5400,
  round: 2,
  roundRemainingMs: 90_000,
  nextRoundInMs: null,
  pickups: [pickup, { id: 2, x: 840, y: 460.25, active: false, takenBy: 0 }],
  scores: [
    { peerId: "p_alice", score: 3 },
    { peerId: "p-bob", score: 0 },
  ],
} satisfies GameEvent;
const intermission = {
  ...world,
  roundRemainingMs: 0,
  nextRoundInMs: 6_500,
} satisfies GameEvent;
const score = {
  type: "score",
  hostEpoch: 3,
  version: 43,
  tick: 5412,
  peerId: "p_alice",
  score: 4,
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
} satisfies GameEvent;

const events: GameEvent[] = [
  world,
  intermission,
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

/** A plain msgpack map, as a buggy or hostile peer might send. */
const raw = (value: unknown): Uint8Array => new Packr({ useRecords: false }).pack(value);

describe("events channel codec", () => {
  it.each(events)("round-trips a $type event", (event) => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it("carries the version in every packet and rejects any other version", () => {
    expect(EVENTS_VERSION).toBe(4);
    expect(new Packr({ useRecords: false }).unpack(encodeEvent(world))).toMatchObject({
      v: EVENTS_VERSION,
    });
    expect(decodeEvent(raw({ v: EVENTS_VERSION, event: score }))).toEqual(score);
    expect(decodeEvent(raw({ v: EVENTS_VERSION + 1, event: score }))).toBeNull();
    expect(decodeEvent(raw({ event: score }))).toBeNull();
  });

  it("says why it drops a packet, in words a developer can act on", () => {
    // A peer on the previous build: its score had the world version in `tick`.
    const v1 = raw({ v: 1, event: { type: "score", peerId: "p", score: 1, tick: 7 } });
    expect(decodeEventPacket(v1)).toEqual({
      ok: false,
      reason: "wrong-version",
      detail: "v1; this build speaks v4",
    });
    expect(decodeEventPacket(raw({ v: "3", event: score }))).toMatchObject({
      reason: "wrong-version",
      detail: "a version that is not a number (string); this build speaks v4",
    });

    expect(decodeEventPacket(new Uint8Array(MAX_EVENT_BYTES + 1))).toMatchObject({
      ok: false,
      reason: "too-large",
    });
    expect(decodeEventPacket(Uint8Array.from([0x82, 0xa1]))).toMatchObject({
      reason: "not-msgpack",
    });
    expect(decodeEventPacket(raw([1, 2]))).toMatchObject({ reason: "not-an-events-packet" });
    const noEpoch = raw({ v: EVENTS_VERSION, event: { ...score, hostEpoch: undefined } });
    const dropped = decodeEventPacket(noEpoch);
    expect(dropped).toMatchObject({ ok: false, reason: "invalid-event" });
    expect(dropped.ok ? "" : dropped.detail).toMatch(/hostEpoch/);
    expect(decodeEventPacket(encodeEvent(score))).toEqual({ ok: true, event: score });
  });

  it("stamps every host event with the host's epoch and the world version", () => {
    for (const event of events) {
      if (event.type === "claim-pickup") continue;
      expect(event.hostEpoch).toBeGreaterThanOrEqual(1);
      if (event.type === "claim-rejected" || event.type === "handover-done") continue;
      const { version: _version, ...unversioned } = event;
      expect(decodeEvent(raw({ v: EVENTS_VERSION, event: unversioned }))).toBeNull();
      expect(decodeEvent(raw({ v: EVENTS_VERSION, event: { ...event, hostEpoch: 0 } }))).toBeNull();
      const top = { ...event, hostEpoch: MAX_COUNTER, version: MAX_COUNTER };
      expect(decodeEvent(encodeEvent(top))).toEqual(top);
      expect(
        decodeEvent(raw({ v: EVENTS_VERSION, event: { ...top, version: MAX_COUNTER + 1 } })),
      ).toBeNull();
    }
  });

  it("decodes in a fresh decoder: nothing is shared between packets", () => {
    for (const event of events) {
      const plain: unknown = new Packr({ useRecords: false }).unpack(encodeEvent(event));
      expect(plain).toEqual({ v: EVENTS_VERSION, event });
    }
  });

  it("names who took a pickup only on a taken one, by a score line that exists", () => {
    const taken = { id: 9, x: 10, y: 10, active: false };
    const withTaker = (p: object) => raw({ v: EVENTS_VERSION, event: { ...world, pickups: [p] } });
    expect(decodeEvent(withTaker({ ...taken, takenBy: 1 }))).toMatchObject({
      pickups: [{ id: 9, takenBy: 1 }],
    });
    expect(decodeEvent(withTaker(taken))).toMatchObject({ pickups: [taken] });
    // No such score line, an active pickup, or not an index: dropped whole.
    expect(decodeEvent(withTaker({ ...taken, takenBy: 2 }))).toBeNull();
    expect(decodeEvent(withTaker({ ...taken, active: true, takenBy: 0 }))).toBeNull();
    expect(decodeEvent(withTaker({ ...taken, takenBy: "p_alice" }))).toBeNull();
  });

  it("keeps the largest world snapshot under the packet limit", () => {
    const pickups: Pickup[] = Array.from({ length: MAX_PICKUPS }, (_, id) => ({
      id,
      x: 959.123_456_789,
      y: 539.987_654_321,
      active: true,
    }));
    const scores = Array.from({ length: MAX_PLAYERS }, (_, i) => ({
      peerId: `peer-${"x".repeat(26)}${i}`,
      score: 999_999,
    }));
    const bytes = encodeEvent({ ...world, pickups, scores });
    expect(bytes.length).toBeLessThan(MAX_EVENT_BYTES / 2);
    expect(decodeEvent(bytes)).toEqual({ ...world, pickups, scores });
  });

  it("keeps a full lobby's world with the default pickups small enough for the edge relay", () => {
    const pickups = Array.from({ length: 5 }, (_, i) => ({
      id: 63 * 1024 + i,
      x: 959.123_456_789,
      y: 539.987_654_321,
      // The taken ones say by whom, as a full world does.
      ...(i % 2 === 0 ? { active: true } : { active: false, takenBy: i }),
    }));
    const scores = Array.from({ length: MAX_PLAYERS }, (_, i) => ({
      peerId: `peer-${"x".repeat(26)}${i}`,
      score: 999_999,
    }));
    const top = { ...intermission, hostEpoch: MAX_COUNTER, version: MAX_COUNTER, pickups, scores };
    expect(encodeEvent(top).length).toBeLessThanOrEqual(MAX_RELAY_PAYLOAD_BYTES);
  });

  it("round-trips any stamp and round state in range, and drops any out of range", () => {
    const u32 = fc.integer({ min: 0, max: MAX_COUNTER });
    const stamps = fc.record({
      hostEpoch: fc.integer({ min: 1, max: MAX_COUNTER }),
      version: u32,
      tick: u32,
      round: fc.integer({ min: 1, max: MAX_COUNTER }),
      nextRoundInMs: fc.option(fc.integer({ min: 0, max: MAX_ROUND_MS })),
    });
    fc.assert(
      fc.property(stamps, (stamp) => {
        const event: GameEvent = { ...intermission, ...stamp };
        expect(decodeEvent(encodeEvent(event))).toEqual(event);
      }),
    );
    const outOfRange = fc.oneof(
      fc.integer({ max: -1 }),
      fc.nat().map((n) => MAX_COUNTER + 1 + n),
      fc.double({ noInteger: true }),
      fc.constant(null),
      fc.string(),
    );
    const fields = fc.constantFrom("hostEpoch", "version", "tick", "round");
    fc.assert(
      fc.property(fields, outOfRange, (field, value) => {
        expect(
          decodeEvent(raw({ v: EVENTS_VERSION, event: { ...world, [field]: value } })),
        ).toBeNull();
      }),
    );
  });

  const wrap = (event: unknown) => raw({ v: EVENTS_VERSION, event });
  it.each([
    ["empty", new Uint8Array()],
    ["random bytes", Uint8Array.from([0xc1, 0x00, 0xff])],
    ["a string", raw("world")],
    ["an unknown type", wrap({ type: "teleport", tick: 1 })],
    ["a missing field", wrap({ ...score, score: undefined })],
    ["a fractional tick", wrap({ type: "claim-pickup", pickupId: 1, tick: 1.5 })],
    ["a negative score", wrap({ ...score, score: -1 })],
    ["a fractional version", wrap({ ...score, version: 1.5 })],
    ["a string epoch", wrap({ ...score, hostEpoch: "3" })],
    ["a peer id with spaces", wrap({ ...claimed, by: "a b" })],
    ["a pickup off the arena", wrap({ ...spawned, x: 961 })],
    ["a NaN position", wrap({ ...spawned, x: Number.NaN })],
    ["round 0", wrap({ ...world, round: 0 })],
    ["a missing round", wrap({ ...world, round: undefined })],
    ["a missing nextRoundInMs", wrap({ ...world, nextRoundInMs: undefined })],
    ["a negative nextRoundInMs", wrap({ ...intermission, nextRoundInMs: -1 })],
    ["a nextRoundInMs over an hour", wrap({ ...intermission, nextRoundInMs: MAX_ROUND_MS + 1 })],
    ["a next round before this one ends", wrap({ ...world, nextRoundInMs: 5_000 })],
    ["handover-done for epoch 0", wrap({ type: "handover-done", hostEpoch: 0, grants: [] })],
    ["handover-done without an epoch", wrap({ type: "handover-done", grants: [] })],
    ["handover-done without grants", wrap({ type: "handover-done", hostEpoch: 2 })],
    [
      "a grant from epoch 0",
      wrap({ type: "handover-done", hostEpoch: 2, grants: [{ pickupId: 1, grantedInEpoch: 0 }] }),
    ],
    [
      "a grant's epoch as a string",
      wrap({ type: "handover-done", hostEpoch: 2, grants: [{ pickupId: 1, grantedInEpoch: "1" }] }),
    ],
    [
      "one pickup granted twice",
      wrap({
        type: "handover-done",
        hostEpoch: 2,
        grants: [
          { pickupId: 1, grantedInEpoch: 1 },
          { pickupId: 1, grantedInEpoch: 1 },
        ],
      }),
    ],
    [
      "an unknown rejection reason",
      wrap({ type: "claim-rejected", hostEpoch: 1, pickupId: 1, reason: "nope" }),
    ],
    [
      "a rejection without a pickup",
      wrap({ type: "claim-rejected", hostEpoch: 1, reason: "taken" }),
    ],
    [
      "too many pickups",
      wrap({
        ...world,
        pickups: Array.from({ length: MAX_PICKUPS + 1 }, (_, id) => ({
          id,
          x: 1,
          y: 1,
          active: true,
        })),
      }),
    ],
    ["repeated pickup ids", wrap({ ...world, pickups: [pickup, pickup] })],
    [
      "two scores for one peer",
      wrap({
        ...world,
        scores: [
          { peerId: "p", score: 1 },
          { peerId: "p", score: 2 },
        ],
      }),
    ],
    ["a packet over the size limit", new Uint8Array(MAX_EVENT_BYTES + 1)],
    ["an inline record definition", Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa1, 0x76, 1])],
  ])("rejects %s", (_label, bytes) => {
    expect(decodeEvent(bytes)).toBeNull();
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(() => decodeEvent(bytes)).not.toThrow();
      }),
    );
  });

  it("never throws on arbitrary msgpack values, and accepts only valid events", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const decoded = decodeEvent(raw({ v: EVENTS_VERSION, event: value }));
        if (decoded !== null) expect(decodeEvent(encodeEvent(decoded))).toEqual(decoded);
      }),
    );
  });

  it("refuses to encode an invalid event, naming its type", () => {
    expect(() => encodeEvent({ ...score, score: 1.5 })).toThrow(/invalid score event/);
    expect(() => encodeEvent({ ...world, tick: -1 })).toThrow(RangeError);
    expect(() => encodeEvent({ ...world, nextRoundInMs: 1 })).toThrow(/after this one ends/);
    expect(() =>
      encodeEvent({ type: "claim-rejected", hostEpoch: 0, pickupId: 1, reason: "taken" }),
    ).toThrow(/invalid claim-rejected event/);
  });
});
