/**
 * Every screen of a match, at six window sizes, on real pages, saved for people to look at:
 * the menu, the warm-up, the 3-2-1, mid-round, a round's results and the podium, then a second
 * match with eight players. Six players join one lobby, each page at one of the sizes, so each
 * stage is caught at every size at once; the host's dev switches make the match short. The
 * test asserts what a player relies on (every page reaches every stage, the chat input stays
 * on screen, the status line keeps off the banner, no page errors), never how long anything
 * took. Screenshots: test-results/e2e/screens-<screen>-<size>.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GameSnapshot } from "../../game/debug.ts";
import type { MatchStage } from "../../game/world/events-wire.ts";
import {
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
  { width: 1024, height: 640 },
  { width: 768, height: 1024 },
  { width: 390, height: 844 },
  { width: 844, height: 390 },
] as const;
type Size = (typeof SIZES)[number];
const sameSize = (a: Size, b: Size): boolean => a.width === b.width && a.height === b.height;
const PHONE: Size = { width: 390, height: 844 };
/** Phones are touch screens: no keyboard hints, steering by holding a finger. */
const isPhone = (size: Size): boolean => Math.min(size.width, size.height) < 480;
/** The host's page: the second match's eight-player shot is taken at its size. */
const HOST_SIZE: Size = { width: 1280, height: 800 };
/**
 * The host's switches: a countdown and results long enough to shoot six pages on a busy machine,
 * and rounds that last until the host ends them (End round) once the shots are taken.
 */
const MATCH_SWITCHES = "?countdown=5&round=600&results=8";
const NAMES = ["Ana", "Bartholomew-Maximilian", "Chidi", "Dana 🦊", "Eun-ji", "Faisal"];
const LATE_NAMES = ["Gus", "Hana"];
const ARENA = { width: 960, height: 540 } as const;
/** The banner's part of the arena (game/sim/scoreboard-area.ts BANNER_AREA). */
const BANNER = { x: 240, y: 0, width: 480, height: 120 } as const;

interface Player {
  readonly page: Page;
  readonly name: string;
  readonly size: Size;
}

const sizeName = (size: Size): string => `${size.width}x${size.height}`;

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

async function resize(page: Page, size: Size): Promise<void> {
  await page.setViewportSize(size);
  // Phaser fits the canvas on the frame after the resize; the panel's layout is CSS.
  await nextFrames(page);
  await nextFrames(page);
}

async function shoot(player: Player, screen: string): Promise<void> {
  await screenshot(player.page, `screens-${screen}-${sizeName(player.size)}`);
}

async function joinByCode(stage: Stage, name: string, code: string, size: Size): Promise<Player> {
  const page = await openPlayer(stage, "/", isPhone(size) ? { touchScreen: size } : {});
  await resize(page, size);
  await page.fill("#player-name", name);
  await page.fill("#join-code", code);
  await page.click("#join-lobby");
  await waitForSnapshot(page, (s) => s.lobby === code && s.connection === "open", `${name} in`);
  return { page, name, size };
}

async function everyoneAt(
  players: readonly Player[],
  stage: MatchStage,
  round: number,
): Promise<GameSnapshot[]> {
  return Promise.all(
    players.map(({ page, name }) =>
      waitForSnapshot(
        page,
        (s) => s.world?.stage === stage && s.world.round === round,
        `${name} at ${stage} of round ${round}`,
        60_000,
      ),
    ),
  );
}

/** Holds the pointer on an arena point (the avatar heads for it) for a moment. */
async function steerTowards(page: Page, x: number, y: number, holdMs: number): Promise<void> {
  const box = await page.locator("#stage canvas").boundingBox();
  if (!box) throw new Error("no arena canvas");
  await page.mouse.move(
    box.x + (x / ARENA.width) * box.width,
    box.y + (y / ARENA.height) * box.height,
  );
  await page.mouse.down();
  await page.waitForTimeout(holdMs);
  await page.mouse.up();
}

/**
 * Heads for the nearest active pickup until someone takes it (or the round ends); true if we
 * did. Pages chase at once, so a pickup can go to another player: that is fine here.
 */
