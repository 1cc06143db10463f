/**
 * All UDP blocked in both player namespaces, a real coturn reachable over TCP: the worker hands
 * out TURN over TCP only (`TURN_URLS=turn:HOST:PORT?transport=tcp` + `TURN_SECRET`), so the
 * only way the players' WebRTC path can work is each browser -> coturn over TCP, relayed.
 * UDP is blocked before the pages open, so no direct path ever existed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemsOf, snapshot } from "./harness.ts";
import {
  expectMovementSeenBothWays,
  type JoinedPlayer,
  joinBoth,
  type NetworkStage,
  networkSuiteRuns,
  peerIn,
  reportedPath,
  screenshotAll,
  startNetworkStage,
  waitForOpenChannels,
} from "./network-harness.ts";

describe.skipIf(!networkSuiteRuns("TURN over TCP"))(
  "all UDP blocked: players connect through coturn over TCP",
  () => {
    let stage: NetworkStage;
    let alice: JoinedPlayer;
    let bob: JoinedPlayer;

    beforeAll(async () => {
      stage = await startNetworkStage({ turn: "tcp" });
      for (const player of stage.players) await player.net.setUdpRules([{ kind: "block-all" }]);
      [alice, bob] = await joinBoth(stage);
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("opens both channels, with TURN over TCP as the only ICE server", async () => {
      await waitForOpenChannels([alice, bob], 30_000);
      for (const [player, other] of [
        [alice, bob],
        [bob, alice],
      ] as const) {
        const view = await snapshot(player.page);
        expect(view.ice?.urls).toEqual([stage.coturn?.tcpUrl]);
        const peer = peerIn(view, other.id);
        expect(peer?.connectionState).toBe("connected");
        // Older game builds do not report a path; this one must be TURN when they do.
        expect(reportedPath(peer) ?? "turn").toBe("turn");
      }
    });

    it("is relayed by coturn: both browsers allocated over TCP connections of their own", async () => {
      const log = (await stage.coturn?.log()) ?? "";
      for (const player of [alice, bob]) {
        expect(log).toContain(`tcp or tls connected to: ${player.net.address}:`);
        expect(log).toMatch(
          new RegExp(`user <\\d+:${player.id}>: incoming packet ALLOCATE processed, success`),
        );
      }
    });

    it("shows each player's movement to the other", async () => {
      await expectMovementSeenBothWays([alice, bob]);
      await screenshotAll("turn-tcp", [alice, bob]);
    });

    it("produced no page errors", () => {
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);
