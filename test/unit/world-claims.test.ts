import { describe, expect, it } from "vitest";
import type { Outgoing } from "../../game/world/outgoing.ts";
import { TouchLog } from "../../game/world/touch-log.ts";
import { worldConfig } from "../../game/world/world-config.ts";
import { type HostContext, WorldHost } from "../../game/world/world-host.ts";
import { WorldSession } from "../../game/world/world-session.ts";
import { scoreOf, type WorldPickup } from "../../game/world/world-state.ts";
import { encodeEvent, type GameEvent } from "../../shared/wire/events.ts";

/** Small, seeded and reproducible: the same seed gives the same pickups. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const config = worldConfig({
  pickupCount: 3,
  respawnMs: 1_000,
  roundMs: 60_000,
  intermissionMs: null,
  snapshotIntervalMs: 5_000,
});
const reach = config.pickupRadius + 18 + config.touchSlack;

/** A fresh host whose opening snapshot has already gone out. */
function startHost(epoch = 1, seed = 1, roundMs = config.roundMs): WorldHost {
  const context: HostContext = {
    selfId: "host",
    epoch,
    config: { ...config, roundMs },
    random: seeded(seed),
  };
  const host = WorldHost.startFresh(context, 0);
  expect(events(host.tick(0, new TouchLog())).map((e) => e.type)).toEqual(["world"]);
  return host;
}

function firstActive(host: WorldHost): WorldPickup {
  const pickup = host.world.pickups.find((p) => p.active);
  if (pickup === undefined) throw new Error("no active pickup");
  return pickup;
}

/** The host's log with these players standing on `pickup`. */
function touching(host: WorldHost, pickup: WorldPickup, ...peers: string[]): TouchLog {
  const log = new TouchLog();
  log.record(
    host.world.pickups,
    peers.map((id) => ({ id, x: pickup.x, y: pickup.y })),
    reach,
  );
  return log;
}

const events = (out: readonly Outgoing[]): GameEvent[] => out.map((message) => message.event);

