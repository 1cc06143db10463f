import { describe, expect, it } from "vitest";
import { CLAIM_REJECTIONS, type GameEvent } from "../../game/world/events-wire.ts";
import type { Outgoing } from "../../game/world/outgoing.ts";
import { ClaimLedger } from "../../game/world/pickup-claims.ts";
import { TouchLog } from "../../game/world/touch-log.ts";
import { worldConfig } from "../../game/world/world-config.ts";
import { type HostContext, WorldHost } from "../../game/world/world-host.ts";
import { WorldSession } from "../../game/world/world-session.ts";
import {
  scoreOf,
  snapshotOf,
  type WorldPickup,
  type WorldState,
} from "../../game/world/world-state.ts";
import { decodeWorldEvent, encodeWorldEvent } from "./world-wire.ts";

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

/** Rounds start at once, and every pickup is worth 1 (stars are in world-match.test.ts). */
const config = worldConfig({
  pickupCount: 3,
  respawnMs: 1_000,
  countdownMs: 0,
  roundMs: 60_000,
  starChance: 0,
  snapshotIntervalMs: 5_000,
});
const reach = config.pickupRadius + 18 + config.touchSlack;

/** A fresh host in the first round of a match, whose opening snapshots have already gone out. */
function startHost(epoch = 1, seed = 1, roundMs = config.roundMs): WorldHost {
  const context: HostContext = {
    selfId: "host",
    epoch,
    config: { ...config, roundMs },
    random: seeded(seed),
  };
  const host = WorldHost.startFresh(context, 0);
  host.startMatch(1, 0);
  // The warm-up, the match's countdown, and (the countdown being 0) the round at once.
  const opening = events(host.tick(0, new TouchLog()));
  expect(opening.map((e) => e.type === "world" && e.stage)).toEqual([
    "warmup",
    "countdown",
    "round",
  ]);
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

/** The next host, promoted at 1,000 ms from `old`'s world and waiting for `players`' handover. */
function promote(
  old: WorldHost,
  players: readonly string[],
  { selfId = "next", epoch = 2 } = {},
): WorldHost {
  const next = WorldHost.continueFrom(
    old.world,
    { selfId, epoch, config, random: seeded(4) },
    1_000,
    0,
    [...players],
  );
  next.tick(1_000, new TouchLog());
  return next;
}

describe("the host deciding claims", () => {
  it("gives a contested pickup to the first valid claim and nobody else", () => {
    const host = startHost();
    const pickup = firstActive(host);
    const log = touching(host, pickup, "alice", "bob");
    host.enqueueClaim("bob", { pickupId: pickup.id }, 100);
    host.enqueueClaim("alice", { pickupId: pickup.id }, 101);
    const out = host.tick(110, log, 77);
    const version = host.world.stamp.version;
    expect(out).toEqual([
      {
        to: "all",
        event: {
          type: "pickup-claimed",
          hostEpoch: 1,
          version: version - 1,
          tick: 77,
          pickupId: pickup.id,
          by: "bob",
        },
      },
      {
        to: "all",
        event: {
          type: "score",
          hostEpoch: 1,
          version,
          tick: 77,
          peerId: "bob",
          score: 1,
          total: 1,
        },
      },
      {
        to: "peer",
        peerId: "alice",
        event: { type: "claim-rejected", hostEpoch: 1, pickupId: pickup.id, reason: "taken" },
      },
    ]);
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
    host.enqueueClaim("bob", { pickupId: pickup.id }, 100);
    host.tick(100, log);
    host.enqueueClaim("bob", { pickupId: pickup.id }, 150);
    expect(events(host.tick(150, log))).toEqual([
      { type: "claim-rejected", hostEpoch: 1, pickupId: pickup.id, reason: "taken" },
    ]);
    // After the respawn the old id is gone for good: a very late claim of it is unknown.
    host.tick(100 + config.respawnMs, log);
    host.enqueueClaim("bob", { pickupId: pickup.id }, 2_000);
    expect(
      events(host.tick(2_000, log)).map((e) => e.type === "claim-rejected" && e.reason),
    ).toEqual(["unknown"]);
    expect(scoreOf(host.world, "bob")).toBe(1);
    expect(host.decisions.map((d) => d.outcome)).toEqual(["awarded", "taken", "unknown"]);
  });

  it("rejects ids it never handed out and claims by players it never saw at the pickup", () => {
    const host = startHost();
    const pickup = firstActive(host);
    host.enqueueClaim("bob", { pickupId: 0xffff }, 10);
    host.enqueueClaim("carol", { pickupId: pickup.id }, 10);
    const log = touching(host, pickup, "bob");
    expect(host.tick(10, log)).toEqual([
      {
        to: "peer",
        peerId: "bob",
        event: { type: "claim-rejected", hostEpoch: 1, pickupId: 0xffff, reason: "unknown" },
      },
    ]);
    // Carol's claim waits a moment for our view of her to reach the pickup, then is refused.
    expect(host.tick(10 + config.claimWaitMs - 1, log)).toEqual([]);
    expect(host.tick(10 + config.claimWaitMs, log)).toEqual([
      {
        to: "peer",
        peerId: "carol",
        event: { type: "claim-rejected", hostEpoch: 1, pickupId: pickup.id, reason: "not-touched" },
      },
    ]);
    expect(host.decisions.map((d) => d.outcome)).toEqual(["unknown", "not-touched"]);
    expect(host.world.pickups.find((p) => p.id === pickup.id)?.active).toBe(true);
  });

  it("grants a claim that outran the host's view of the claimant once the view catches up", () => {
    const host = startHost();
    const pickup = firstActive(host);
    host.enqueueClaim("carol", { pickupId: pickup.id }, 10);
    expect(host.tick(10, new TouchLog())).toEqual([]);
    const out = host.tick(200, touching(host, pickup, "carol"));
    expect(events(out).map((e) => e.type)).toEqual(["pickup-claimed", "score"]);
    expect(host.decisions.map((d) => d.outcome)).toEqual(["awarded"]);
  });

  it("puts a grant re-sent from an earlier host before a fresh claim of the same pickup", () => {
    const old = startHost(1, 3);
    const pickup = firstActive(old);
    const next = promote(old, ["alice", "bob"]);
    next.handoverDone("alice", 2, [], 1_005);
    const log = touching(next, pickup, "alice", "bob");
    // Alice touches it now; bob's claim comes later, saying the host of epoch 1 granted it.
    next.enqueueClaim("alice", { pickupId: pickup.id }, 1_010);
    expect(next.tick(1_010, log)).toEqual([]);
    next.handoverDone("bob", 2, [{ pickupId: pickup.id, grantedInEpoch: 1 }], 1_100);
    const out = events(next.tick(1_100, log));
    expect(out.map((e) => e.type)).toEqual(["pickup-claimed", "score", "claim-rejected"]);
    expect(out[0]).toMatchObject({ by: "bob", hostEpoch: 2 });
    expect(out[2]).toMatchObject({ reason: "taken" });
    // Once everyone has handed over, fresh claims go in arrival order again.
    const other = firstActive(next);
    next.enqueueClaim("alice", { pickupId: other.id }, 1_600);
    const later = events(next.tick(1_600, touching(next, other, "alice")));
    expect(later.map((e) => e.type)).toEqual(["pickup-claimed", "score"]);
  });

  it("takes a handed-over grant as a fresh claim unless an epoch it inherited from made it", () => {
    // Carol's world came from the host of epoch 2; she is host of epoch 4, waiting for bob.
    const old = startHost(2, 3);
    const [first, second, third] = old.world.pickups;
    if (first === undefined || second === undefined || third === undefined) {
      throw new Error("three pickups expected");
    }
    const next = promote(old, ["bob", "dave"], { selfId: "carol", epoch: 4 });
    const log = new TouchLog();
    log.record(
      next.world.pickups,
      [first, second, third].flatMap((p) => [
        { id: "alice", x: p.x, y: p.y },
        { id: "bob", x: p.x, y: p.y },
      ]),
      reach,
    );
    // Alice claims all three first; bob then hands over "grants" from epochs 1 (before the
    // world carol inherited), 4 (her own) and 3 (between: the only one she can take).
    for (const p of [first, second, third]) next.enqueueClaim("alice", { pickupId: p.id }, 1_010);
    next.handoverDone(
      "bob",
      4,
      [
        { pickupId: first.id, grantedInEpoch: 1 },
        { pickupId: second.id, grantedInEpoch: 4 },
        { pickupId: third.id, grantedInEpoch: 3 },
      ],
      1_020,
    );
    // Still waiting for dave: nothing fresh is decided, the trusted grant is.
    const out = events(next.tick(1_030, log));
    expect(out.filter((e) => e.type === "pickup-claimed")).toMatchObject([
      { pickupId: third.id, by: "bob" },
    ]);
    next.handoverDone("dave", 4, [], 1_040);
    const rest = events(next.tick(1_040, log)).filter((e) => e.type === "pickup-claimed");
    expect(rest).toMatchObject([
      { pickupId: first.id, by: "alice" },
      { pickupId: second.id, by: "alice" },
    ]);
    expect(next.counts).toMatchObject({ grantsTakenAsFresh: 2, unexpectedHandovers: 0 });
  });

  it("gives no fresh claim a pickup whose handed-over grant waits for the winner's touch", () => {
    const old = startHost(1, 3);
    const pickup = firstActive(old);
    const next = promote(old, ["bob"]);
    next.enqueueClaim("alice", { pickupId: pickup.id }, 1_010);
    next.handoverDone("bob", 2, [{ pickupId: pickup.id, grantedInEpoch: 1 }], 1_020);
    // Our view of bob has not reached the pickup yet; alice's is there.
    expect(next.tick(1_030, touching(next, pickup, "alice"))).toEqual([]);
    const out = events(next.tick(1_100, touching(next, pickup, "alice", "bob")));
    expect(out.map((e) => e.type)).toEqual(["pickup-claimed", "score", "claim-rejected"]);
    expect(out[0]).toMatchObject({ by: "bob" });
  });

  it("holds fresh claims of inherited pickups until every player has handed over, or the timeout", () => {
    const old = startHost(1, 3);
    const pickup = firstActive(old);
    const next = promote(old, ["bob"]);
    next.enqueueClaim("alice", { pickupId: pickup.id }, 1_010);
    const log = touching(next, pickup, "alice");
    // Bob's path to us is broken: he never hands over, so the hold lasts `handoverWaitMs`.
    expect(next.tick(1_000 + config.handoverWaitMs - 1, log)).toEqual([]);
    const out = events(next.tick(1_000 + config.handoverWaitMs, log));
    expect(out.map((e) => e.type)).toEqual(["pickup-claimed", "score"]);
    // A handover for another epoch, or from nobody we waited for, is counted and changes nothing.
    next.handoverDone("bob", 3, [], 3_100);
    next.handoverDone("mallory", 2, [], 3_100);
    expect(next.counts.unexpectedHandovers).toBe(2);
  });

  it("queues one claim per player and pickup, and only a few per player", () => {
    const host = startHost();
    const pickup = firstActive(host);
    for (let i = 0; i < 100; i++) host.enqueueClaim("bob", { pickupId: pickup.id }, 10);
    for (let id = 0; id < 40; id++) host.enqueueClaim("mallory", { pickupId: id }, 10);
    host.enqueueClaim("carol", { pickupId: pickup.id }, 10);
    host.tick(20, touching(host, pickup, "bob", "carol"));
    expect(host.decisions.filter((d) => d.by === "bob").map((d) => d.outcome)).toEqual(["awarded"]);
    expect(host.decisions.filter((d) => d.by === "mallory")).toHaveLength(16);
    // Other players' claims are not crowded out.
    expect(host.decisions.filter((d) => d.by === "carol").map((d) => d.outcome)).toEqual(["taken"]);
    expect(host.counts).toMatchObject({ duplicateClaims: 99, claimsOverCap: 24 });
  });

  it("respawns a claimed pickup after the delay with a new id, oldest claim first", () => {
    const host = startHost();
    const [first, second] = host.world.pickups;
    if (first === undefined || second === undefined) throw new Error("two pickups expected");
    host.enqueueClaim("bob", { pickupId: first.id }, 0);
    host.tick(0, touching(host, first, "bob"));
    host.enqueueClaim("bob", { pickupId: second.id }, 500);
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
        host.enqueueClaim("bob", { pickupId: pickup.id }, now);
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

  it("makes only events the wire format accepts, through a whole match", () => {
    const host = startHost();
    const pickup = firstActive(host);
    host.peerConnected("bob", 0);
    host.enqueueClaim("bob", { pickupId: pickup.id }, 5);
    const out = [
      ...host.tick(5, touching(host, pickup, "bob")),
      ...host.tick(9_000, new TouchLog()),
      // The round's results, then the podium.
      ...host.tick(config.roundMs, new TouchLog()),
      ...host.tick(config.roundMs + config.resultsMs, new TouchLog()),
    ];
    expect(host.world.match.stage).toBe("podium");
    expect(out.length).toBeGreaterThan(5);
    for (const { event } of out) expect(decodeWorldEvent(encodeWorldEvent(event))).toEqual(event);
  });
});

describe("claims between two sessions", () => {
  /**
   * A host and a player passing events straight to each other; the lobby is playing a match of
   * three rounds, so the host's first tick starts round 1.
   */
  function pair(): { host: WorldSession; player: WorldSession } {
    const host = new WorldSession({ config, random: seeded(7) });
    const player = new WorldSession({ config, random: seeded(8) });
    host.onLobbyPhase("playing", 3);
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
      { peerId: "p", score: 1, total: 1 },
      { peerId: "h", score: 0, total: 0 },
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

  it("asks again after a not-touched refusal while it still touches: the host may see it late", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 5 };
    deliver(player.tick(10, onIt, []), host, "p", 10);
    // The host has not drawn the player there yet (lost state packets, a slow background tab).
    const refusal = host.tick(10 + config.claimWaitMs, { x: 0, y: 0, tick: 0 }, []);
    expect(refusal).toEqual([
      {
        to: "peer",
        peerId: "p",
        event: { type: "claim-rejected", hostEpoch: 1, pickupId: pickup.id, reason: "not-touched" },
      },
    ]);
    deliver(refusal, player, "h", 600);
    expect(player.view(600).pendingClaims).toEqual([pickup.id]);
    expect(player.tick(10 + config.claimRetryMs - 1, onIt, [])).toEqual([]);
    const again = player.tick(10 + config.claimRetryMs, onIt, []);
    expect(again.map((m) => m.event)).toEqual([
      { type: "claim-pickup", pickupId: pickup.id, tick: 5 },
    ]);
    // Now the host sees the player on the pickup: the claim is granted.
    deliver(again, host, "p", 1_100);
    const award = host.tick(1_100, { x: 0, y: 0, tick: 0 }, [{ id: "p", ...onIt }]);
    expect(award.map((m) => m.event.type)).toEqual(["pickup-claimed", "score"]);
    deliver(award, player, "h", 1_110);
    expect(player.view(1_110).scores).toContainEqual({ peerId: "p", score: 1, total: 1 });
  });

  it("stops asking for a pickup at any other refusal, until a new round brings new ones", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 5 };
    expect(player.tick(10, onIt, [])).toHaveLength(1);
    player.onEvent(
      "h",
      { type: "claim-rejected", hostEpoch: 1, pickupId: pickup.id, reason: "no-seat" },
      20,
    );
    expect(player.view(20).pendingClaims).toEqual([]);
    for (let now = 20; now < 20 + 5 * config.claimRetryMs; now += 100) {
      expect(player.tick(now, onIt, [])).toEqual([]);
    }
    // The host ends the round; after its results the next one starts with new pickups.
    expect(host.endRound(6_000)).toBe(true);
    expect(player.endRound(6_000)).toBe(false);
    const next = 6_000 + config.resultsMs;
    deliver(host.tick(next, { x: 0, y: 0, tick: 0 }, []), player, "h", next);
    expect(player.view(next)).toMatchObject({ stage: "round", round: 2, scoring: true });
    const fresh = player.view(next).pickups[0];
    if (fresh === undefined) throw new Error("a new round brings pickups");
    expect(player.tick(next + 10, { x: fresh.x, y: fresh.y, tick: 9 }, [])).toHaveLength(1);
  });

  it("takes a refusal only from the current host in its epoch", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 5 };
    player.tick(0, onIt, []);
    const refusal = (hostEpoch: number): GameEvent => ({
      type: "claim-rejected",
      hostEpoch,
      pickupId: pickup.id,
      reason: "taken",
    });
    player.onEvent("x", refusal(1), 10);
    player.onEvent("h", refusal(2), 10);
    expect(player.view(10).pendingClaims).toEqual([pickup.id]);
    expect(player.tick(config.claimRetryMs, onIt, [])).toHaveLength(1);
    player.onEvent("h", refusal(1), config.claimRetryMs);
    expect(player.view(config.claimRetryMs).pendingClaims).toEqual([]);
  });

  it("keeps a win when a refusal of a repeat crosses the award", () => {
    const { host, player } = pair();
    deliver(host.tick(0, { x: 0, y: 0, tick: 0 }, []), player, "h", 0);
    const pickup = player.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the player should see pickups");
    const onIt = { x: pickup.x, y: pickup.y, tick: 5 };
    deliver(player.tick(0, onIt, []), host, "p", 10);
    const award = host.tick(10, { x: 0, y: 0, tick: 0 }, [{ id: "p", ...onIt }]);
    // The player asks again before the award reaches it; the host refuses the repeat.
    const repeat = player.tick(config.claimRetryMs, onIt, []);
    deliver(repeat, host, "p", config.claimRetryMs);
    const refusal = host.tick(config.claimRetryMs, { x: 0, y: 0, tick: 0 }, [{ id: "p", ...onIt }]);
    expect(refusal.map((m) => m.event)).toMatchObject([
      { type: "claim-rejected", reason: "taken" },
    ]);
    deliver([...award, ...refusal], player, "h", config.claimRetryMs + 10);
    expect(player.view(config.claimRetryMs + 10).scores).toContainEqual({
      peerId: "p",
      score: 1,
      total: 1,
    });
    // Still a win: a host that takes over without having heard of it gets it handed over.
    const hostWorld = host.world;
    if (hostWorld === null) throw new Error("the host has a world");
    const next = { ...snapshotOf(hostWorld, 1_100, 0), hostEpoch: 2, version: 1 };
    const lostAward = {
      ...next,
      pickups: next.pickups.map((p) => (p.id === pickup.id ? { ...p, active: true } : p)),
      scores: next.scores.map((line) => ({ ...line, score: 0, total: 0 })),
    };
    player.onHostChanged("n", 2, "p", 1_100);
    player.onEvent("n", lostAward, 1_110);
    expect(player.tick(1_120, { x: 0, y: 0, tick: 6 }, []).map((m) => m.event)).toEqual([
      { type: "handover-done", hostEpoch: 2, grants: [{ pickupId: pickup.id, grantedInEpoch: 1 }] },
    ]);
  });

  it("keeps a win in its ledger whatever refusal follows", () => {
    const ledger = new ClaimLedger(config);
    const world = {
      stamp: { epoch: 1, version: 1 },
      pickups: [{ id: 7, x: 100, y: 100, value: 1, active: true }],
      scores: [],
      match: { stage: "round", round: 1, rounds: 3, endsAtMs: 60_000 },
    } satisfies WorldState;
    expect(ledger.touches(world, { x: 100, y: 100, tick: 1 }, 0)).toHaveLength(1);
    ledger.claimed(7, "p", "p", 1);
    for (const reason of CLAIM_REJECTIONS) {
      ledger.rejected(7, reason);
      expect(ledger.status(7)).toBe("won");
    }
  });

  it("learns whose a taken pickup was from a snapshot that overtook the award", () => {
    const ledger = new ClaimLedger(config);
    const open = {
      stamp: { epoch: 1, version: 1 },
      pickups: [
        { id: 7, x: 100, y: 100, value: 1, active: true },
        { id: 8, x: 300, y: 100, value: 1, active: true },
        { id: 9, x: 500, y: 100, value: 1, active: true },
      ],
      scores: [],
      match: { stage: "round", round: 1, rounds: 3, endsAtMs: 60_000 },
    } satisfies WorldState;
    for (const x of [100, 300, 500]) ledger.touches(open, { x, y: 100, tick: 1 }, 0);
    const taken = {
      ...open,
      stamp: { epoch: 1, version: 4 },
      pickups: [
        { id: 7, x: 100, y: 100, value: 1, active: false, takenBy: "p" },
        { id: 8, x: 300, y: 100, value: 1, active: false, takenBy: "q" },
        { id: 9, x: 500, y: 100, value: 1, active: false },
      ],
    };
    ledger.world(taken, "p");
    expect([7, 8, 9].map((id) => ledger.status(id))).toEqual(["won", "lost", "settled"]);
    // A next host that never heard of the award gets it handed over; the unknown one is asked
    // for again.
    const next = { ...open, stamp: { epoch: 2, version: 5 } };
    expect(ledger.handover(next, 2, 100)).toEqual({
      claims: [{ pickupId: 9, tick: 1 }],
      grants: [{ pickupId: 7, grantedInEpoch: 1 }],
    });
  });

  it("lets the host claim for itself through the same rule", () => {
    const { host } = pair();
    host.tick(0, { x: 0, y: 0, tick: 0 }, []);
    const pickup = host.view(0).pickups[0];
    if (pickup === undefined) throw new Error("the host should see pickups");
    const out = host.tick(10, { x: pickup.x, y: pickup.y, tick: 1 }, []);
    expect(events(out).map((e) => e.type)).toEqual(["pickup-claimed", "score"]);
    expect(host.view(10).scores[0]).toEqual({ peerId: "h", score: 1, total: 1 });
    expect(host.decisions.map((d) => d.outcome)).toEqual(["awarded"]);
  });
});
