import { describe, expect, it } from "vitest";
import type { Outgoing } from "../../game/world/outgoing.ts";
import { TouchLog } from "../../game/world/touch-log.ts";
import { type WorldConfig, worldConfig } from "../../game/world/world-config.ts";
import { WorldHost } from "../../game/world/world-host.ts";
import { WorldSession } from "../../game/world/world-session.ts";
import { scoreOf, snapshotOf, type WorldEvent } from "../../game/world/world-state.ts";

const base = worldConfig({
  pickupCount: 4,
  respawnMs: 1_000,
  roundMs: 10_000,
  intermissionMs: 3_000,
  snapshotIntervalMs: 60_000,
});

let seed = 1;
const random = (): number => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};

function startHost(config: WorldConfig = base): WorldHost {
  const host = WorldHost.startFresh({ selfId: "h", epoch: 1, config, random }, 0);
  host.tick(0, new TouchLog());
  return host;
}

function worlds(out: readonly Outgoing[]): WorldEvent[] {
  return out.flatMap((message) => (message.event.type === "world" ? [message.event] : []));
}

/** `bob` standing on pickup `index` in the host's eyes, and his claim of it at `nowMs`. */
function claim(host: WorldHost, index: number, nowMs: number): TouchLog {
  const pickup = host.world.pickups[index];
  if (pickup === undefined) throw new Error(`no pickup ${index}`);
  const log = new TouchLog();
  log.record(host.world.pickups, [{ id: "bob", x: pickup.x, y: pickup.y }], 100);
  host.enqueueClaim("bob", { pickupId: pickup.id }, nowMs);
  return log;
}

describe("the round clock", () => {
  it("ends the round on time and tells everyone, with no time left and the next round's start", () => {
    const host = startHost();
    const running = worlds(host.tick(9_999, new TouchLog()));
    expect(running).toEqual([]);
    expect(snapshotOf(host.world, 9_999, 0)).toMatchObject({ round: 1, nextRoundInMs: null });
    const before = host.world.stamp.version;
    const [end] = worlds(host.tick(10_000, new TouchLog()));
    expect(end).toMatchObject({
      round: 1,
      roundRemainingMs: 0,
      nextRoundInMs: base.intermissionMs,
    });
    // Scheduling the next round is a change replicas must not miss: a new version.
    expect(end?.version).toBe(before + 1);
    expect(worlds(host.tick(10_500, new TouchLog()))).toEqual([]);
    expect(snapshotOf(host.world, 11_000, 0)).toMatchObject({ nextRoundInMs: 2_000 });
  });

  it("freezes scores after the end: claims are refused and nothing respawns", () => {
    const host = startHost();
    host.tick(9_000, claim(host, 0, 9_000));
    expect(scoreOf(host.world, "bob")).toBe(1);
    host.tick(10_000, new TouchLog());
    const frozen = host.world;
    host.tick(10_200, claim(host, 1, 10_200));
    host.tick(12_000, new TouchLog());
    expect(host.world.scores).toEqual(frozen.scores);
    expect(host.world.pickups).toEqual(frozen.pickups);
    expect(host.decisions.at(-1)?.outcome).toBe("round-over");
  });

  it("counts a claim that arrived before the end even if decided just after it", () => {
    const host = startHost();
    const log = claim(host, 0, 9_990);
    host.tick(10_010, log);
    expect(scoreOf(host.world, "bob")).toBe(1);
  });

  it("starts the next round after the intermission: new ids, scores back to 0, full clock", () => {
    const host = startHost();
    host.tick(5_000, claim(host, 0, 5_000));
    const oldIds = host.world.pickups.map((p) => p.id);
    host.tick(10_000, new TouchLog());
    expect(worlds(host.tick(12_999, new TouchLog()))).toEqual([]);
    const [next] = worlds(host.tick(13_000, new TouchLog()));
    expect(next).toMatchObject({ round: 2, roundRemainingMs: base.roundMs, nextRoundInMs: null });
    expect(next?.scores).toEqual([
      { peerId: "h", score: 0 },
      { peerId: "bob", score: 0 },
    ]);
    expect(next?.pickups).toHaveLength(base.pickupCount);
    expect(next?.pickups.filter((p) => oldIds.includes(p.id))).toEqual([]);
    // And a claim of an old round's id is unknown, never a point in the new round.
    const stale = oldIds[0] ?? -1;
    host.enqueueClaim("bob", { pickupId: stale }, 13_100);
    host.tick(13_100, new TouchLog());
    expect(host.decisions.at(-1)).toMatchObject({ pickupId: stale, outcome: "unknown" });
  });

  it("waits for the host's command when there is no intermission", () => {
    const host = startHost({ ...base, intermissionMs: null });
    const [end] = worlds(host.tick(10_000, new TouchLog()));
    expect(end).toMatchObject({ roundRemainingMs: 0, nextRoundInMs: null });
    expect(worlds(host.tick(60_000, new TouchLog()))).toEqual([]);
    host.startRound(60_000);
    const [next] = worlds(host.tick(60_001, new TouchLog()));
    expect(next?.roundRemainingMs).toBe(base.roundMs);
    expect(host.world.roundEndsAtMs).toBe(60_000 + base.roundMs);
  });

  it("puts the round end on a replica's own clock, less the trip, and freezes there", () => {
    const host = new WorldSession({ config: base, random });
    const player = new WorldSession({ config: base, random });
    host.onHostChanged("h", 1, "h", 0);
    player.onHostChanged("h", 1, "p", 1_000_000);
    host.onPeerConnected("p", 4_000);
    const out = host.tick(4_000, { x: 0, y: 0, tick: 0 }, []);
    const snapshot = out.find((m) => m.to === "peer" && m.event.type === "world");
    if (snapshot === undefined) throw new Error("the player should get the world");
    // The player's clock reads 1,000,000 ms more than the host's, and the trip took 40 ms.
    player.onEvent("h", snapshot.event, 1_004_040, 40);
    expect(player.view(1_004_040).roundRemainingMs).toBe(6_000 - 40);
    expect(player.view(1_009_999).roundOver).toBe(false);
    expect(player.view(1_010_000)).toMatchObject({ roundOver: true, roundRemainingMs: 0 });
  });

  it("shows a replica the round number and the countdown to the next round", () => {
    const host = new WorldSession({ config: base, random });
    const player = new WorldSession({ config: base, random });
    host.onHostChanged("h", 1, "h", 0);
    player.onHostChanged("h", 1, "p", 500_000);
    host.onPeerConnected("p", 0);
    const pass = (hostNow: number, playerNow: number) => {
      for (const { event } of host.tick(hostNow, { x: 0, y: 0, tick: 0 }, [])) {
        player.onEvent("h", event, playerNow, 20);
      }
    };
    pass(0, 500_020);
    expect(player.view(500_020)).toMatchObject({ round: 1, roundOver: false, nextRoundInMs: null });
    pass(10_000, 510_020);
    // The end news says 3 s until the next round, sent 20 ms before it arrived.
    expect(player.view(510_020)).toMatchObject({ round: 1, roundOver: true, nextRoundInMs: 2_980 });
    expect(player.view(512_000).nextRoundInMs).toBe(1_000);
    pass(13_000, 513_020);
    expect(player.view(513_020)).toMatchObject({ round: 2, roundOver: false, nextRoundInMs: null });
  });
});
