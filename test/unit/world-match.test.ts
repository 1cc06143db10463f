/**
 * The match the host runs: the warm-up, a countdown before each round, the rounds, their
 * results and the podium; who moves it (time, the host's commands, the lobby's phase); which
 * claims score; what replicas see of it; and stars, worth their value everywhere.
 */

import { DEFAULT_ROUNDS, MAX_ROUNDS } from "edgeplay/protocol";
import { describe, expect, it } from "vitest";
import type { GameEvent } from "../../game/world/events-wire.ts";
import type { Outgoing } from "../../game/world/outgoing.ts";
import type { PlacedAvatar } from "../../game/world/overlap.ts";
import { TouchLog } from "../../game/world/touch-log.ts";
import { type WorldConfig, worldConfig } from "../../game/world/world-config.ts";
import { WorldHost } from "../../game/world/world-host.ts";
import { WorldSession } from "../../game/world/world-session.ts";
import { scoreLineOf, type WorldEvent } from "../../game/world/world-state.ts";
import { decodeWorldEvent, encodeWorldEvent } from "./world-wire.ts";

/**
 * A match of two rounds started at 1 s runs: countdown 1-4 s, round 1 4-14 s, results 14-18 s,
 * countdown 18-21 s, round 2 21-31 s, results 31-35 s, then the podium. Stars are off here
 * (every pickup is worth 1) except where a test turns them on.
 */
const config = worldConfig({
  pickupCount: 4,
  respawnMs: 1_000,
  countdownMs: 3_000,
  roundMs: 10_000,
  resultsMs: 4_000,
  starChance: 0,
  snapshotIntervalMs: 60_000,
});
const ROUND_1 = { startsAt: 4_000, endsAt: 14_000 };
const ROUND_2 = { startsAt: 21_000, endsAt: 31_000 };
const PODIUM_AT = 35_000;

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

/** A first host in its warm-up, its opening world already sent. */
function newHost(c: WorldConfig = config): WorldHost {
  const host = WorldHost.startFresh({ selfId: "h", epoch: 1, config: c, random: seeded(1) }, 0);
  host.takeOutgoing();
  return host;
}

/** A host in round 1 of a two-round match started at 1 s. */
function inRound1(): WorldHost {
  const host = newHost();
  host.startMatch(2, 1_000);
  host.tick(ROUND_1.startsAt, new TouchLog());
  expect(host.world.match).toMatchObject({ stage: "round", round: 1 });
  return host;
}

const events = (out: readonly Outgoing[]): GameEvent[] => out.map((message) => message.event);

function worlds(out: readonly Outgoing[]): WorldEvent[] {
  return out.flatMap((message) => (message.event.type === "world" ? [message.event] : []));
}

const idsOf = (host: WorldHost): number[] => host.world.pickups.map((pickup) => pickup.id);

/** `bob` standing on active pickup `index` in the host's eyes, and his claim of it at `nowMs`. */
function claim(host: WorldHost, index: number, nowMs: number): TouchLog {
  const pickup = host.world.pickups.filter((p) => p.active)[index];
  if (pickup === undefined) throw new Error(`no active pickup ${index}`);
  const log = new TouchLog();
  log.record(host.world.pickups, [{ id: "bob", x: pickup.x, y: pickup.y }], 100);
  host.enqueueClaim("bob", { pickupId: pickup.id }, nowMs);
  return log;
}

