/**
 * A Node bot built on the public kit (bench/bot.ts: `edgeplay/client` with node-datachannel)
 * plays the arena with a real Chromium page in one lobby: each sees the other's avatar on the
 * `avatar` stream, the page (the host) sends the bot its world on the world action, and the
 * bot's claims of the pickups it walks onto go back on that action and are granted, so its
 * score shows on the page.
 */
import { cleanup } from "node-datachannel";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "../../bench/bot.ts";
import type { GameSnapshot, PeerSnapshot } from "../../game/debug.ts";
import {
  bothChannelsOpen,
  createLobbyFromMenu,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";
import { scoreOf } from "./world-helpers.ts";

const SLOW_MS = 30_000;

function peerOf(snap: GameSnapshot, peerId: string): PeerSnapshot | undefined {
  return snap.peers.find((peer) => peer.id === peerId);
}

describe("a Node bot on the kit plays the arena with a page", () => {
  let stage: Stage;
  let page: Page;
  let pageId: string;
  let bot: Bot;
  let botId: string;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    bot?.leave();
    await stage?.stop();
    // libdatachannel's threads keep the process (and vitest) alive until cleaned up.
    cleanup();
  });

  it("joins the page's lobby and links to it directly", async () => {
    let code: string;
    ({ page, code } = await createLobbyFromMenu(stage, "Ann"));
    pageId = (await snapshot(page)).peerId ?? "";
    bot = await Bot.join({ server: stage.server.url, code, name: "Robo" });
    botId = bot.room.selfId ?? "";
    await waitForSnapshot(
      page,
      (s) => {
        const peer = peerOf(s, botId);
        return peer !== undefined && peer.path === "direct" && bothChannelsOpen(peer);
      },
      "the bot as a direct peer",
      SLOW_MS,
    );
    await expect.poll(() => bot.room.stats(pageId)?.path, { timeout: SLOW_MS }).toBe("direct");
    expect(bot.room.peers).toEqual([pageId]);
  });

  it("shows the page the bot's avatar, moving", async () => {
    const first = await waitForSnapshot(
      page,
      (s) => peerOf(s, botId)?.lastState != null,
      "a first state from the bot",
    );
    const before = peerOf(first, botId);
    const start = before?.lastState;
    if (!before || !start) throw new Error("no state from the bot");
    const later = await waitForSnapshot(
      page,
      (s) => {
        const peer = peerOf(s, botId);
        const now = peer?.lastState;
        return (
          peer !== undefined &&
          now != null &&
          peer.statePacketsReceived >= before.statePacketsReceived + 30 &&
          Math.hypot(now.x - start.x, now.y - start.y) > 20
        );
      },
      "the bot's avatar to move on the page",
    );
    expect(peerOf(later, botId)?.lastState?.seq).toBeGreaterThan(start.seq);
  });

  it("shows the bot the page's avatar where the page moved it", async () => {
    await expect.poll(() => bot.avatar.latest(pageId), { timeout: SLOW_MS }).not.toBeNull();
    const startX = bot.avatar.latest(pageId)?.value.x ?? Number.NaN;
    const key = startX > 480 ? "ArrowLeft" : "ArrowRight";
    const sign = key === "ArrowRight" ? 1 : -1;
    await page.bringToFront();
    await page.keyboard.down(key);
    try {
      await expect
        .poll(() => sign * ((bot.avatar.latest(pageId)?.value.x ?? startX) - startX), {
          timeout: SLOW_MS,
        })
        .toBeGreaterThan(100);
    } finally {
      await page.keyboard.up(key);
    }
    // Once the page's avatar is at rest, the bot's newest value is where the page has it.
    await expect
      .poll(
        async () => {
          const { local } = await snapshot(page);
          const seen = bot.avatar.latest(pageId)?.value;
          return seen !== undefined && Math.hypot(seen.x - local.x, seen.y - local.y) < 1;
        },
        { timeout: SLOW_MS },
      )
      .toBe(true);
    expect(bot.avatar.received(pageId)).toBeGreaterThan(30);
  });

  it("gets the page's world: the host's pickups, scores and round", async () => {
    await expect
      .poll(() => bot.world?.view(performance.now()).ready, { timeout: SLOW_MS })
      .toBe(true);
    const view = bot.world?.view(performance.now());
    expect(view?.hostId).toBe(pageId);
    expect(view?.isHost).toBe(false);
    expect(view?.scores.map((score) => score.peerId).sort()).toEqual([botId, pageId].sort());
    const pageWorld = (await snapshot(page)).world;
    expect(bot.world?.snapshot().hostId).toBe(pageWorld?.hostId);
  });

  it("claims the pickups it walks onto, and the page (the host) grants them", async () => {
    // The bot is always ready: the page (the host) starts the match, and points count.
    await page.click("#start-game");
    await waitForSnapshot(page, (s) => s.world?.scoring === true, "round 1", SLOW_MS);
    const scored = await waitForSnapshot(
      page,
      (s) => scoreOf(s.world, botId) >= 1,
      "the bot's score on the page",
      60_000,
    );
    expect(scored.world?.hostId).toBe(pageId);
    await expect.poll(() => bot.score ?? 0, { timeout: SLOW_MS }).toBeGreaterThanOrEqual(1);
    await screenshot(page, "bot-scores-on-the-page");
  });

  it("leaves: the page sees it go, and nothing went wrong on either side", async () => {
    bot.leave();
    await waitForSnapshot(page, (s) => peerOf(s, botId) === undefined, "the bot gone");
    expect(bot.report().problems).toEqual([]);
    expect(problemsOf(page)).toEqual([]);
  });
});
