/**
 * Before anything is measured with bots, proof that they are really playing with the page:
 * from the page's own `edgeplay.snapshot()`, each bot is a peer on a direct path with state
 * arriving at about the game's rate; from the bots' side, each has the page as a direct peer,
 * both channels open, with the page's avatar arriving. Anything less fails the bench loudly.
 */

import { STATE_HZ } from "edgeplay/protocol";
import type { Page } from "playwright-core";
import type { GameSnapshot } from "../game/debug.ts";
import type { BotFleet } from "./bot-fleet-process.ts";
import { snapshotOf } from "./page-probe.ts";

const SETTLE_TIMEOUT_MS = 30_000;
/** Over this stretch every bot must deliver at least half the packets it sends. */
const RATE_CHECK_MS = 2000;

export async function assertBotsPlaying(page: Page, fleet: BotFleet): Promise<void> {
  const expected = new Set(fleet.peerIds);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let snap = await snapshotOf(page);
  while (!allDirectWithState(snap, expected)) {
    if (Date.now() > deadline) {
      throw new Error(`the page is not playing with the ${expected.size} bots:\n${describe(snap)}`);
    }
    await page.waitForTimeout(250);
    snap = await snapshotOf(page);
  }

  await page.waitForTimeout(RATE_CHECK_MS);
  const later = await snapshotOf(page);
  const minimum = (STATE_HZ * RATE_CHECK_MS) / 1000 / 2;
  for (const peer of later.peers) {
    const before = snap.peers.find((p) => p.id === peer.id)?.statePacketsReceived ?? 0;
    if (peer.statePacketsReceived - before < minimum) {
      throw new Error(
        `bot ${peer.name} delivered ${peer.statePacketsReceived - before} state packets to the page in ${RATE_CHECK_MS} ms (expected at least ${minimum}):\n${describe(later)}`,
      );
    }
  }

  const { bots } = await fleet.report();
  for (const bot of bots) {
    const pageSeen = bot.peers.find((peer) => peer.peerId === later.peerId);
    if (
      pageSeen === undefined ||
      pageSeen.path !== "direct" ||
      !pageSeen.channelsOpen ||
      pageSeen.avatarPackets === 0
    ) {
      throw new Error(`${bot.name} is not playing with the page: ${JSON.stringify(bot)}`);
    }
  }
}

function allDirectWithState(snap: GameSnapshot, expected: ReadonlySet<string>): boolean {
  return (
    snap.peers.length === expected.size &&
    snap.peers.every(
      (peer) =>
        expected.has(peer.id) &&
        peer.path === "direct" &&
        peer.lastState !== null &&
        peer.channels.every((channel) => channel.readyState === "open"),
    )
  );
}

function describe(snap: GameSnapshot): string {
  if (snap.peers.length === 0) return "  (no peers)";
  return snap.peers
    .map(
      (peer) =>
        `  ${peer.name} (${peer.id}): path ${peer.path}, ${peer.connectionState}, channels ${peer.channels.map((c) => c.readyState).join("/")}, ${peer.statePacketsReceived} state packets`,
    )
    .join("\n");
}