describe("the match on the host", () => {
  it("starts in the warm-up: pickups to roam over, but every claim is refused no-round", () => {
    const host = newHost();
    expect(host.world.match).toEqual({
      stage: "warmup",
      round: 0,
      rounds: DEFAULT_ROUNDS,
      endsAtMs: null,
    });
    expect(host.world.pickups).toHaveLength(config.pickupCount);
    const pickupId = host.world.pickups[0]?.id;
    expect(events(host.tick(500, claim(host, 0, 500)))).toEqual([
      { type: "claim-rejected", hostEpoch: 1, pickupId, reason: "no-round" },
    ]);
    expect(host.world.scores).toEqual([{ peerId: "h", score: 0, total: 0 }]);
    // It lasts until the lobby starts a match, however long that takes.
    host.tick(500_000, new TouchLog());
    expect(host.world.match.stage).toBe("warmup");
  });

  it("starts a match with a countdown, then round 1 from zero with new pickups", () => {
    const host = newHost();
    const warmupIds = idsOf(host);
    host.startMatch(2, 1_000);
    expect(worlds(host.takeOutgoing())).toMatchObject([
      { stage: "countdown", round: 1, rounds: 2, stageRemainingMs: config.countdownMs },
    ]);
    // Nothing scores in the countdown either.
    expect(events(host.tick(2_000, claim(host, 0, 2_000)))).toMatchObject([
      { type: "claim-rejected", reason: "no-round" },
    ]);
    expect(worlds(host.tick(ROUND_1.startsAt - 1, new TouchLog()))).toEqual([]);
    const before = host.world.stamp.version;
    const [round] = worlds(host.tick(ROUND_1.startsAt, new TouchLog()));
    // A change of stage is a change replicas must not miss: one new version.
    expect(round).toMatchObject({
      stage: "round",
      round: 1,
      rounds: 2,
      stageRemainingMs: config.roundMs,
      version: before + 1,
    });
    expect(round?.pickups).toHaveLength(config.pickupCount);
    expect(round?.pickups.filter((p) => warmupIds.includes(p.id))).toEqual([]);
    expect(round?.scores).toEqual([{ peerId: "h", score: 0, total: 0 }]);
  });

  it("plays a match of the lobby's rounds, within what the wire carries", () => {
    const host = newHost();
    host.startMatch(0, 0);
    expect(host.world.match.rounds).toBe(1);
    host.startMatch(MAX_ROUNDS + 5, 0);
    expect(host.world.match.rounds).toBe(MAX_ROUNDS);
  });

  it("ends a round on time: a claim in before the end counts, even decided after; later ones do not", () => {
    const host = inRound1();
    // Arrived 10 ms before the end, decided at the first tick after it, which ends the round.
    const out = host.tick(ROUND_1.endsAt + 10, claim(host, 0, ROUND_1.endsAt - 10));
    expect(events(out).map((e) => e.type)).toEqual(["pickup-claimed", "score", "world"]);
    // The results started when the round was due to end, not at this late tick.
    expect(worlds(out)).toMatchObject([
      { stage: "results", round: 1, stageRemainingMs: config.resultsMs - 10 },
    ]);
    expect(scoreLineOf(host.world, "bob")).toEqual({ peerId: "bob", score: 1, total: 1 });
    const frozen = host.world;
    expect(events(host.tick(ROUND_1.endsAt + 20, claim(host, 0, ROUND_1.endsAt)))).toMatchObject([
      { type: "claim-rejected", reason: "no-round" },
    ]);
    // Nothing respawns and nothing scores in the results.
    host.tick(ROUND_1.endsAt + config.resultsMs - 1, new TouchLog());
    expect(host.world.pickups).toEqual(frozen.pickups);
    expect(host.world.scores).toEqual(frozen.scores);
  });

  it("counts a next round from zero after the results, keeping the match's totals", () => {
    const host = inRound1();
    host.tick(5_000, claim(host, 0, 5_000));
    const round1Ids = idsOf(host);
    host.tick(ROUND_1.endsAt, new TouchLog());
    const countdownAt = ROUND_1.endsAt + config.resultsMs;
    expect(worlds(host.tick(countdownAt, new TouchLog()))).toMatchObject([
      { stage: "countdown", round: 2, stageRemainingMs: config.countdownMs },
    ]);
    // The countdown still shows round 1's pickups; round 2 brings new ones.
    expect(idsOf(host)).toEqual(round1Ids);
    const [round2] = worlds(host.tick(ROUND_2.startsAt, new TouchLog()));
    expect(round2).toMatchObject({ stage: "round", round: 2, stageRemainingMs: config.roundMs });
    expect(round2?.scores).toEqual([
      { peerId: "h", score: 0, total: 0 },
      { peerId: "bob", score: 0, total: 1 },
    ]);
    expect(round2?.pickups.filter((p) => round1Ids.includes(p.id))).toEqual([]);
    // A claim of an old round's id is unknown, never a point in the new round.
    const stale = round1Ids[0] ?? -1;
    host.enqueueClaim("bob", { pickupId: stale }, ROUND_2.startsAt + 100);
    host.tick(ROUND_2.startsAt + 100, new TouchLog());
    expect(host.decisions.at(-1)).toMatchObject({ pickupId: stale, outcome: "unknown" });
    host.tick(ROUND_2.startsAt + 200, claim(host, 0, ROUND_2.startsAt + 200));
    expect(scoreLineOf(host.world, "bob")).toEqual({ peerId: "bob", score: 1, total: 2 });
  });

  it("goes to the podium after the last round's results, and stays there", () => {
    const host = inRound1();
    host.tick(5_000, claim(host, 0, 5_000));
    for (const at of [ROUND_1.endsAt, 18_000, ROUND_2.startsAt, ROUND_2.endsAt]) {
      host.tick(at, new TouchLog());
    }
    expect(host.world.match).toMatchObject({ stage: "results", round: 2 });
    expect(worlds(host.tick(PODIUM_AT, new TouchLog()))).toMatchObject([
      { stage: "podium", round: 2, rounds: 2, stageRemainingMs: null },
    ]);
    expect(scoreLineOf(host.world, "bob")).toEqual({ peerId: "bob", score: 0, total: 1 });
    host.tick(PODIUM_AT + 500_000, new TouchLog());
    expect(host.world.match).toEqual({ stage: "podium", round: 2, rounds: 2, endsAtMs: null });
  });

  it("keeps everyone's schedule when its ticks come late: each stage starts when the last was due", () => {
    const host = inRound1();
    const version = host.world.stamp.version;
    // Asleep (a background tab) from round 1 into round 2's countdown... and past it.
    host.tick(ROUND_2.startsAt + 500, new TouchLog());
    expect(host.world.match).toEqual({
      stage: "round",
      round: 2,
      rounds: 2,
      endsAtMs: ROUND_2.endsAt,
    });
    // Results, countdown and round: one version each.
    expect(host.world.stamp.version).toBe(version + 3);
    host.tick(PODIUM_AT + 60_000, new TouchLog());
    expect(host.world.match.stage).toBe("podium");
  });

  it("ends the running round on the host's command: results now, claims in before it count", () => {
    const host = inRound1();
    const log = claim(host, 0, 7_990);
    host.endRound(8_000);
    expect(worlds(host.takeOutgoing())).toMatchObject([
      { stage: "results", round: 1, stageRemainingMs: config.resultsMs },
    ]);
    host.tick(8_010, log);
    expect(scoreLineOf(host.world, "bob")).toMatchObject({ score: 1, total: 1 });
    expect(events(host.tick(8_020, claim(host, 0, 8_005)))).toMatchObject([
      { type: "claim-rejected", reason: "no-round" },
    ]);
    // The next countdown follows the shortened results.
    host.tick(8_000 + config.resultsMs, new TouchLog());
    expect(host.world.match).toMatchObject({ stage: "countdown", round: 2 });
    // Outside a round the command changes nothing.
    const version = host.world.stamp.version;
    host.endRound(9_000);
    expect(host.world.stamp.version).toBe(version);
  });

  it("goes to the podium when the lobby ends the match, counting claims in before it", () => {
    const host = inRound1();
    const log = claim(host, 0, 7_990);
    host.endMatch(8_000);
    expect(worlds(host.takeOutgoing())).toMatchObject([
      { stage: "podium", round: 1, rounds: 2, stageRemainingMs: null },
    ]);
    host.tick(8_010, log);
    expect(scoreLineOf(host.world, "bob")).toMatchObject({ score: 1, total: 1 });
    expect(events(host.tick(8_020, claim(host, 0, 8_005)))).toMatchObject([
      { type: "claim-rejected", reason: "no-round" },
    ]);
    // From the warm-up there is no match to end.
    const warm = newHost();
    const version = warm.world.stamp.version;
    warm.endMatch(100);
    expect(warm.world).toMatchObject({ match: { stage: "warmup" }, stamp: { version } });
  });

  it("clears everything when it goes back to the warm-up: stage, points, pickups and queued claims", () => {
    const host = inRound1();
    host.tick(5_000, claim(host, 0, 5_000));
    const matchIds = idsOf(host);
    // Bob's claim waits for our view of him; the warm-up comes first.
    host.enqueueClaim("bob", { pickupId: matchIds[0] ?? -1 }, 6_000);
    host.warmUp(6_010);
    expect(host.world.match).toEqual({ stage: "warmup", round: 0, rounds: 2, endsAtMs: null });
    expect(host.world.scores).toEqual([
      { peerId: "h", score: 0, total: 0 },
      { peerId: "bob", score: 0, total: 0 },
    ]);
    expect(idsOf(host).filter((id) => matchIds.includes(id))).toEqual([]);
    expect(host.decisions.at(-1)).toMatchObject({ by: "bob", outcome: "no-round" });
  });

  it("makes only events the wire accepts, in every stage", () => {
    const host = inRound1();
    host.peerConnected("bob", 5_000);
    const out = [...host.takeOutgoing(), ...host.tick(5_000, claim(host, 0, 5_000))];
    for (const at of [ROUND_1.endsAt, 18_000, ROUND_2.startsAt, ROUND_2.endsAt, PODIUM_AT]) {
      out.push(...host.tick(at, new TouchLog()));
    }
    host.warmUp(PODIUM_AT + 1);
    out.push(...host.takeOutgoing());
    const stages = new Set(worlds(out).map((world) => world.stage));
    expect([...stages].sort()).toEqual(["countdown", "podium", "results", "round", "warmup"]);
    for (const { event } of out) expect(decodeWorldEvent(encodeWorldEvent(event))).toEqual(event);
  });
});

