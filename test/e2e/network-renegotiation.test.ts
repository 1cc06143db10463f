/**
 * The direct path must come back after the two ways negotiation can leave a pair stuck on the
 * edge relay for good:
 * 1. An ICE-restart offer is lost on its way through the lobby (the sender's socket was
 *    reconnecting, or the peer's). Here the page's WebSocket swallows it. The sender then
 *    waits in `have-local-offer`, ignores the peer's own restart offers as collisions, and
 *    only a rollback and a fresh offer get the pair out.
 * 2. The data channels close under a live connection (as when a long outage aborts the SCTP
 *    association). Closed channels never reopen: only a new connection helps.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bothChannelsOpen, problemsOf, snapshot, waitForSnapshot } from "./harness.ts";
import {
  directAndOpen,
  type JoinedPlayer,
  joinBoth,
  type NetworkStage,
  networkSuiteRuns,
  observeIceSessions,
  peerIn,
  sampleRemote,
  screenshotAll,
  startNetworkStage,
  waitForOpenChannels,
} from "./network-harness.ts";

declare global {
  /** Offers the page's lobby socket is still to swallow (set by the test). */
  var edgeplayTestDropOffers: number | undefined;
  /** Every data channel the page created, in order. */
  var edgeplayTestChannels: RTCDataChannel[] | undefined;
  /** Every RTCPeerConnection the page made channels on, in order. */
  var edgeplayTestConnections: RTCPeerConnection[] | undefined;
}

/** Lets the test swallow outgoing offers and reach the page's data channels. */
async function instrumentPage(page: Page): Promise<void> {
  await observeIceSessions(page);
  await page.addInitScript(() => {
    globalThis.edgeplayTestDropOffers = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      const dropping = (globalThis.edgeplayTestDropOffers ?? 0) > 0;
      // A signal frame carrying an offer: `{"type":"signal",…,"type":"offer",…}`.
      if (dropping && typeof data === "string" && data.includes('"type":"offer"')) {
        globalThis.edgeplayTestDropOffers = (globalThis.edgeplayTestDropOffers ?? 1) - 1;
        return;
      }
      send.call(this, data);
    };
    const channels: RTCDataChannel[] = [];
    const connections: RTCPeerConnection[] = [];
    globalThis.edgeplayTestChannels = channels;
    globalThis.edgeplayTestConnections = connections;
    const createDataChannel = RTCPeerConnection.prototype.createDataChannel;
    RTCPeerConnection.prototype.createDataChannel = function (
      this: RTCPeerConnection,
      label: string,
      init?: RTCDataChannelInit,
    ): RTCDataChannel {
      const channel = createDataChannel.call(this, label, init);
      channels.push(channel);
      if (!connections.includes(this)) connections.push(this);
      return channel;
    };
  });
}

/** The signaling state of the page's newest connection. */
async function signalingState(page: Page): Promise<string | null> {
  return page.evaluate(() => globalThis.edgeplayTestConnections?.at(-1)?.signalingState ?? null);
}

describe.skipIf(!networkSuiteRuns("renegotiation"))("negotiation that went wrong heals", () => {
  let stage: NetworkStage;
  let alice: JoinedPlayer;
  let bob: JoinedPlayer;
  const timeline: string[] = [];
  const startedAt = Date.now();
  const note = (event: string): void => {
    timeline.push(`${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${event}`);
  };
  const sides = (): (readonly [JoinedPlayer, JoinedPlayer])[] => [
    [alice, bob],
    [bob, alice],
  ];

  const expectDirectAgain = async (what: string, timeoutMs: number): Promise<void> => {
    for (const [player, other] of sides()) {
      await waitForSnapshot(
        player.page,
        (s) => directAndOpen(peerIn(s, other.id)),
        `player ${player.net.index} direct again ${what}\n  ${timeline.join("\n  ")}`,
        timeoutMs,
      );
      note(`player ${player.net.index}: direct again`);
    }
    // And state flows over it again.
    const before = await sampleRemote(bob.page, alice.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await sampleRemote(bob.page, alice.id);
    expect(after.received - before.received).toBeGreaterThan(15);
  };

  beforeAll(async () => {
    stage = await startNetworkStage();
    [alice, bob] = await joinBoth(stage, { beforeLoad: instrumentPage });
    await waitForOpenChannels([alice, bob]);
  });

  afterAll(async () => {
    console.info(`renegotiation timeline:\n  ${timeline.join("\n  ")}`);
    await stage?.stop();
  });

  it("recovers the direct path when the first ICE-restart offer is lost", async () => {
    const aliceView = peerIn(await snapshot(alice.page), bob.id);
    // The impolite side restarts ICE first; its offer is the one to lose.
    const [offerer] = aliceView?.polite === false ? [alice, bob] : [bob, alice];
    await offerer.page.evaluate(() => {
      globalThis.edgeplayTestDropOffers = 1;
    });
    await alice.net.setUdpRules([{ kind: "block-from", addresses: [bob.net.address] }]);
    await bob.net.setUdpRules([{ kind: "block-from", addresses: [alice.net.address] }]);
    note(`UDP between the players dropped; player ${offerer.net.index}'s next offer is lost`);

    await offerer.page.waitForFunction(() => globalThis.edgeplayTestDropOffers === 0, undefined, {
      timeout: 40_000,
      polling: 100,
    });
    note(`player ${offerer.net.index}'s restart offer swallowed`);
    try {
      // Room for the other side's own restart offer to meet the unanswered one.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      note(`signaling: ${await signalingState(alice.page)} / ${await signalingState(bob.page)}`);
    } finally {
      for (const player of [alice, bob]) await player.net.setUdpRules([]);
      note("UDP let through again");
    }
    await expectDirectAgain("after the lost offer", 45_000);
    // An offer left waiting for good would keep every later ICE restart from starting (the
    // peer's offers collide with it, and restartIce() never fires negotiationneeded there).
    for (const player of [alice, bob]) {
      await expect.poll(() => signalingState(player.page), { timeout: 30_000 }).toBe("stable");
    }
    note("signaling stable on both sides");
    await screenshotAll("lost-offer-recovered", [alice, bob]);
  }, 150_000);

  it("replaces a connection whose data channels closed under it", async () => {
    const openedBefore = peerIn(await snapshot(alice.page), bob.id)?.channelsOpenAt ?? 0;
    await bob.page.evaluate(() => {
      for (const channel of globalThis.edgeplayTestChannels ?? []) {
        if (channel.readyState === "open") channel.close();
      }
    });
    note("player 1's data channels closed under the game");
    await waitForSnapshot(
      alice.page,
      (s) => {
        const peer = peerIn(s, bob.id);
        return peer !== undefined && !bothChannelsOpen(peer);
      },
      "the other side's channels to close too",
      10_000,
    );
    await expectDirectAgain("after the channels closed", 30_000);
    const openedAfter = peerIn(await snapshot(alice.page), bob.id)?.channelsOpenAt ?? 0;
    expect(openedAfter).toBeGreaterThan(openedBefore);
  }, 60_000);

  it("produced no page errors", () => {
    expect(problemsOf(alice.page)).toEqual([]);
    expect(problemsOf(bob.page)).toEqual([]);
  });
});