async function chasePickup(page: Page): Promise<boolean> {
  const start = await snapshot(page);
  const self = start.peerId ?? "";
  const scoreOf = (s: GameSnapshot): number =>
    s.world?.scores.find((line) => line.peerId === self)?.score ?? 0;
  const before = scoreOf(start);
  const [target] = (start.world?.pickups ?? [])
    .filter((pickup) => pickup.active)
    .sort(
      (a, b) =>
        Math.hypot(a.x - start.local.x, a.y - start.local.y) -
        Math.hypot(b.x - start.local.x, b.y - start.local.y),
    );
  if (target === undefined) return false;
  const box = await page.locator("#stage canvas").boundingBox();
  if (!box) throw new Error("no arena canvas");
  await page.mouse.move(
    box.x + (target.x / ARENA.width) * box.width,
    box.y + (target.y / ARENA.height) * box.height,
  );
  await page.mouse.down();
  try {
    const end = await waitForSnapshot(
      page,
      (s) =>
        s.world?.stage !== "round" ||
        !(s.world?.pickups.some((pickup) => pickup.id === target.id && pickup.active) ?? false),
      "the pickup taken",
      30_000,
    );
    return scoreOf(end) > before;
  } finally {
    await page.mouse.up();
  }
}

/** What a player needs on every screen: the chat input on screen, the banner not covered. */
async function expectUsableLayout(player: Player): Promise<void> {
  const { page, size, name } = player;
  const input = await page.locator("#chat-input").boundingBox();
  expect(input, `${name}'s chat input`).not.toBeNull();
  if (input) {
    expect(input.y, `${name}'s chat input top`).toBeGreaterThanOrEqual(0);
    expect(input.y + input.height, `${name}'s chat input bottom`).toBeLessThanOrEqual(size.height);
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.id ?? "", {
      x: input.x + input.width / 2,
      y: input.y + input.height / 2,
    });
    expect(onTop, `what covers ${name}'s chat input`).toBe("chat-input");
  }
  const canvas = await page.locator("#stage canvas").boundingBox();
  const status = await page.locator("#status").boundingBox();
  expect(canvas, `${name}'s arena`).not.toBeNull();
  if (canvas && status) {
    const scale = canvas.width / ARENA.width;
    const banner = {
      x: canvas.x + BANNER.x * scale,
      y: canvas.y + BANNER.y * scale,
      width: BANNER.width * scale,
      height: BANNER.height * scale,
    };
    const overlaps =
      status.x < banner.x + banner.width &&
      banner.x < status.x + status.width &&
      status.y < banner.y + banner.height &&
      banner.y < status.y + status.height;
    expect(overlaps, `${name}'s status line over the banner`).toBe(false);
  }
}

function hostOf(players: readonly Player[]): Player {
  const [host] = players;
  if (host === undefined) throw new Error("no host yet");
  return host;
}

