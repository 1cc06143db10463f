/**
 * LAN play: the server started the way `npm run start:lan` starts it (every interface, join
 * links on the LAN address), with the test bridge's root address standing in for this
 * machine's LAN address. The host plays on http://127.0.0.1 in the root namespace, as someone
 * at the computer would; the guest is a Chromium in another network namespace, which can reach
 * the bridge address and nothing else, like a phone on the same Wi-Fi. The QR code is read from
 * a screenshot of the page with the tests' own reader (./qr-reader.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.ts";
import { type LanServer, startLanServer } from "../../scripts/lan-server.ts";
import { PROJECT_ROOT } from "../../scripts/local-server.ts";
import {
  launchChromiumInNamespace,
  type NamespacedBrowser,
} from "../../scripts/net/chromium-in-netns.ts";
import { createTopology, type Topology } from "../../scripts/netns.ts";
import { joinFromLinkStep, SCREENSHOT_DIR, snapshot, waitForSnapshot } from "./harness.ts";
import { networkSuiteRuns } from "./network-harness.ts";
import { type Bitmap, readQrCode, sampleModules } from "./qr-reader.ts";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!networkSuiteRuns("LAN play"))("LAN play (npm run start:lan)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  let topology: Topology;
  let lan: LanServer;
  let hostBrowser: Browser;
  let guestBrowser: NamespacedBrowser;
  let host: Page;
  let code: string;

  beforeAll(async () => {
    if (!existsSync(join(PROJECT_ROOT, "dist/game/index.html"))) {
      throw new Error("the game is not built: run `npm run build` first");
    }
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    topology = await createTopology({ players: 1 });
    cleanups.push(() => topology.destroy());
    const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-lan-"));
    cleanups.push(() => rm(persistTo, { recursive: true, force: true }));
    lan = await startLanServer({ host: topology.hostAddress, persistTo });
    cleanups.push(() => lan.server.stop());
    hostBrowser = await launchChromium();
    cleanups.push(() => hostBrowser.close());
    const guestNet = topology.players[0];
    if (!guestNet) throw new Error("expected a player namespace");
    guestBrowser = await launchChromiumInNamespace(guestNet.namespace);
    cleanups.push(() => guestBrowser.close());
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it("serves this computer on 127.0.0.1 and other devices on the LAN address", () => {
    expect(lan.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lan.lanOrigin).toBe(`http://${topology.hostAddress}:${new URL(lan.server.url).port}`);
  });

  it("shares the LAN address, in the link and the QR code, from a page opened on 127.0.0.1", async () => {
    host = await (await hostBrowser.newContext({ viewport: DESKTOP })).newPage();
    await host.goto(`${lan.server.url}/`);
    await host.fill("#player-name", "Host");
    await host.click("#create-lobby");
    code = (await waitForSnapshot(host, (s) => s.peerId !== null, "the host welcomed")).lobby ?? "";
    const expected = `${lan.lanOrigin}/?lobby=${code}`;
    expect(new URL(host.url()).hostname).toBe("127.0.0.1");
    await expect.poll(() => host.locator("#share-link").textContent()).toBe(expected);
    expect(await host.locator("#share-link").getAttribute("href")).toBe(expected);
    expect(await host.locator("#share-note").isHidden()).toBe(true);
    expect(await readQrOnScreen(host)).toBe(expected);
    await screenshotInvite(host, "lan-invite-1280x800");

    await host.setViewportSize(PHONE);
    // A phone's panel folds the invite away; a tap on its heading brings the code back.
    await expect.poll(() => host.locator("#invite-section").getAttribute("open")).toBeNull();
    expect(await readQrOnScreen(host)).toBe(expected);
    await screenshotInvite(host, "lan-invite-390x844");
    await host.setViewportSize(DESKTOP);
  });

  it("lets a player in another namespace open the code's link and play with the host", async () => {
    const fromQr = await readQrOnScreen(host);
    const guest = await (await guestBrowser.browser.newContext({ viewport: PHONE })).newPage();
    await guest.goto(fromQr);
    await joinFromLinkStep(guest);
    const welcomed = await waitForSnapshot(
      guest,
      (s) => s.lobby === code && s.peerId !== null && s.roster.length === 2,
      "the guest welcomed into the host's lobby",
    );
    await waitForSnapshot(host, (s) => s.roster.length === 2, "the host sees the guest");
    // Game state flows both ways, peer to peer across the "LAN".
    for (const page of [host, guest]) {
      await waitForSnapshot(
        page,
        (s) =>
          s.peers.length === 1 &&
          s.peers.every((peer) => peer.path === "direct" && peer.statePacketsReceived > 0),
        "avatar states from the other player over a direct path",
      );
    }
    // The guest's own invite names the same LAN address.
    await expect
      .poll(() => guest.locator("#share-link").textContent())
      .toBe(`${lan.lanOrigin}/?lobby=${code}`);
    await guest.screenshot({ path: join(SCREENSHOT_DIR, "lan-guest-390x844.png") });
    expect((await snapshot(host)).roster.map((entry) => entry.id)).toContain(welcomed.peerId);
  });
});

/**
 * Decodes the QR code as a camera would see it: a screenshot of it, pixel by pixel. On a small
 * screen the invite is folded: tap its heading open first, as a player would.
 */
async function readQrOnScreen(page: Page): Promise<string> {
  const invite = page.locator("#invite-section");
  if ((await invite.getAttribute("open")) === null) await invite.locator("summary").click();
  const qr = page.locator("#qr-code");
  await qr.scrollIntoViewIfNeeded();
  // The rounded corners would show the panel behind them; the quiet zone is white there anyway.
  const png = await qr.screenshot({ style: "#qr-code { border-radius: 0 }" });
  return readQrCode(sampleModules(await pixels(page, png)));
}

/** RGBA pixels of a PNG, decoded by the browser in a blank page of the same context. */
async function pixels(page: Page, png: Buffer): Promise<Bitmap> {
  const scratch = await page.context().newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2D canvas");
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      return { width: image.width, height: image.height, rgba: [...data] };
    }, png.toString("base64"));
  } finally {
    await scratch.close();
  }
}

/** The whole page, and the invite section alone (the link and the QR code, readable). */
async function screenshotInvite(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  await page.locator(".share").screenshot({ path: join(SCREENSHOT_DIR, `${name}-invite.png`) });
}
