/**
 * All UDP blocked in both player namespaces and no TURN server: no WebRTC path can exist, so
 * the game must fall back to the edge relay (binary frames over the lobby WebSocket, TCP) and
 * the players must still see each other move, with the snapshot reporting the `relay` path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemsOf, waitForSnapshot } from "./harness.ts";
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
} from "./network-harness.ts";

describe.skipIf(!networkSuiteRuns("edge relay"))(
  "all UDP blocked, no TURN: players fall back to the edge relay",
  () => {
    let stage: NetworkStage;
    let alice: JoinedPlayer;
    let bob: JoinedPlayer;

    beforeAll(async () => {
      stage = await startNetworkStage();
      for (const player of stage.players) await player.net.setUdpRules([{ kind: "block-all" }]);
      [alice, bob] = await joinBoth(stage);
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("reports the edge relay as the path once the direct path had its chance", async () => {
      for (const [player, other] of [
        [alice, bob],
        [bob, alice],
      ] as const) {
        const view = await waitForSnapshot(
          player.page,
          (s) => reportedPath(peerIn(s, other.id)) === "edge",
          `player ${player.net.index} to report the edge relay as its path`,
          20_000,
        );
        expect(peerIn(view, other.id)?.connectionState).not.toBe("connected");
      }
    });

    it("shows each player's movement to the other through the relay", async () => {
      const seen = await expectMovementSeenBothWays([alice, bob]);
      for (const peer of seen) expect(reportedPath(peer)).toBe("edge");
      await screenshotAll("edge-relay", [alice, bob]);
    });

    it("produced no page errors", () => {
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);