describe("screens at every size", () => {
  let stage: Stage;
  let code = "";
  const players: Player[] = [];

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("the menu at every size", async () => {
    const page = await openPlayer(stage, `/${MATCH_SWITCHES}`);
    await page.fill("#player-name", NAMES[0] ?? "Ana");
    for (const size of SIZES) {
      await resize(page, size);
      await screenshot(page, `screens-menu-${sizeName(size)}`);
    }
    await resize(page, HOST_SIZE);
    await page.click("#create-lobby");
    const created = await waitForSnapshot(page, (s) => s.lobby !== null, "the host in a lobby");
    code = created.lobby ?? "";
    players.push({ page, name: NAMES[0] ?? "Ana", size: HOST_SIZE });
  });

  it("six players warm up, one page per size", { timeout: 120_000 }, async () => {
    const others = SIZES.filter((size) => !sameSize(size, HOST_SIZE));
    for (const [index, size] of others.entries()) {
      players.push(await joinByCode(stage, NAMES[index + 1] ?? `P${index}`, code, size));
    }
    for (const { page, name } of players) {
      await waitForSnapshot(
        page,
        (s) =>
          s.peers.length === players.length - 1 &&
          s.peers.every((peer) => peer.path !== "none") &&
          s.world?.stage === "warmup" &&
          s.world.scores.length === players.length,
        `${name} linked to everyone, in the warm-up`,
      );
    }
    // Spread out, as players do while they wait.
    await Promise.all(
      players.map(({ page }, index) =>
        steerTowards(page, 120 + index * 140, 200 + (index % 3) * 110, 700),
      ),
    );
    for (const player of players) {
      // Shot first, so a failed layout check leaves a picture of what it saw.
      await shoot(player, "warmup");
      await expectUsableLayout(player);
    }
  });

  it("the host starts: a countdown, then a round, on every page and size", {
    timeout: 180_000,
  }, async () => {
    for (const { page } of players.slice(1)) await page.click("#ready-toggle");
    const host = hostOf(players);
    await expect
      .poll(() => host.page.locator("#start-game").isEnabled(), { timeout: 20_000 })
      .toBe(true);
    await host.page.click("#start-game");
    await everyoneAt(players, "countdown", 1);
    await Promise.all(players.map((player) => shoot(player, "countdown")));
    await everyoneAt(players, "round", 1);
    // Everyone goes for a pickup; each page is shot as its own chase ends, "+1" and all.
    const scored = await Promise.all(
      players.map(async (player) => {
        const won = await chasePickup(player.page);
        await shoot(player, "round");
        return won;
      }),
    );
    expect(scored.some(Boolean)).toBe(true);
    for (const player of players) await expectUsableLayout(player);
  });

  it("each round ends in its results; the last in a podium", { timeout: 240_000 }, async () => {
    const host = hostOf(players);
    await host.page.click("#finish-game");
    const first = await everyoneAt(players, "results", 1);
    await Promise.all(players.map((player) => shoot(player, "results")));
    // Every page shows the same results.
    const lines = first.map((s) => JSON.stringify(s.world?.scores));
    expect(new Set(lines).size).toBe(1);
    const rounds = first[0]?.world?.rounds ?? 0;
    expect(rounds).toBeGreaterThanOrEqual(2);
    for (let round = 2; round <= rounds; round++) {
      await everyoneAt(players, "round", round);
      await Promise.all(players.map((player) => chasePickup(player.page)));
      await host.page.click("#finish-game");
    }
    await everyoneAt(players, "podium", rounds);
    // Confetti falls for a few seconds after the fanfare: shoot while it does.
    await Promise.all(players.map((player) => shoot(player, "podium")));
    await expect.poll(() => host.page.locator("#reopen-lobby").isVisible()).toBe(true);
  });

  it("a second match with eight players, mid-round", { timeout: 180_000 }, async () => {
    const host = hostOf(players);
    await host.page.click("#reopen-lobby");
    await everyoneAt(players, "warmup", 0);
    for (const name of LATE_NAMES) players.push(await joinByCode(stage, name, code, HOST_SIZE));
    for (const { page, name } of players) {
      await waitForSnapshot(
        page,
        (s) =>
          s.peers.length === players.length - 1 &&
          s.peers.every((peer) => peer.path !== "none") &&
          s.world?.scores.length === players.length,
        `${name} linked to all eight`,
      );
    }
    for (const { page, name } of players.slice(1)) {
      if ((await page.locator("#ready-toggle").getAttribute("aria-pressed")) !== "true") {
        await page.click("#ready-toggle");
      }
      await waitForSnapshot(
        page,
        (s) => s.roster.find((p) => p.name === name)?.ready === true,
        `${name} ready`,
      );
    }
    await expect
      .poll(() => host.page.locator("#start-game").isEnabled(), { timeout: 20_000 })
      .toBe(true);
    await host.page.click("#start-game");
    await everyoneAt(players, "round", 1);
    await Promise.all(players.map((player) => chasePickup(player.page)));
    await screenshot(host.page, "screens-round-8-players-1280x800");
    const phone = players.find((player) => sameSize(player.size, PHONE));
    if (phone) await shoot(phone, "round-8-players");
    for (const player of players) await expectUsableLayout(player);
  });

  it("remembers the mute choice across a reload, and no page had an error", async () => {
    const phone = players.find((player) => sameSize(player.size, PHONE));
    if (!phone) throw new Error("no phone page");
    const button = phone.page.locator("#mute-toggle");
    await expect.poll(() => button.getAttribute("aria-label")).toBe("Mute sounds");
    expect(await button.getAttribute("aria-pressed")).toBe("false");
    await button.click();
    expect(await button.getAttribute("aria-pressed")).toBe("true");
    for (const { page, name } of players) expect(problemsOf(page), name).toEqual([]);
    await phone.page.reload();
    // A reload on a busy machine takes longer than expect.poll's default second.
    await expect
      .poll(() => phone.page.locator("#mute-toggle").getAttribute("aria-pressed"), {
        timeout: 15_000,
      })
      .toBe("true");
  });
});
