import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TouchLog } from "../../game/world/touch-log.ts";
import { worldConfig } from "../../game/world/world-config.ts";
import { WorldHost } from "../../game/world/world-host.ts";
import { WorldReplica } from "../../game/world/world-replica.ts";
import {
  applyChange,
  type HostEvent,
  snapshotOf,
  type WorldEvent,
  type WorldState,
  worldFromSnapshot,
} from "../../game/world/world-state.ts";

const world = (tick: number, score: number, ids: number[] = [1, 2]): WorldEvent => ({
  type: "world",
  tick,
  roundRemainingMs: 30_000,
  pickups: ids.map((id) => ({ id, x: 100 + id, y: 100, active: true })),
  scores: [{ peerId: "bob", score }],
});
const claimed = (tick: number, pickupId: number, by = "bob"): HostEvent => ({
  type: "pickup-claimed",
  pickupId,
  by,
  tick,
});
const score = (tick: number, peerId: string, total: number): HostEvent => ({
  type: "score",
  peerId,
  score: total,
  tick,
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
    expect(replica.receive("alice", world(3, 1), 0)).toHaveLength(1);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 1 }]);
    expect(replica.world?.stamp).toEqual({ epoch: 1, version: 3 });
  });

  it("ignores a late packet from the former host, however high its version", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(40, 5), 0);
    replica.setHost("bob", 2);
    replica.receive("bob", world(41, 5, [1, 2, 3]), 10);
    const before = seen(replica.world);
    expect(replica.receive("alice", world(900, 0), 20)).toEqual([]);
    expect(replica.receive("alice", claimed(901, 3), 20)).toEqual([]);
    expect(seen(replica.world)).toEqual(before);
  });

  it("prefers a later host's world even with a lower version, and never goes back", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(500, 7), 0);
    replica.setHost("carol", 3);
    const [applied] = replica.receive("carol", world(2, 7, [9]), 5);
    expect(applied?.firstOfEpoch).toBe(true);
    expect(replica.world?.stamp).toEqual({ epoch: 3, version: 2 });
    expect(replica.receive("carol", world(1, 0), 6)).toEqual([]);
    expect(replica.world?.stamp).toEqual({ epoch: 3, version: 2 });
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
    expect(applied.map((a) => a.event.tick)).toEqual([11, 12]);
    expect(replica.receive("alice", claimed(11, 1), 3)).toEqual([]);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 1 }]);
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
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 3 }]);
    expect(replica.world?.stamp.version).toBe(13);
  });

  it("keeps what a new host sent before the lobby's news of it, and applies it on the news", () => {
    const replica = replicaOf("alice", 1);
    replica.receive("alice", world(10, 1), 0);
    replica.receive("bob", world(11, 1, [5]), 1);
    replica.receive("bob", claimed(12, 5), 2);
    expect(replica.world?.stamp).toEqual({ epoch: 1, version: 10 });
    const applied = replica.setHost("bob", 2);
    expect(applied?.map((a) => [a.event.type, a.firstOfEpoch])).toEqual([
      ["world", true],
      ["pickup-claimed", false],
    ]);
    expect(replica.world?.scores).toEqual([{ peerId: "bob", score: 2 }]);
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
          ? worldFromSnapshot(event, 1, 0, 0)
          : inOrder === null
            ? null
            : applyChange(inOrder, event, 1);
      expected.set(event.tick, seen(inOrder));
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
        expect(seen(replica.world)).toEqual(last === undefined ? null : expected.get(last.tick));
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});

/**
 * Everything a busy host broadcasts for a while (claims, respawns, periodic snapshots), ending
 * with a snapshot of its final world.
 */
function hostStream(): HostEvent[] {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const config = worldConfig({ pickupCount: 4, respawnMs: 300, snapshotIntervalMs: 700 });
  const host = WorldHost.startFresh({ selfId: "host", epoch: 1, config, random }, 0);
  const stream: HostEvent[] = [];
  for (let now = 0; now < 6_000; now += 100) {
    const active = host.world.pickups.filter((p) => p.active);
    const pickup = active[Math.floor(random() * active.length)];
    const log = new TouchLog();
    if (pickup !== undefined) {
      const player = random() < 0.5 ? "bob" : "carol";
      log.record(host.world.pickups, [{ id: player, x: pickup.x, y: pickup.y }], 100);
      host.enqueueClaim(player, pickup.id, now);
    }
    for (const message of host.tick(now, log)) {
      const { event } = message;
      if (message.to === "all" && event.type !== "claim-pickup") stream.push(event);
    }
  }
  stream.push(snapshotOf(host.world, 6_000));
  return stream;
}
