/**
 * The local server killed mid-round (SIGKILL: no clean shutdown, every lobby socket lost) and
 * started again on the same port and store. Every player takes its seat back within the grace
 * window, and the world (which lives in the browsers) carries on with no score lost.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GameSnapshot } from "../../game/debug.ts";
import { launchChromium } from "../../scripts/chromium.ts";
import { freePort, type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { LobbyInfoSchema } from "../../shared/api.ts";
import {
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  SCREENSHOT_DIR,
  type Stage,
  screenshot,
  snapshot,
  waitForSnapshot,
} from "./harness.ts";
import { choosePickup, collect, scoreOf, startMatch, waitForAgreement } from "./world-helpers.ts";

/** wrangler.toml's default: how long the lobby holds a dropped seat. */
const GRACE_MS = 20_000;
const PLAYERS = 4;

/** Lobby-log lines that would mean a seat was lost: someone joined afresh or timed out. */
function seatChanges(snap: GameSnapshot): string[] {
  return snap.notices.filter((notice) => / joined$| timed out$/.test(notice));
}

describe("a server restart mid-round", () => {
  let persistTo: string;
  let port: number;
  let inspectorPort: number;
  let server: LocalServer;
  let browser: Browser;
  let pages: Page[] = [];
  let code = "";

  const start = (): Promise<LocalServer> => startLocalServer({ port, inspectorPort, persistTo });
  /** The harness's stage, with whichever server runs now (same port, same store). */
  const stage: Stage = {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    stop: async () => undefined,
  };

  beforeAll(async () => {
    persistTo = await mkdtemp(join(tmpdir(), "edgeplay-restart-"));
    port = await freePort();
    inspectorPort = await freePort();
    server = await start();
    browser = await launchChromium();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(persistTo, { recursive: true, force: true });
  });

  it("four players in one lobby, mid-round, one of them with a point", async () => {
    const host = await createLobbyFromMenu(stage, "Ana");
    code = host.code;
    pages = [host.page];
    for (let i = 1; i < PLAYERS; i++) pages.push(await openPlayer(stage, `/?lobby=${code}`));
    for (const page of pages) {
      await waitForSnapshot(
        page,
        (s) =>
          s.peers.length === 3 &&
          s.peers.every((p) => p.path !== "none") &&
          (s.world?.scores.length ?? 0) === 4,
        "everyone connected, with a score line each",
        40_000,
      );
    }
    const [hostPage, scorer, ...rest] = pages;
    if (!hostPage || !scorer) throw new Error("no second page");
    await startMatch(hostPage, [scorer, ...rest]);
    const start = await waitForSnapshot(scorer, (s) => s.world?.scoring === true, "round 1");
    await collect(scorer, choosePickup(start), scoreOf(start.world, start.peerId ?? ""));
    await waitForAgreement(pages, "the point on every page");
  });

  it(
    "kill -9 and a restart: every player is back in its own seat within the grace window",
    async () => {
      const before = await Promise.all(pages.map(snapshot));
      await server.kill();
      const killedAt = Date.now();
      // With the lobby gone, every page notices its socket is down.
      for (const page of pages) {
        await waitForSnapshot(page, (s) => s.connection !== "open", "the lobby socket to drop");
      }
      server = await start();
      for (const [i, page] of pages.entries()) {
        const mine = before[i];
        await waitForSnapshot(
          page,
          (s) =>
            s.connection === "open" &&
            s.reconnects >= 1 &&
            s.roster.length === PLAYERS &&
            s.roster.every((entry) => entry.connected),
          "its seat back, with everyone connected",
          GRACE_MS + 15_000,
        );
        const after = await snapshot(page);
        // The same seat: peer id, and host, kept; nobody joined afresh.
        expect(after.peerId).toBe(mine?.peerId);
        expect(after.hostId).toBe(mine?.hostId);
      }
      expect(Date.now() - killedAt).toBeLessThan(GRACE_MS + 15_000);
      const info = v.parse(
        LobbyInfoSchema,
        await (await fetch(`${server.url}/api/lobbies/${code}`)).json(),
      );
      expect(info.players).toBe(PLAYERS);
      // Nobody timed out or joined afresh meanwhile: each page's lobby log says so if they had.
      for (const [i, page] of pages.entries()) {
        expect(seatChanges(await snapshot(page))).toEqual(seatChanges(before[i] as GameSnapshot));
      }
      await screenshot(pages[0] as Page, "restart-host-after");
    },
    GRACE_MS + 60_000,
  );

  it("the world carried on: no score lost, and a point still counts", async () => {
    const snaps = await waitForAgreement(pages, "the world after the restart");
    const scorerId = snaps[1]?.peerId ?? "";
    for (const snap of snaps) expect(scoreOf(snap.world, scorerId)).toBeGreaterThanOrEqual(1);
    const claimant = pages[2];
    if (!claimant) throw new Error("no third page");
    const start = await snapshot(claimant);
    const before = scoreOf(start.world, start.peerId ?? "");
    const pickup = choosePickup(start);
    await collect(claimant, pickup, before);
    const after = await waitForAgreement(pages, "the new point on every page");
    for (const snap of after)
      expect(scoreOf(snap.world, start.peerId ?? "")).toBe(before + pickup.value);
    await screenshot(claimant, "restart-claim-after");
  });

  it("produced no page errors, besides the browser's own word on the refused connections", async () => {
    // While the server was down, Chromium itself logs each refused connection as an error.
    const refused = /net::ERR_CONNECTION_(REFUSED|RESET)/;
    for (const page of pages) {
      expect(problemsOf(page).filter((problem) => !refused.test(problem))).toEqual([]);
    }
  });
});
