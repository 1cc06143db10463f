/**
 * Joining from a link asks for a name first; a reload (F5) takes the tab's seat back within
 * the lobby's grace window (same peer id, score and chat lines), while a second tab of the same
 * browser is a second player. A host's reload leaves instead (the world is handed on).
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";
import {
  choosePickup,
  collect,
  scoreOf,
  startMatch,
  totalOf,
  waitForAgreement,
} from "./world-helpers.ts";

/** Notices that would mean the reload looked like a leave and a join to others. */
const LEFT_OR_JOINED = / (left|joined|timed out|was removed by the host)$/;

describe("a lobby link, then a reload", () => {
  let stage: Stage;
  let alice: Page;
  let bob: Page;
  let code = "";
  let bobId = "";
  /** Bob's match points, which every later step expects to survive. */
  let points = 0;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("asks for a name before joining from a link, with a name ready to take", async () => {
    ({ page: alice, code } = await createLobbyFromMenu(stage, "Alice"));
    bob = await openPlayer(stage, `/?lobby=${code}`, { stopAtJoinStep: true });
    await expect.poll(() => bob.locator("#join-step").isVisible()).toBe(true);
    expect(await bob.locator("#lobby-menu").isVisible()).toBe(false);
    expect(await bob.locator("#join-step-code").textContent()).toBe(code);
    // A first visit has no name yet: a made-up one, selected, so typing replaces it.
    expect(await bob.locator("#join-step-name").inputValue()).toMatch(/^Player-\d{3}$/);
    expect(await bob.evaluate(() => document.activeElement?.id)).toBe("join-step-name");
    expect((await snapshot(bob)).connection).toBe("closed");
    await bob.setViewportSize({ width: 1280, height: 800 });
    await screenshot(bob, "join-step-desktop");

    await bob.keyboard.type("Bob");
    await bob.keyboard.press("Enter");
    const joined = await waitForSnapshot(bob, (s) => s.connection === "open", "Bob in");
    bobId = joined.peerId ?? "";
    await waitForSnapshot(
      alice,
      (s) => s.roster.some((p) => p.id === bobId && p.name === "Bob"),
      "Alice to see Bob by the name he chose",
    );
    expect(await bob.locator("#join-step").isVisible()).toBe(false);
  });

  it("offers the name used last when a link is opened again", async () => {
    const again = await bob.context().newPage();
    await again.goto(`${stage.server.url}/?lobby=${code}`);
    await expect.poll(() => again.locator("#join-step").isVisible()).toBe(true);
    expect(await again.locator("#join-step-name").inputValue()).toBe("Bob");
    await again.close();
  });

  it("takes the seat back after a reload: same peer id, score and chat, no leave or join", async () => {
    // Points count in a match only: start one, and take a pickup in its first round.
    await startMatch(alice, [bob]);
    const start = await waitForSnapshot(bob, (s) => s.world?.scoring === true, "round 1");
    await collect(bob, choosePickup(start), scoreOf(start.world, bobId));
    const [scored] = await waitForAgreement([alice, bob], "Bob's point");
    points = totalOf(scored?.world ?? null, bobId);
    expect(points).toBeGreaterThan(0);
    await bob.fill("#chat-input", "brb, reloading");
    await bob.press("#chat-input", "Enter");
    // Both logs hold the line: Bob's tab keeps what its log shows when his own line comes back.
    for (const page of [alice, bob]) {
      await waitForSnapshot(
        page,
        (s) => s.chat.some((line) => line.text === "brb, reloading"),
        "the line in the log",
      );
    }
    const noticesBefore = (await snapshot(alice)).notices.length;

    await bob.reload();
    const back = await waitForSnapshot(
      bob,
      (s) => s.connection === "open" && s.world !== null && s.world.scores.length === 2,
      "Bob back in the lobby",
    );
    expect(back.peerId).toBe(bobId);
    expect(await bob.locator("#join-step").isVisible()).toBe(false);
    // The lines this tab showed, back from the tab's own storage.
    expect(back.chat.map((line) => line.text)).toContain("brb, reloading");
    await expect.poll(() => bob.locator("#chat-log").textContent()).toContain("brb, reloading");

    const [aliceView] = await waitForAgreement([alice, bob], "the world after the reload", (s) =>
      s.roster.every((p) => p.connected),
    );
    expect(aliceView?.roster.map((p) => p.id)).toContain(bobId);
    expect(totalOf(aliceView?.world ?? null, bobId)).toBe(points);
    expect(totalOf(back.world, bobId)).toBe(points);
    const since = (await snapshot(alice)).notices.slice(noticesBefore);
    expect(since.filter((notice) => LEFT_OR_JOINED.test(notice))).toEqual([]);
    await screenshot(bob, "reload-back-bob");
  });

  it("makes a second tab of the same browser a second player", async () => {
    const context: BrowserContext = bob.context();
    const second = await context.newPage();
    await second.goto(`${stage.server.url}/?lobby=${code}`);
    await second.click("#join-step-submit");
    const joined = await waitForSnapshot(
      second,
      (s) => s.connection === "open",
      "the second tab in",
    );
    expect(joined.peerId).not.toBe(bobId);
    await waitForSnapshot(alice, (s) => s.roster.length === 3, "Alice to see three players");
    expect((await snapshot(bob)).peerId).toBe(bobId);
    expect((await snapshot(bob)).connection).toBe("open");
  });

  it("lets a host's reload leave, so the next host carries the world on", async () => {
    const aliceId = (await snapshot(alice)).peerId ?? "";
    expect((await snapshot(bob)).hostId).toBe(aliceId);
    await alice.reload();
    await waitForSnapshot(
      bob,
      (s) => s.hostId === bobId && s.world?.hostId === bobId && totalOf(s.world, bobId) >= points,
      "Bob to take the world over, his point with it",
    );
    expect((await snapshot(bob)).notices).toContain("Alice left");
    await expect.poll(() => alice.locator("#join-step").isVisible()).toBe(true);
  });

  it("forgets the seat on Leave: a reload then asks for a name again", async () => {
    await bob.click("#leave-lobby");
    await waitForSnapshot(bob, (s) => s.lobby === null, "Bob out");
    await bob.goto(`${stage.server.url}/?lobby=${code}`);
    await expect.poll(() => bob.locator("#join-step").isVisible()).toBe(true);
  });

  it("produced no page errors", () => {
    expect(problemsOf(alice)).toEqual([]);
    expect(problemsOf(bob)).toEqual([]);
  });
});

describe("the name step on a phone", () => {
  let stage: Stage;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("fits the screen and joins with the name typed", async () => {
    const { page: host, code } = await createLobbyFromMenu(stage, "Host");
    const context = await stage.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const phone = await context.newPage();
    await phone.goto(`${stage.server.url}/?lobby=${code}`);
    await expect.poll(() => phone.locator("#join-step").isVisible()).toBe(true);
    await phone.fill("#join-step-name", "Pat");
    await screenshot(phone, "join-step-phone");
    await phone.tap("#join-step-submit");
    const joined = await waitForSnapshot(phone, (s) => s.connection === "open", "Pat in");
    await waitForSnapshot(
      host,
      (s) => s.roster.some((p) => p.id === joined.peerId && p.name === "Pat"),
      "the host to see Pat",
    );
  });
});
