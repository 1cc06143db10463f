import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TouchLog } from "../../game/world/touch-log.ts";
import { worldConfig } from "../../game/world/world-config.ts";
import { WorldHost } from "../../game/world/world-host.ts";
import { WorldReplica } from "../../game/world/world-replica.ts";
import {
  applyChange,
  compareStamps,
  type HostEvent,
  type Stamp,
  snapshotOf,
  type WorldEvent,
  type WorldState,
  worldFromSnapshot,
} from "../../game/world/world-state.ts";

const world = (version: number, score: number, ids: number[] = [1, 2], epoch = 1): WorldEvent => ({
  type: "world",
  hostEpoch: epoch,
  version,
  tick: 1000 + version,
  stage: "round",
  round: 1,
  rounds: 3,
  stageRemainingMs: 30_000,
  pickups: ids.map((id) => ({ id, x: 100 + id, y: 100, value: 1, active: true })),
  scores: [{ peerId: "bob", score, total: score }],
});
const claimed = (version: number, pickupId: number, by = "bob", epoch = 1): HostEvent => ({
  type: "pickup-claimed",
  hostEpoch: epoch,
  version,
  tick: 1000 + version,
  pickupId,
  by,
});
const score = (version: number, peerId: string, total: number, epoch = 1): HostEvent => ({
  type: "score",
  hostEpoch: epoch,
  version,
  tick: 1000 + version,
  peerId,
  score: total,
  total,
});

/** What a player sees: scores and pickups, without the clock. */
const seen = (state: WorldState | null) =>
  state === null ? null : { stamp: state.stamp, pickups: state.pickups, scores: state.scores };

function replicaOf(hostId: string, epoch: number): WorldReplica {
  const replica = new WorldReplica();
  expect(replica.setHost(hostId, epoch)).toEqual([]);
  return replica;
}