describe("the match following the lobby", () => {
  const aside = { x: 20, y: 20, tick: 0 };

  function hostSession(): WorldSession {
    const session = new WorldSession({ config, random: seeded(3) });
    session.onHostChanged("h", 1, "h", 0);
    session.tick(0, aside, []);
    return session;
  }

  it("runs the host's match as the lobby's phase says, and says when the lobby should finish", () => {
    const host = hostSession();
    host.onLobbyPhase("waiting", 2);
    host.tick(100, aside, []);
    expect(host.view(100)).toMatchObject({ stage: "warmup", round: 0, scoring: false });
    expect(host.lobbyPhaseWanted).toBeNull();

    host.onLobbyPhase("playing", 2);
    host.tick(1_000, aside, []);
    expect(host.view(1_000)).toMatchObject({
      stage: "countdown",
      round: 1,
      rounds: 2,
      stageRemainingMs: config.countdownMs,
    });
    host.tick(ROUND_1.startsAt, aside, []);
    expect(host.view(ROUND_1.startsAt)).toMatchObject({ stage: "round", scoring: true });
    for (const at of [ROUND_1.endsAt, 18_000, ROUND_2.startsAt, ROUND_2.endsAt]) {
      host.tick(at, aside, []);
      expect(host.lobbyPhaseWanted).toBeNull();
    }
    host.tick(PODIUM_AT, aside, []);
    // The match is over while the lobby still says playing: the lobby is behind.
    expect(host.view(PODIUM_AT).stage).toBe("podium");
    expect(host.lobbyPhaseWanted).toBe("finished");
    host.tick(PODIUM_AT + 10, aside, []);
    expect(host.view(PODIUM_AT + 10).stage).toBe("podium");
    host.onLobbyPhase("finished", 2);
    expect(host.lobbyPhaseWanted).toBeNull();

    // Play again: the lobby reopens (warm-up, points cleared), then starts a match of one.
    host.onLobbyPhase("waiting", 1);
    host.tick(40_000, aside, []);
    expect(host.view(40_000)).toMatchObject({ stage: "warmup", round: 0 });
    expect(host.view(40_000).standings.every((line) => line.total === 0)).toBe(true);
    host.onLobbyPhase("playing", 1);
    host.tick(41_000, aside, []);
    expect(host.view(41_000)).toMatchObject({ stage: "countdown", round: 1, rounds: 1 });
    // The lobby ends the match early: straight to the podium.
    host.onLobbyPhase("finished", 1);
    host.tick(45_000, aside, []);
    expect(host.view(45_000)).toMatchObject({ stage: "podium", round: 1 });
    expect(host.lobbyPhaseWanted).toBeNull();
  });

  it("leaves a player's world to the host, whatever the lobby says", () => {
    const player = new WorldSession({ config, random: seeded(4) });
    player.onHostChanged("h", 1, "p", 0);
    player.onLobbyPhase("playing", 2);
    expect(player.tick(100, aside, [])).toEqual([]);
    expect(player.view(100)).toMatchObject({ ready: false, stage: "warmup", rounds: 2 });
    expect(player.lobbyPhaseWanted).toBeNull();
    expect(player.endRound(100)).toBe(false);
  });

  it("has a player claim nothing outside a round, and claim at once when one starts", () => {
    const host = hostSession();
    const player = new WorldSession({ config, random: seeded(4) });
    player.onHostChanged("h", 1, "p", 0);
    host.onPeerConnected("p", 0);
    const pass = (now: number): void => {
      for (const { event } of host.tick(now, aside, [])) player.onEvent("h", event, now);
    };
    pass(100);
    const warmupPickup = player.view(100).pickups[0];
    if (warmupPickup === undefined) throw new Error("the warm-up has pickups");
    expect(player.tick(200, { ...warmupPickup, tick: 1 }, [])).toEqual([]);
    expect(player.view(200).scoring).toBe(false);

    host.onLobbyPhase("playing", 2);
    pass(1_000);
    const countdownPickup = player.view(1_000).pickups[0];
    if (countdownPickup === undefined) throw new Error("the countdown shows pickups");
    expect(player.tick(1_100, { ...countdownPickup, tick: 2 }, [])).toEqual([]);
    pass(ROUND_1.startsAt);
    const roundPickup = player.view(ROUND_1.startsAt).pickups[0];
    if (roundPickup === undefined) throw new Error("the round has pickups");
    expect(player.tick(ROUND_1.startsAt + 10, { ...roundPickup, tick: 3 }, [])).toMatchObject([
      { to: "peer", peerId: "h", event: { type: "claim-pickup", pickupId: roundPickup.id } },
    ]);
  });
});

