/**
 * End-to-end harness: the real worker (wrangler dev) serving the real built game to real
 * Chromium pages. Pages are read through the game's `edgeplay.snapshot()` debug API.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { GameSnapshot, PeerSnapshot } from "../../game/debug.ts";
import { launchChromium } from "../../scripts/chromium.ts";
import { type LocalServer, PROJECT_ROOT, startLocalServer } from "../../scripts/local-server.ts";

export const SCREENSHOT_DIR = join(PROJECT_ROOT, "test-results", "e2e");

export interface Stage {
  readonly server: LocalServer;
  readonly browser: Browser;
  stop(): Promise<void>;
}

export interface StageOptions {
  /** Extra Chromium flags (a fake microphone, say). */
  readonly chromiumArgs?: readonly string[];
}

/** `vars` are worker settings for this stage (e.g. a short reconnection grace window). */
export async function startStage(
  vars: Readonly<Record<string, string>> = {},
  options: StageOptions = {},
): Promise<Stage> {
  if (!existsSync(join(PROJECT_ROOT, "dist/game/index.html"))) {
    throw new Error("the game is not built: run `npm run build` first");
  }
  const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-e2e-"));
  const server = await startLocalServer({ persistTo, vars });
  const browser = await launchChromium({ args: [...(options.chromiumArgs ?? [])] }).catch(
    async (error: unknown) => {
      await server.stop();
      throw error;
    },
  );
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    server,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
      await rm(persistTo, { recursive: true, force: true });
    },
  };
}

export interface OpenPlayerOptions {
  /** Runs on the page before it loads (e.g. `page.addInitScript` to observe browser APIs). */
  readonly beforeLoad?: (page: Page) => Promise<void>;
  /** For a lobby link: leave its name step open instead of joining with the name offered. */
  readonly stopAtJoinStep?: boolean;
  /** A phone or tablet: a touch screen of this size, as a mobile browser reports it. */
  readonly touchScreen?: { readonly width: number; readonly height: number };
}

/** A fresh browser context per player, so pages share nothing but the network. */
export async function openPlayer(
  stage: Stage,
  path = "/",
  options: OpenPlayerOptions = {},
): Promise<Page> {
  const context = await stage.browser.newContext(
    options.touchScreen
      ? { viewport: options.touchScreen, hasTouch: true, isMobile: true }
      : { viewport: { width: 1024, height: 640 } },
  );
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  pageProblems.set(page, problems);
  await options.beforeLoad?.(page);
  await page.goto(`${stage.server.url}${path}`);
  if (isArenaLobbyLink(path) && !options.stopAtJoinStep) await joinFromLinkStep(page);
  return page;
}

/** The arena's lobby links (`/?lobby=CODE`) have a name step; other games' pages do not. */
function isArenaLobbyLink(path: string): boolean {
  return new URL(path, "http://page").pathname === "/" && path.includes("lobby=");
}

/** A lobby link asks for a name first: join with the one it offers. */
export async function joinFromLinkStep(page: Page): Promise<void> {
  await page.click("#join-step-submit");
}

const pageProblems = new WeakMap<Page, string[]>();

/** A player opens the menu (with an optional `?query`), names itself and creates a lobby. */
export async function createLobbyFromMenu(
  stage: Stage,
  name: string,
  query = "",
): Promise<{ page: Page; code: string }> {
  const page = await openPlayer(stage, `/${query}`);
  await page.fill("#player-name", name);
  await page.click("#create-lobby");
  const joined = await waitForSnapshot(page, (s) => s.lobby !== null, `${name} in a lobby`);
  return { page, code: joined.lobby ?? "" };
}

/** Uncaught errors and console errors the page produced so far. */
export function problemsOf(page: Page): readonly string[] {
  return pageProblems.get(page) ?? [];
}

export async function snapshot(page: Page): Promise<GameSnapshot> {
  const snap = await page.evaluate(() => globalThis.edgeplay?.snapshot());
  if (!snap) throw new Error("the page has no edgeplay debug API");
  return snap;
}

/** Polls the page's snapshot until `predicate` holds; fails with the last snapshot. */
export async function waitForSnapshot(
  page: Page,
  predicate: (snap: GameSnapshot) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<GameSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: GameSnapshot | undefined;
  while (Date.now() < deadline) {
    last = await snapshot(page);
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last, null, 2)}`);
}

export function bothChannelsOpen(peer: PeerSnapshot): boolean {
  return peer.channels.length === 2 && peer.channels.every((c) => c.readyState === "open");
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
