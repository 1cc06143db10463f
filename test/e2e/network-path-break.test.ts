/**
 * A path breaks mid-game: two connected players, then nftables drops all UDP between them (the
 * lobby socket, TCP to the worker, keeps working) until their connection is down and the game
 * has started a new ICE session (an ICE restart), then lets it through again. The game must
 * come back on its own: connected, both channels open, the direct path carrying state again.
 *
 * Seen with Chromium 156: `disconnected` ~6 s after the break, and `failed` ~10 s after that
 * unless ICE was restarted first. Whether a restart happened is read from the page itself
 * (see `observeIceSessions`), not from what the game shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemsOf, snapshot, waitForSnapshot } from "./harness.ts";
import {
  directAndOpen,
  iceSessions,
  type JoinedPlayer,
  joinBoth,
  MIN_MOVING_SHARE,
  moveBackAndForth,
  movingShare,
  type NetworkStage,
  networkSuiteRuns,
  observeIceSessions,
  peerIn,
  reportedPath,
  sampleRemote,
  sampleRemoteWhile,
  screenshotAll,
  startNetworkStage,
  waitForOpenChannels,
} from "./network-harness.ts";

const DOWN_STATES = ["disconnected", "failed"];

describe.skipIf(!networkSuiteRuns("path break"))("a path breaks mid-game and comes back", () => {
  let stage: NetworkStage;
  let alice: JoinedPlayer;
  let bob: JoinedPlayer;
  /** What happened when, for the report and for failure messages. */
  const timeline: string[] = [];
  let brokeAt = 0;
  const note = (event: string): void => {
    const seconds = brokeAt === 0 ? 0 : (Date.now() - brokeAt) / 1000;
    timeline.push(`${seconds.toFixed(1)} s: ${event}`);
  };
  /** Each player with the one they watch. */
  const sides = (): (readonly [JoinedPlayer, JoinedPlayer])[] => [
    [alice, bob],
    [bob, alice],
  ];
  const noteBothSides = async (): Promise<void> => {
    for (const [player, other] of sides()) {
      const peer = peerIn(await snapshot(player.page), other.id);
      note(
        `player ${player.net.index}: ${peer?.connectionState}, path ${reportedPath(peer)}, ` +
          `${peer?.statePacketsReceived} state packets received so far`,
      );
    }
  };

  beforeAll(async () => {
    stage = await startNetworkStage();
    [alice, bob] = await joinBoth(stage, { beforeLoad: observeIceSessions });
    await waitForOpenChannels([alice, bob]);
  });

  afterAll(async () => {
    console.info(`path break timeline:\n  ${timeline.join("\n  ")}`);
    await stage?.stop();
  });

  it("goes down when UDP between the players is dropped, and an ICE restart starts", async () => {
    const sessionsBefore = await Promise.all([iceSessions(alice.page), iceSessions(bob.page)]);
    brokeAt = Date.now();
    await alice.net.setUdpRules([{ kind: "block-from", addresses: [bob.net.address] }]);
    await bob.net.setUdpRules([{ kind: "block-from", addresses: [alice.net.address] }]);
    note("UDP between the players dropped");

    for (const [player, other] of sides()) {
      const down = await waitForSnapshot(
        player.page,
        (s) => DOWN_STATES.includes(peerIn(s, other.id)?.connectionState ?? ""),
        `player ${player.net.index}'s connection to go down`,
        25_000,
      );
      note(`player ${player.net.index}: ${peerIn(down, other.id)?.connectionState}`);
    }

    // A new local ICE ufrag on either side means the game restarted ICE (only one side offers).
    const deadline = Date.now() + 30_000;
    let sessions = sessionsBefore;
    while (sessions.every((count, i) => count <= (sessionsBefore[i] ?? 0))) {
      if (Date.now() > deadline) {
        throw new Error(
          `no ICE restart within 30 s of the connection going down\n  ${timeline.join("\n  ")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      sessions = await Promise.all([iceSessions(alice.page), iceSessions(bob.page)]);
    }
    note(`ICE restarted (local ICE sessions so far: ${sessions.join(" / ")})`);
    await noteBothSides();
    await screenshotAll("path-broken", [alice, bob]);
  }, 70_000);

  it("recovers the direct path once UDP flows again, and state moves over it", async () => {
    // Give the restarted session a moment of blocked checks, so it cannot just resume the old one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await noteBothSides();
    for (const player of [alice, bob]) await player.net.setUdpRules([]);
    note("UDP between the players let through again");

    for (const [player, other] of sides()) {
      await waitForSnapshot(
        player.page,
        (s) => directAndOpen(peerIn(s, other.id), true),
        `player ${player.net.index} connected directly again\n  ${timeline.join("\n  ")}`,
        30_000,
      ).catch((error: unknown) => {
        note(`player ${player.net.index} did not recover`);
        throw error;
      });
      note(`player ${player.net.index}: connected, channels open, direct path`);
    }

    const bobSawAlice = await sampleRemote(bob.page, alice.id);
    const moving = moveBackAndForth(alice.page, 3000);
    const samples = await sampleRemoteWhile(bob.page, alice.id, moving);
    const received = (samples.at(-1)?.received ?? 0) - bobSawAlice.received;
    note(`Bob received ${received} state packets while Alice moved for 3 s`);
    expect(received).toBeGreaterThan(60);
    expect(movingShare(samples)).toBeGreaterThanOrEqual(MIN_MOVING_SHARE);
    const bobView = peerIn(await snapshot(bob.page), alice.id);
    expect(bobView?.connectionState).toBe("connected");
    expect(reportedPath(bobView) ?? "direct").toBe("direct");
    await screenshotAll("path-recovered", [alice, bob]);
  }, 50_000);

  it("produced no page errors", () => {
    expect(problemsOf(alice.page)).toEqual([]);
    expect(problemsOf(bob.page)).toEqual([]);
  });
});