describe("the match on a replica", () => {
  const aside = { x: 20, y: 20, tick: 0 };

  it("puts each stage's end on the replica's own clock, less the trip", () => {
    const host = new WorldSession({ config, random: seeded(5) });
    const player = new WorldSession({ config, random: seeded(6) });
    host.onLobbyPhase("playing", 2);
    host.onHostChanged("h", 1, "h", 0);
    // The player's clock reads 1,000,000 ms more than the host's, and each trip takes 40 ms.
    const offset = 1_000_000;
    player.onHostChanged("h", 1, "p", offset);
    host.onPeerConnected("p", 0);
    const pass = (hostNow: number): void => {
      for (const { event } of host.tick(hostNow, aside, [])) {
        player.onEvent("h", event, hostNow + offset + 40, 40);
      }
    };
    pass(1_000);
    // The countdown started at the host's 1 s: 3 s long.
    expect(player.view(offset + 1_040)).toMatchObject({
      stage: "countdown",
      round: 1,
      rounds: 2,
      stageRemainingMs: config.countdownMs - 40,
      scoring: false,
    });
    pass(ROUND_1.startsAt);
    expect(player.view(offset + ROUND_1.startsAt + 40)).toMatchObject({
      stage: "round",
      stageRemainingMs: config.roundMs - 40,
      scoring: true,
    });
    // It sees the round end on its own clock without waiting for the host's news.
    expect(player.view(offset + ROUND_1.endsAt - 1).scoring).toBe(true);
    expect(player.view(offset + ROUND_1.endsAt)).toMatchObject({
      stage: "round",
      stageRemainingMs: 0,
      scoring: false,
    });
    pass(ROUND_1.endsAt);
    expect(player.view(offset + ROUND_1.endsAt + 40)).toMatchObject({
      stage: "results",
      stageRemainingMs: config.resultsMs - 40,
    });
    expect(player.view(offset + ROUND_1.endsAt + 2_000).stageRemainingMs).toBe(
      config.resultsMs - 2_000,
    );
  });

  it("counts a star at its value on every replica, even one that missed the score line", () => {
    const starry = { ...config, starChance: 0.5 };
    const sessions = {
      h: new WorldSession({ config: starry, random: seeded(3) }),
      p: new WorldSession({ config: starry, random: seeded(8) }),
      q: new WorldSession({ config: starry, random: seeded(9) }),
    };
    sessions.h.onLobbyPhase("playing", 2);
    for (const id of ["h", "p", "q"] as const) sessions[id].onHostChanged("h", 1, id, 0);
    sessions.h.onPeerConnected("p", 0);
    sessions.h.onPeerConnected("q", 0);
    /** Everything goes to p at once; q's share waits, to lose one packet of it. */
    const toQ: GameEvent[] = [];
    const pass = (out: readonly Outgoing[], now: number): void => {
      for (const message of out) {
        if (message.to === "all" || message.peerId === "p") {
          sessions.p.onEvent("h", message.event, now);
        }
        if (message.to === "all" || message.peerId === "q") toQ.push(message.event);
      }
    };
    pass(sessions.h.tick(1_000, aside, []), 1_000);
    pass(sessions.h.tick(ROUND_1.startsAt, aside, []), ROUND_1.startsAt);
    const pickups = sessions.p.view(ROUND_1.startsAt).pickups;
    const star = pickups.find((p) => p.value === starry.starValue);
    const plain = pickups.find((p) => p.value === 1);
    if (star === undefined || plain === undefined)
      throw new Error("seeded: a star and a plain one");

    let now = ROUND_1.startsAt;
    for (const pickup of [star, plain]) {
      now += 100;
      const onIt = { x: pickup.x, y: pickup.y, tick: now };
      for (const { event } of sessions.p.tick(now, onIt, [])) sessions.h.onEvent("p", event, now);
      pass(sessions.h.tick(now, aside, [{ id: "p", ...onIt }]), now);
    }
    // q misses the last score line: the award before it carried the points.
    const lastScore = toQ.findLastIndex((event) => event.type === "score");
    expect(toQ[lastScore - 1]?.type).toBe("pickup-claimed");
    for (const event of toQ.filter((_, i) => i !== lastScore)) sessions.q.onEvent("h", event, now);
    const expected = [
      { peerId: "p", score: starry.starValue + 1, total: starry.starValue + 1 },
      { peerId: "h", score: 0, total: 0 },
      { peerId: "q", score: 0, total: 0 },
    ];
    for (const id of ["h", "p", "q"] as const)
      expect(sessions[id].view(now).scores).toEqual(expected);
    expect(sessions.q.view(now).awards.map(({ by, value }) => [by, value])).toEqual([
      ["p", starry.starValue],
      ["p", 1],
    ]);
  });
});