describe("the host deciding claims", () => {
  it("gives a contested pickup to the first valid claim and nobody else", () => {
    const host = startHost();
    const pickup = firstActive(host);
    const log = touching(host, pickup, "alice", "bob");
    host.enqueueClaim("bob", pickup.id, 100);
    host.enqueueClaim("alice", pickup.id, 101);
    const out = host.tick(110, log);
    expect(events(out)).toEqual([
      { type: "pickup-claimed", pickupId: pickup.id, by: "bob", tick: expect.any(Number) },
      { type: "score", peerId: "bob", score: 1, tick: expect.any(Number) },
    ]);
    expect(out.every((message) => message.to === "all")).toBe(true);
    expect(scoreOf(host.world, "bob")).toBe(1);
    expect(scoreOf(host.world, "alice")).toBe(0);
    expect(host.decisions.map((d) => [d.by, d.outcome])).toEqual([
      ["bob", "awarded"],
      ["alice", "taken"],
    ]);
  });

  it("never scores a duplicate or late claim twice, before or after the respawn", () => {
    const host = startHost();
    const pickup = firstActive(host);
    const log = touching(host, pickup, "bob");
    host.enqueueClaim("bob", pickup.id, 100);
    host.tick(100, log);
    host.enqueueClaim("bob", pickup.id, 150);
    expect(events(host.tick(150, log))).toEqual([]);
    // After the respawn the old id is gone for good: a very late claim of it is unknown.
    host.tick(100 + config.respawnMs, log);
    host.enqueueClaim("bob", pickup.id, 2_000);
    expect(events(host.tick(2_000, log))).toEqual([]);
    expect(scoreOf(host.world, "bob")).toBe(1);
    expect(host.decisions.map((d) => d.outcome)).toEqual(["awarded", "taken", "unknown"]);
  });

  it("rejects ids it never handed out and claims by players it never saw at the pickup", () => {
    const host = startHost();
    const pickup = firstActive(host);
    host.enqueueClaim("bob", 0xffff, 10);
    host.enqueueClaim("carol", pickup.id, 10);
    const out = host.tick(10, touching(host, pickup, "bob"));
    expect(events(out)).toEqual([]);
    expect(host.decisions.map((d) => d.outcome)).toEqual(["unknown", "not-touched"]);
    expect(host.world.pickups.find((p) => p.id === pickup.id)?.active).toBe(true);
  });

  it("respawns a claimed pickup after the delay with a new id, oldest claim first", () => {
    const host = startHost();
    const [first, second] = host.world.pickups;
    if (first === undefined || second === undefined) throw new Error("two pickups expected");
    host.enqueueClaim("bob", first.id, 0);
    host.tick(0, touching(host, first, "bob"));
    host.enqueueClaim("bob", second.id, 500);
    host.tick(500, touching(host, second, "bob"));
    expect(host.world.pickups.filter((p) => !p.active).map((p) => p.id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(events(host.tick(999, new TouchLog()))).toEqual([]);
    const spawned = events(host.tick(1_000, new TouchLog()));
    expect(spawned).toHaveLength(1);
    const [event] = spawned;
    if (event?.type !== "pickup-spawned") throw new Error("expected a spawn");
    expect([first.id, second.id]).not.toContain(event.pickupId);
    expect(host.world.pickups.map((p) => p.id)).not.toContain(first.id);
    expect(host.world.pickups.filter((p) => !p.active).map((p) => p.id)).toEqual([second.id]);
    expect(host.world.pickups).toHaveLength(config.pickupCount);
  });

  it("never hands out an id twice in a host's tenure, nor one another epoch's host could", () => {
    const idsOf = (epoch: number): Set<number> => {
      const host = startHost(epoch, epoch, 10 * 60 * 1000);
      const ids = new Set(host.world.pickups.map((p) => p.id));
      let now = 0;
      for (let round = 0; round < 200; round++) {
        const pickup = firstActive(host);
        host.enqueueClaim("bob", pickup.id, now);
        host.tick(now, touching(host, pickup, "bob"));
        now += config.respawnMs;
        for (const event of events(host.tick(now, new TouchLog()))) {
          if (event.type !== "pickup-spawned") continue;
          expect(ids.has(event.pickupId)).toBe(false);
          ids.add(event.pickupId);
        }
      }
      return ids;
    };
    const first = idsOf(1);
    const second = idsOf(2);
    expect(first.size).toBe(203);
    expect([...first].filter((id) => second.has(id))).toEqual([]);
  });

  it("makes only events the wire format accepts", () => {
    const host = startHost();
    const pickup = firstActive(host);
    host.peerConnected("bob", 0);
    host.enqueueClaim("bob", pickup.id, 5);
    const out = [
      ...host.tick(5, touching(host, pickup, "bob")),
      ...host.tick(9_000, new TouchLog()),
    ];
    expect(out.length).toBeGreaterThan(3);
    for (const { event } of out) expect(() => encodeEvent(event)).not.toThrow();
  });
});

describe("claims between two sessions", () => {
  /** A host and a player passing events straight to each other. */
  function pair(): { host: WorldSession; player: WorldSession } {
    const host = new WorldSession({ config, random: seeded(7) });
    const player = new WorldSession({ config, random: seeded(8) });
    host.onHostChanged("h", 1, "h", 0);
    player.onHostChanged("h", 1, "p", 0);
    host.onPeerConnected("p", 0);
    player.onPeerConnected("h", 0);
    return { host, player };
  }

  function deliver(out: readonly Outgoing[], to: WorldSession, from: string, now: number): void {
    for (const message of out) to.onEvent(from, message.event, now);
  }

  it("claims a touched pickup once, and the host's award reaches the player's scoreboard", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 40 };

    const claims = player.tick(10, onIt, []);
    expect(claims).toEqual([
      { to: "peer", peerId: "h", event: { type: "claim-pickup", pickupId: pickup.id, tick: 40 } },
    ]);
    expect(player.tick(20, onIt, [])).toEqual([]);
    expect(player.view(20).pendingClaims).toEqual([pickup.id]);

    deliver(claims, host, "p", 30);
    const awarded = host.tick(30, { x: 0, y: 0, tick: 0 }, [{ id: "p", ...onIt }]);
    deliver(awarded, player, "h", 40);
    expect(player.view(40).scores).toEqual([
      { peerId: "p", score: 1 },
      { peerId: "h", score: 0 },
    ]);
    expect(player.view(40).pendingClaims).toEqual([]);
    expect(player.view(40).pickups.map((p) => p.id)).not.toContain(pickup.id);
  });

  it("asks again only while it keeps touching an unanswered pickup", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 1 };
    expect(player.tick(0, onIt, [])).toHaveLength(1);
    expect(player.tick(config.claimRetryMs - 1, onIt, [])).toHaveLength(0);
    expect(player.tick(config.claimRetryMs, onIt, [])).toHaveLength(1);
    expect(player.tick(3 * config.claimRetryMs, { x: 5, y: 5, tick: 2 }, [])).toHaveLength(0);
  });

  it("lets the host claim for itself through the same rule", () => {
    const { host } = pair();
    host.tick(0, { x: 0, y: 0, tick: 0 }, []);
    const pickup = host.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the host should see pickups");
    const out = host.tick(10, { x: pickup.x, y: pickup.y, tick: 1 }, []);
    expect(events(out).map((e) => e.type)).toEqual(["pickup-claimed", "score"]);
    expect(host.view(10).scores[0]).toEqual({ peerId: "h", score: 1 });
    expect(host.decisions.map((d) => d.outcome)).toEqual(["awarded"]);
  });
});
