import fc from "fast-check";
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import {
  decodeEvent,
  EVENTS_VERSION,
  encodeEvent,
  type GameEvent,
  MAX_EVENT_BYTES,
  MAX_PICKUPS,
  type Pickup,
} from "../../shared/wire/events.ts";

const pickup: Pickup = { id: 1, x: 120.5, y: 80, active: true };
const world: GameEvent = {
  type: "world",
  tick: 5400,
  roundRemainingMs: 90_000,
  pickups: [pickup, { id: 2, x: 840, y: 460.25, active: false }],
  scores: [
    { peerId: "p_alice", score: 3 },
    { peerId: "p-bob", score: 0 },
  ],
};

const events: GameEvent[] = [
  world,
  { type: "claim-pickup", pickupId: 2, tick: 5410 },
  { type: "pickup-claimed", pickupId: 2, by: "p_alice", tick: 5412 },
  { type: "pickup-spawned", pickupId: 2, x: 300, y: 200.5, tick: 5800 },
  { type: "score", peerId: "p_alice", score: 4, tick: 5412 },
];

/** A plain msgpack map, as a buggy or hostile peer might send. */
const raw = (value: unknown): Uint8Array => new Packr({ useRecords: false }).pack(value);

describe("events channel codec", () => {
  it.each(events)("round-trips a $type event", (event) => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it("carries the version in every packet and rejects any other version", () => {
    const score = events[4];
    expect(new Packr({ useRecords: false }).unpack(encodeEvent(world))).toMatchObject({
      v: EVENTS_VERSION,
    });
    expect(decodeEvent(raw({ v: EVENTS_VERSION, event: score }))).toEqual(score);
    expect(decodeEvent(raw({ v: EVENTS_VERSION + 1, event: score }))).toBeNull();
    expect(decodeEvent(raw({ event: score }))).toBeNull();
  });

  it("decodes in a fresh decoder: nothing is shared between packets", () => {
    for (const event of events) {
      const plain: unknown = new Packr({ useRecords: false }).unpack(encodeEvent(event));
      expect(plain).toEqual({ v: EVENTS_VERSION, event });
    }
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

  const wrap = (event: unknown) => raw({ v: EVENTS_VERSION, event });
  it.each([
    ["empty", new Uint8Array()],
    ["random bytes", Uint8Array.from([0xc1, 0x00, 0xff])],
    ["a string", raw("world")],
    ["an unknown type", wrap({ type: "teleport", tick: 1 })],
    ["a missing field", wrap({ type: "score", peerId: "p", tick: 1 })],
    ["a fractional tick", wrap({ type: "claim-pickup", pickupId: 1, tick: 1.5 })],
    ["a negative score", wrap({ type: "score", peerId: "p", score: -1, tick: 1 })],
    ["a peer id with spaces", wrap({ type: "pickup-claimed", pickupId: 1, by: "a b", tick: 1 })],
    [
      "a pickup off the arena",
      wrap({ type: "pickup-spawned", pickupId: 1, x: 961, y: 0, tick: 1 }),
    ],
    ["a NaN position", wrap({ type: "pickup-spawned", pickupId: 1, x: Number.NaN, y: 0, tick: 1 })],
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
    expect(() => encodeEvent({ type: "score", peerId: "p", score: 1.5, tick: 1 })).toThrow(
      /invalid score event/,
    );
    expect(() => encodeEvent({ ...world, tick: -1 })).toThrow(RangeError);
  });
});