describe("the match across a change of host", () => {
  type Name = "alice" | "bob";
  const aside = { x: 20, y: 20, tick: 0 };

  /** Alice hosts a two-round match; bob follows every event, each trip taking 30 ms. */
  function lobby(): Record<Name, WorldSession> {
    const s = {
      alice: new WorldSession({ config, random: seeded(11) }),
      bob: new WorldSession({ config, random: seeded(12) }),
    };
    s.alice.onLobbyPhase("playing", 2);
    s.bob.onLobbyPhase("playing", 2);
    s.alice.onHostChanged("alice", 1, "alice", 0);
    s.bob.onHostChanged("alice", 1, "bob", 0);
    s.alice.onPeerConnected("bob", 0);
    s.bob.onPeerConnected("alice", 0);
    return s;
  }

  /** Alice's tick (standing `onIt`, seeing `others`), and bob hearing it 30 ms later. */
  function aliceTicks(
    s: Record<Name, WorldSession>,
    now: number,
    onIt = aside,
    others: PlacedAvatar[] = [],
  ): void {
    for (const { event } of s.alice.tick(now, onIt, others)) {
      s.bob.onEvent("alice", event, now + 30, 30);
    }
  }

  it.each([
    ["countdown", 2_000, { stage: "countdown", round: 1 }, ROUND_1.startsAt],
    ["round", 9_000, { stage: "round", round: 1 }, ROUND_1.endsAt],
    ["results", 15_000, { stage: "results", round: 1 }, 18_000],
  ] as const)(
    "carries on a match's %s: same stage and round, ending when the old host's would",
    (_stage, leaveAt, match, endsAt) => {
      const s = lobby();
      aliceTicks(s, 1_000);
      aliceTicks(s, leaveAt - 100);
      s.bob.onPeerLeft("alice", leaveAt);
      s.bob.onHostChanged("bob", 2, "bob", leaveAt);
      expect(s.bob.view(leaveAt)).toMatchObject({ isHost: true, ...match });
      // The old host's end: it said how long was left, and bob knew the 30 ms trip.
      expect(s.bob.world?.match.endsAtMs).toBe(endsAt);
      s.bob.tick(endsAt - 1, aside, []);
      expect(s.bob.view(endsAt - 1)).toMatchObject(match);
      s.bob.tick(endsAt, aside, []);
      expect(s.bob.view(endsAt).stage).not.toBe(match.stage);
      expect(s.bob.lobbyPhaseWanted).toBeNull();
    },
  );

  it("keeps a match's totals through a change of host in the results, into the next round", () => {
    const s = lobby();
    aliceTicks(s, 1_000);
    aliceTicks(s, ROUND_1.startsAt);
    const [first, second] = s.bob.view(ROUND_1.startsAt).pickups;
    if (first === undefined || second === undefined) throw new Error("round 1 has pickups");
    // Bob takes one pickup, alice another.
    const bobOn = { x: first.x, y: first.y, tick: 1 };
    for (const { event } of s.bob.tick(5_000, bobOn, [])) s.alice.onEvent("bob", event, 5_000);
    aliceTicks(s, 5_000, { ...second, tick: 1 }, [{ id: "bob", ...bobOn }]);
    aliceTicks(s, ROUND_1.endsAt);
    expect(s.bob.view(ROUND_1.endsAt + 30).scores).toEqual([
      { peerId: "alice", score: 1, total: 1 },
      { peerId: "bob", score: 1, total: 1 },
    ]);
    // Alice leaves in the results: her line goes; bob's total stays into round 2.
    s.bob.onPeerLeft("alice", 15_000);
    s.bob.onHostChanged("bob", 2, "bob", 15_000);
    s.bob.tick(18_000, aside, []);
    s.bob.tick(ROUND_2.startsAt, aside, []);
    expect(s.bob.view(ROUND_2.startsAt)).toMatchObject({
      stage: "round",
      round: 2,
      scores: [{ peerId: "bob", score: 0, total: 1 }],
    });
  });

  it("stays on the podium when it takes over there, and asks the lobby to finish if it has not", () => {
    const s = lobby();
    for (const at of [1_000, ROUND_1.startsAt, ROUND_1.endsAt, 18_000]) aliceTicks(s, at);
    for (const at of [ROUND_2.startsAt, ROUND_2.endsAt, PODIUM_AT]) aliceTicks(s, at);
    expect(s.bob.view(PODIUM_AT + 30).stage).toBe("podium");
    s.bob.onPeerLeft("alice", PODIUM_AT + 100);
    s.bob.onHostChanged("bob", 2, "bob", PODIUM_AT + 100);
    s.bob.tick(PODIUM_AT + 200, aside, []);
    expect(s.bob.view(PODIUM_AT + 200)).toMatchObject({ stage: "podium", round: 2 });
    expect(s.bob.lobbyPhaseWanted).toBe("finished");
  });
});