describe("a replica of the host's world", () => {
  it("takes world updates only from the peer the lobby names as host", () => {
    const replica = replicaOf("alice", 1);
    expect(replica.receive("mallory", world(9, 9), 0)).toEqual([]);
    expect(replica.world).toBeNull();
    expect(replica.counts.notHost).toBe(1);
    expect(replica.receive("alice", world(3, 1), 0)).toHaveLength(1);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 1, total: 1 }]);
    expect(replica.world?.stamp).toEqual({ epoch: 1, version: 3 });
    expect(replica.world?.match).toEqual({ stage: "round", round: 1, rounds: 3, endsAtMs: 30_000 });
  });

  it("stamps its copy from the packet itself: the host's epoch and the world version", () => {
    const replica = replicaOf("alice", 4);
    replica.receive("alice", world(7, 0, [1, 2], 4), 0);
    replica.receive("alice", claimed(8, 1, "bob", 4), 0);
    expect(replica.world?.stamp).toEqual({ epoch: 4, version: 8 });
    // The simulation tick rides along but orders nothing: a lower tick with the next version
    // still applies.
    const next = { ...score(9, "bob", 1, 4), tick: 0 };
    expect(replica.receive("alice", next, 1)).toHaveLength(1);
    expect(replica.world?.stamp).toEqual({ epoch: 4, version: 9 });
  });

  it("ignores a late packet from the former host, however high its version", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(40, 5), 0);
    replica.setHost("bob", 2);
    replica.receive("bob", world(41, 5, [1, 2, 3], 2), 10);
    const before = seen(replica.world);
    expect(replica.receive("alice", world(900, 0), 20)).toEqual([]);
    expect(replica.receive("alice", claimed(901, 3), 20)).toEqual([]);
    expect(seen(replica.world)).toEqual(before);
    expect(replica.counts.stale).toBe(2);
  });

  it("drops a deposed host's packets by their epoch even before the new host's world", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 1), 0);
    // The lobby names bob; alice has not heard yet and still sends as host of epoch 1.
    replica.setHost("bob", 2);
    expect(replica.receive("alice", claimed(11, 1), 5)).toEqual([]);
    expect(replica.receive("alice", world(11, 9), 6)).toEqual([]);
    expect(seen(replica.world)).toEqual({
      stamp: { epoch: 1, version: 10 },
      pickups: world(10, 1).pickups,
      scores: [{ peerId: "bob", score: 1, total: 1 }],
    });
    expect(replica.receive("bob", world(11, 1, [1, 2], 2), 7)).toHaveLength(1);
  });

  it("never lets a peer take over by writing a later epoch the lobby did not announce", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 1), 0);
    expect(replica.receive("mallory", world(1, 99, [7], 0xffff_ffff), 1)).toEqual([]);
    expect(replica.receive("mallory", world(1, 99, [7], 2), 1)).toEqual([]);
    expect(replica.counts.early).toBe(2);
    expect(replica.world?.stamp).toEqual({ epoch: 1, version: 10 });
    // The lobby names someone else for epoch 2: mallory's epoch-2 packet can never apply.
    expect(replica.setHost("bob", 2)).toEqual([]);
    expect(replica.receive("bob", world(11, 2, [1, 2], 2), 2)).toHaveLength(1);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 2, total: 2 }]);
  });

  it("prefers a later host's world even with a lower version, and never goes back", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(500, 7), 0);
    replica.setHost("carol", 3);
    const [applied] = replica.receive("carol", world(2, 7, [9], 3), 5);
    expect(applied?.firstOfEpoch).toBe(true);
    expect(replica.world?.stamp).toEqual({ epoch: 3, version: 2 });
    expect(replica.receive("carol", world(1, 0, [1], 3), 6)).toEqual([]);
    expect(replica.world?.stamp).toEqual({ epoch: 3, version: 2 });
  });

  it("carries the match: stage, round of rounds, and the stage's end on its own clock", () => {
    const replica = replicaOf("alice", 1);
    const results: WorldEvent = {
      ...world(5, 0),
      stage: "results",
      round: 3,
      stageRemainingMs: 4_000,
    };
    replica.receive("alice", results, 10_000, 30);
    expect(replica.world?.match).toEqual({
      stage: "results",
      round: 3,
      rounds: 3,
      endsAtMs: 10_000 - 30 + 4_000,
    });
    // The podium (like the warm-up) has no end: it lasts until the host plays again.
    const podium: WorldEvent = { ...results, version: 6, stage: "podium", stageRemainingMs: null };
    replica.receive("alice", podium, 11_000, 30);
    expect(replica.world?.match).toEqual({ stage: "podium", round: 3, rounds: 3, endsAtMs: null });
  });

  it("ignores lobby news that is not newer than what it knows", () => {
    const replica = replicaOf("alice", 2);
    expect(replica.setHost("bob", 2)).toBeNull();
    expect(replica.setHost("bob", 1)).toBeNull();
    expect(replica.hostId).toBe("alice");
  });

  it("applies changes in version order, holding early ones and dropping repeats", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 0), 0);
    expect(replica.receive("alice", score(12, "bob", 1), 1)).toEqual([]);
    expect(replica.world?.stamp.version).toBe(10);
    const applied = replica.receive("alice", claimed(11, 1), 2);
    expect(applied.map((a) => a.event.version)).toEqual([11, 12]);
    expect(replica.receive("alice", claimed(11, 1), 3)).toEqual([]);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 1, total: 1 }]);
    expect(replica.world?.pickups.map((p) => [p.id, p.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(replica.counts).toMatchObject({ stale: 1, held: 1 });
  });

  it("lets a snapshot fill a gap that a lost change left", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 0), 0);
    replica.receive("alice", score(13, "bob", 3), 1);
    replica.receive("alice", world(12, 2), 2);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 3, total: 3 }]);
    expect(replica.world?.stamp.version).toBe(13);
  });

  it("keeps what a new host sent before the lobby's news of it, and applies it on the news", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 1), 0);
    replica.receive("bob", world(11, 1, [5], 2), 1);
    replica.receive("bob", claimed(12, 5, "bob", 2), 2);
    expect(replica.world?.stamp).toEqual({ epoch: 1, version: 10 });
    const applied = replica.setHost("bob", 2);
    expect(applied?.map((a) => [a.event.type, a.firstOfEpoch])).toEqual([
      ["world", true],
      ["pickup-claimed", false],
    ]);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 2, total: 2 }]);
    expect(replica.world?.stamp).toEqual({ epoch: 2, version: 12 });
  });

  it("keeps a new host's world when more of its packets outrun the news than it keeps", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 1), 0);
    replica.receive("bob", world(11, 1, [5], 2), 1);
    for (let version = 12; version < 12 + 40; version++) {
      replica.receive("bob", score(version, "bob", version, 2), 2);
    }
    const applied = replica.setHost("bob", 2);
    // The world is applied (the changes right after it were let go, so the rest wait for the
    // next snapshot): we hold the new host's world and hand over to it.
    expect(applied?.map((a) => [a.event.type, a.firstOfEpoch])).toEqual([["world", true]]);
    expect(replica.world?.stamp).toEqual({ epoch: 2, version: 11 });
  });

  it("drops a player who left, even from a host's snapshot sent before it heard", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 4), 0);
    replica.peerLeft("bob");
    expect(replica.world?.scores).toEqual([]);
    replica.receive("alice", world(11, 4), 1);
    expect(replica.world?.scores).toEqual([]);
    expect(replica.receive("bob", world(50, 4), 2)).toEqual([]);
    expect(replica.counts.early).toBe(0);
  });

  it("always holds exactly the host's world at some version, under any reordering", () => {
    const stream = hostStream();
    // The state after each version, from applying the stream in order.
    const expected = new Map<number, ReturnType<typeof seen>>();
    let inOrder: WorldState | null = null;
    for (const event of stream) {
      inOrder =
        event.type === "world"
          ? worldFromSnapshot(event, 0, 0)
          : inOrder === null
            ? null
            : applyChange(inOrder, event);
      expected.set(event.version, seen(inOrder));
    }
    const indices = stream.map((_, i) => i);
    const deliveries = fc
      .tuple(
        fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
        fc.array(fc.nat(indices.length - 1), { maxLength: 20 }),
        fc.array(fc.nat(indices.length), { maxLength: 20 }),
      )
      .map(([order, repeats, at]) => {
        const sequence = [...order];
        for (const [i, index] of repeats.entries()) sequence.splice(at[i] ?? 0, 0, index);
        return sequence;
      });
    fc.assert(
      fc.property(deliveries, (sequence) => {
        const replica = replicaOf("host", 1);
        for (const index of sequence) {
          const event = stream[index];
          if (event === undefined) continue;
          replica.receive("host", event, 0);
          const version = replica.world?.stamp.version;
          if (version !== undefined) expect(seen(replica.world)).toEqual(expected.get(version));
        }
        // The stream ends with a snapshot, so whatever was held or lost, the replica ends level.
        const last = stream.at(-1);
        expect(last?.type).toBe("world");
        expect(seen(replica.world)).toEqual(last === undefined ? null : expected.get(last.version));
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});

describe("ordering by (host epoch, version) across a change of host", () => {
  it("never goes back and ends on the new host's world, for any interleaving and news time", () => {
    const old = hostStream(1);
    const handedOver = applyInOrder(old).final;
    if (handedOver === null) throw new Error("the old host's stream made no world");
    const next = hostStream(2, handedOver);
    const expected = new Map([...applyInOrder(old).states, ...applyInOrder(next).states]);
    const letters = [
      ...old.map((event) => ({ from: "host1", event })),
      ...next.map((event) => ({ from: "host2", event })),
    ];
    const indices = letters.map((_, i) => i);
    const schedules = fc.record({
      order: fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
      newsAt: fc.nat(indices.length),
    });
    fc.assert(
      fc.property(schedules, ({ order, newsAt }) => {
        const replica = replicaOf("host1", 1);
        let previous = replica.world?.stamp ?? null;
        order.forEach((index, position) => {
          if (position === newsAt) replica.setHost("host2", 2);
          const letter = letters[index];
          if (letter !== undefined) replica.receive(letter.from, letter.event, 0);
          const current = replica.world;
          if (current === null) return;
          if (previous !== null)
            expect(compareStamps(current.stamp, previous)).toBeGreaterThanOrEqual(0);
          previous = current.stamp;
          expect(seen(current)).toEqual(expected.get(key(current.stamp)));
        });
        if (newsAt >= order.length) replica.setHost("host2", 2);
        // The new host's stream ends with a snapshot; sent again (as the periodic one is), it
        // heals whatever the bounded buffers let go, and is where everyone ends.
        const last = next.at(-1);
        if (last?.type !== "world") throw new Error("the stream should end with a snapshot");
        replica.receive("host2", last, 0);
        expect(replica.world?.stamp).toEqual({ epoch: 2, version: last?.version });
        expect(seen(replica.world)).toEqual(
          last === undefined ? null : expected.get(`2:${last.version}`),
        );
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});

const key = (stamp: Stamp): string => `${stamp.epoch}:${stamp.version}`;

/** The state after each (epoch, version) of a host's stream, applied in order. */
function applyInOrder(stream: readonly HostEvent[]): {
  states: Map<string, ReturnType<typeof seen>>;
  final: WorldState | null;
} {
  const states = new Map<string, ReturnType<typeof seen>>();
  let state: WorldState | null = null;
  for (const event of stream) {
    state =
      event.type === "world"
        ? worldFromSnapshot(event, 0, 0)
        : state === null
          ? null
          : applyChange(state, event);
    if (state !== null) states.set(key(state.stamp), seen(state));
  }
  return { states, final: state };
}

/**
 * Everything a busy host broadcasts for a while (claims, respawns, periodic snapshots), ending
 * with a snapshot of its final world.
 */
function hostStream(epoch = 1, from?: WorldState): HostEvent[] {
  let seed = 42 + epoch;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const config = worldConfig({
    pickupCount: 4,
    respawnMs: 300,
    snapshotIntervalMs: 700,
    countdownMs: 0,
  });
  const context = { selfId: `host${epoch}`, epoch, config, random };
  const host =
    from === undefined
      ? WorldHost.startFresh(context, 0)
      : WorldHost.continueFrom(from, context, 0);
  // The first host starts a match (its round starts at the first tick); the next one carries
  // on with its round. Stars (worth 3) and plain pickups both come up.
  if (from === undefined) host.startMatch(3, 0);
  const stream: HostEvent[] = [];
  for (let now = 0; now < 6_000; now += 100) {
    const active = host.world.pickups.filter((p) => p.active);
    const pickup = active[Math.floor(random() * active.length)];
    const log = new TouchLog();
    if (pickup !== undefined) {
      const player = random() < 0.5 ? "bob" : "carol";
      log.record(host.world.pickups, [{ id: player, x: pickup.x, y: pickup.y }], 100);
      host.enqueueClaim(player, { pickupId: pickup.id }, now);
    }
    for (const message of host.tick(now, log, now / 10)) {
      const { event } = message;
      if (
        message.to === "all" &&
        event.type !== "claim-pickup" &&
        event.type !== "claim-rejected" &&
        event.type !== "handover-done"
      ) {
        stream.push(event);
      }
    }
  }
  stream.push(snapshotOf(host.world, 6_000, 600));
  return stream;
}
