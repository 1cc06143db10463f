/**
 * 10% random UDP loss (nftables) in both player namespaces. The rules sit on each namespace's
 * input hook (see scripts/net/nft.ts for why not output), so every packet between the players
 * meets exactly one of them: about 10% of state packets are lost in each direction. Over ~240
 * packets one window's loss has a standard deviation of ~2 points, so the 4-20% band is more
 * than 3σ wide on either side; without the rules the same kind of window loses none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemsOf, waitForSnapshot } from "./harness.ts";
import {
  deliveryBetween,
  type JoinedPlayer,
  joinBoth,
  MIN_MOVING_SHARE,
  moveBackAndForth,
  movingShare,
  type NetworkStage,
  networkSuiteRuns,
  peerIn,
  restingPosition,
  sampleRemote,
  sampleRemoteWhile,
  screenshotAll,
  startNetworkStage,
  waitForOpenChannels,
} from "./network-harness.ts";

const LOSS_PERCENT = 10;

describe.skipIf(!networkSuiteRuns("UDP loss"))(
  "10% random UDP loss in both player namespaces",
  () => {
    let stage: NetworkStage;
    let alice: JoinedPlayer;
    let bob: JoinedPlayer;

    beforeAll(async () => {
      stage = await startNetworkStage();
      [alice, bob] = await joinBoth(stage);
      await waitForOpenChannels([alice, bob]);
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("loses no state packets before the rules are in (control)", async () => {
      const before = await Promise.all([
        sampleRemote(bob.page, alice.id),
        sampleRemote(alice.page, bob.id),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const after = await Promise.all([
        sampleRemote(bob.page, alice.id),
        sampleRemote(alice.page, bob.id),
      ]);
      for (const [i, first] of before.entries()) {
        const last = after[i];
        if (!last) throw new Error("missing sample");
        const delivery = deliveryBetween(first, last);
        // 90 at 30 Hz; a starved machine fires the send timer late, which is not loss.
        expect(delivery.sent).toBeGreaterThan(30);
        expect(delivery.loss).toBeLessThanOrEqual(0.02);
      }
    });

    it("keeps Alice moving on Bob's screen and loses about 10% of state packets each way", async () => {
      for (const player of [alice, bob]) {
        await player.net.setUdpRules([{ kind: "random-loss", percent: LOSS_PERCENT }]);
      }
      const bobSeesAliceFrom = await sampleRemote(bob.page, alice.id);
      const aliceSeesBobFrom = await sampleRemote(alice.page, bob.id);

      const moving = moveBackAndForth(alice.page, 8000);
      const samples = await sampleRemoteWhile(bob.page, alice.id, moving);
      const aliceToBob = deliveryBetween(bobSeesAliceFrom, samples.at(-1) ?? bobSeesAliceFrom);
      const bobToAlice = deliveryBetween(aliceSeesBobFrom, await sampleRemote(alice.page, bob.id));
      console.info(
        `measured state-packet loss at ${LOSS_PERCENT}% nftables loss: ` +
          `Alice->Bob ${percent(aliceToBob.loss)} (${aliceToBob.received}/${aliceToBob.sent}), ` +
          `Bob->Alice ${percent(bobToAlice.loss)} (${bobToAlice.received}/${bobToAlice.sent}); ` +
          `Bob saw Alice's position change in ${percent(movingShare(samples))} of ${samples.length - 1} intervals`,
      );

      // Sampled every 200 ms while Alice moves: ~6 packets per interval, all lost almost never.
      expect(movingShare(samples)).toBeGreaterThanOrEqual(MIN_MOVING_SHARE);
      const xs = samples.flatMap((s) => (s.x === null ? [] : [s.x]));
      expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(100);
      for (const delivery of [aliceToBob, bobToAlice]) {
        expect(delivery.sent).toBeGreaterThan(200);
        expect(delivery.loss).toBeGreaterThanOrEqual(0.04);
        expect(delivery.loss).toBeLessThanOrEqual(0.2);
      }

      // Once Alice stops, a later packet gets through and Bob shows where she really is.
      const aliceAt = await restingPosition(alice.page);
      await waitForSnapshot(
        bob.page,
        // Positions travel in 1/16 unit steps.
        (s) => Math.abs((peerIn(s, alice.id)?.lastState?.x ?? Number.NaN) - aliceAt.x) <= 1 / 16,
        "Bob to see where Alice stopped",
        5000,
      );
      await screenshotAll("loss", [alice, bob]);
    });

    it("produced no page errors", () => {
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
