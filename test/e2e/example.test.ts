/**
 * The kit's second game, `examples/minimal` (cursors and ripples, no Phaser), served by the
 * real worker to real Chromium pages: two of its pages see each other's cursor (a stream) and
 * ripples (an action), and it shares the worker with the arena without either noticing.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/local-server.ts";
import {
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

const EXAMPLE = "/examples/minimal/";
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};

/** The built site from a second origin (another port): a game hosted away from the worker. */
async function serveElsewhere(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? "/", "http://x").pathname);
    const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
    readFile(file).then(
      (body) => {
        response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "text/plain" });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port to serve on");
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** The example page's room, read through its `example` debug global. */
async function roomOf(page: Page): Promise<{ selfId: string | null; peers: string[] }> {
  return page.evaluate(() => ({
    selfId: globalThis.example?.room.selfId ?? null,
    peers: [...(globalThis.example?.room.peers ?? [])],
  }));
}

async function waitForPeers(page: Page, count: number, what: string): Promise<string[]> {
  await expect.poll(async () => (await roomOf(page)).peers.length, { timeout: 20_000 }).toBe(count);
  const { peers } = await roomOf(page);
  expect(peers, what).toHaveLength(count);
  return peers;
}

describe("examples/minimal: a second game on the kit", () => {
  let stage: Stage;
  let ana: Page;
  let ben: Page;
  let anaId: string;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("makes a lobby on first open and puts its code in the address", async () => {
    ana = await openPlayer(stage, EXAMPLE);
    await expect
      .poll(() => new URL(ana.url()).searchParams.get("lobby"), { timeout: 15_000 })
      .toMatch(/^[0-9A-Z]{6}$/);
    await expect.poll(async () => (await roomOf(ana)).selfId).not.toBeNull();
    anaId = (await roomOf(ana)).selfId ?? "";
    await expect.poll(() => ana.locator("#status").textContent()).toContain("1 player");
  });

  it("shows the second page the first one's cursor, where it is", async () => {
    ben = await openPlayer(stage, new URL(ana.url()).pathname + new URL(ana.url()).search);
    expect(await waitForPeers(ben, 1, "Ben's peers")).toEqual([anaId]);
    await waitForPeers(ana, 1, "Ana's peers");
    const viewport = ana.viewportSize() ?? { width: 1024, height: 640 };
    await ana.mouse.move(viewport.width * 0.25, viewport.height * 0.75);
    await expect
      .poll(
        () => ben.evaluate((id) => globalThis.example?.cursors.latest(id)?.value ?? null, anaId),
        { timeout: 10_000 },
      )
      .toEqual({ x: 0.25, y: 0.75 });
    await expect.poll(() => ben.locator("#status").textContent()).toContain("2 players");
  });

  it("delivers a ripple, as an action, to the other page", async () => {
    // The listener is in place before the click: a promise started beside the click could
    // lose the race to a ripple that arrives first on a loaded machine.
    await ben.evaluate(() => {
      const heard: { at: unknown; from: string }[] = [];
      globalThis.example?.ripples.on((at, from) => heard.push({ at, from }));
      Object.assign(globalThis, { heardRipples: heard });
    });
    const viewport = ana.viewportSize() ?? { width: 1024, height: 640 };
    await ana.mouse.click(viewport.width * 0.5, viewport.height * 0.5);
    await expect
      .poll(() => ben.evaluate(() => Reflect.get(globalThis, "heardRipples")), { timeout: 10_000 })
      .toEqual([{ at: { x: 0.5, y: 0.5 }, from: anaId }]);
    await screenshot(ben, "example-two-cursors-desktop");
  });

  it("runs beside the arena without either hearing the other", async () => {
    const arena = await createLobbyFromMenu(stage, "Cleo");
    const dan = await openPlayer(stage, `/?lobby=${arena.code}`);
    await waitForSnapshot(arena.page, (s) => s.peers.length === 1, "Cleo sees Dan");
    await waitForSnapshot(
      dan,
      (s) => s.peers.some((p) => p.statePacketsReceived > 10),
      "Dan hears Cleo",
    );
    const cleo = await waitForSnapshot(
      arena.page,
      (s) => s.peers.every((p) => p.statePacketsReceived > 10),
      "Cleo hears Dan",
    );
    expect(cleo.peers.map((p) => p.receiveDrops)).toEqual([0]);
    expect(cleo.world?.droppedEvents).toEqual({
      "too-large": 0,
      junk: 0,
      "unknown-stream": 0,
      "unknown-action": 0,
      invalid: 0,
    });
    const benId = (await roomOf(ben)).selfId;
    expect((await roomOf(ana)).peers).toEqual([benId]);
    const drops = await ana.evaluate(() => globalThis.example?.room.drops ?? null);
    expect(drops).toEqual({
      stream: { "too-large": 0, junk: 0, "unknown-stream": 0, "unknown-action": 0, invalid: 0 },
      reliable: { "too-large": 0, junk: 0, "unknown-stream": 0, "unknown-action": 0, invalid: 0 },
    });
    for (const page of [ana, ben, arena.page, dan])
      expect(problemsOf(page), page.url()).toEqual([]);
  });

  it("plays from another origin against the worker's lobby service", async () => {
    const elsewhere = await serveElsewhere(join(PROJECT_ROOT, "dist/game"));
    try {
      const address = `${elsewhere.url}${EXAMPLE}?server=${encodeURIComponent(stage.server.url)}`;
      const first = await (await stage.browser.newContext()).newPage();
      await first.goto(address);
      await expect
        .poll(() => new URL(first.url()).searchParams.get("lobby"))
        .toMatch(/^[0-9A-Z]{6}$/);
      const second = await (await stage.browser.newContext()).newPage();
      await second.goto(first.url());
      await waitForPeers(first, 1, "the first page's peers");
      await waitForPeers(second, 1, "the second page's peers");
      expect(new URL(first.url()).origin).not.toBe(new URL(stage.server.url).origin);
    } finally {
      elsewhere.server.close();
    }
  });

  it("fits a phone screen", async () => {
    const context = await stage.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const phone = await context.newPage();
    await phone.goto(
      `${stage.server.url}${new URL(ana.url()).pathname}${new URL(ana.url()).search}`,
    );
    await waitForPeers(phone, 2, "the phone's peers");
    await phone.touchscreen.tap(195, 500);
    await screenshot(phone, "example-phone");
    await screenshot(ana, "example-three-players-desktop");
    await context.close();
  });
});
