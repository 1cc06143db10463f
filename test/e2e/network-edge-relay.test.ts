/**
 * All UDP blocked in both player namespaces and no TURN server: no WebRTC path can exist, so
 * the game must fall back to the edge relay (binary frames over the lobby WebSocket, TCP) and
 * the players must still see each other move, with the snapshot reporting the `relay` path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemsOf, snapshot, waitForSnapshot } from "./harness.ts";
import {
  type JoinedPlayer,
  joinBoth,
  MIN_MOVING_SHARE,
  moveBackAndForth,
  movingShare,
  type NetworkStage,
  networkSuiteRuns,
  peerIn,
  reportedPath,
  restingPosition,
  sampleRemote,
  sampleRemoteWhile,
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
          (s) => reportedPath(peerIn(s, other.id)) === "relay",
          `player ${player.net.index} to report the edge relay as its path`,
          20_000,
        );
        expect(peerIn(view, other.id)?.connectionState).not.toBe("connected");
      }
    });

    it("shows each player's movement to the other through the relay", async () => {
      for (const [mover, watcher] of [
        [alice, bob],
        [bob, alice],
      ] as const) {
        const from = await sampleRemote(watcher.page, mover.id);
        const moving = moveBackAndForth(mover.page, 2400);
        const samples = await sampleRemoteWhile(watcher.page, mover.id, moving);
        expect(movingShare(samples)).toBeGreaterThanOrEqual(MIN_MOVING_SHARE);
        expect((samples.at(-1)?.received ?? 0) - from.received).toBeGreaterThan(50);
        const moverAt = await restingPosition(mover.page);
        await waitForSnapshot(
          watcher.page,
          (s) => Math.abs((peerIn(s, mover.id)?.lastState?.x ?? Number.NaN) - moverAt.x) <= 1 / 16,
          `player ${watcher.net.index} to see where player ${mover.net.index} stopped`,
          5000,
        );
        const peer = peerIn(await snapshot(watcher.page), mover.id);
        expect(reportedPath(peer)).toBe("relay");
      }
      await screenshotAll("edge-relay", [alice, bob]);
    });

    it("produced no page errors", () => {
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);
