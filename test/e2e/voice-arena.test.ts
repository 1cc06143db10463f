/**
 * Voice in the arena, through its own controls: a player turns voice on in the lobby panel and
 * holds V (or, on a phone, the Talk button); the others' rosters show who has voice on, who is
 * speaking and who is muted. A browser that blocks the microphone gets a sentence saying what
 * to do, in the panel. Screenshots: test-results/e2e/voice-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GameSnapshot } from "../../game/debug.ts";
import { launchChromium } from "../../scripts/chromium.ts";
import {
  bothChannelsOpen,
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";
import { fakeMicrophoneArgs, writeSpeechWav } from "./voice-wav.ts";

/** The voice badge on `viewer`'s roster row for `peerId` (null: no badge). */
function badgeOf(viewer: Page, peerId: string): Promise<string | null> {
  return viewer.evaluate(
    (id) =>
      document.querySelector<HTMLElement>(`#roster li[data-peer-id="${id}"] .voice-badge`)?.dataset[
        "voice"
      ] ?? null,
    peerId,
  );
}

/** Both pages reach each other: over open channels, or (edge-only pages) the edge relay. */
async function connectedPair(
  host: Page,
  guest: Page,
): Promise<{ hostId: string; guestId: string }> {
  const linked = (s: GameSnapshot): boolean =>
    s.peers.length === 1 && s.peers.every((p) => bothChannelsOpen(p) || p.path === "edge");
  const hosted = await waitForSnapshot(host, linked, "the host linked to the guest");
  const guested = await waitForSnapshot(guest, linked, "the guest linked to the host");
  return { hostId: guested.peers[0]?.id ?? "", guestId: hosted.peers[0]?.id ?? "" };
}

describe("voice in the arena", () => {
  let stage: Stage;

  beforeAll(async () => {
    stage = await startStage({}, { chromiumArgs: fakeMicrophoneArgs(await writeSpeechWav()) });
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("is turned on in the panel, V talks, and the other player sees who speaks", async () => {
    const ana = await createLobbyFromMenu(stage, "Ana");
    const ben = await openPlayer(stage, `/?lobby=${ana.code}`);
    const { hostId: anaId } = await connectedPair(ana.page, ben);
    expect(await badgeOf(ben, anaId)).toBeNull();

    await ana.page.click("#voice-toggle");
    await expect
      .poll(() => ana.page.locator("#voice-status").textContent(), { timeout: 10_000 })
      .toBe("Hold V or Talk to speak.");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("voice-on");

    await ana.page.keyboard.down("v");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("speaking");
    expect(await ana.page.locator("#voice-talk").textContent()).toBe("Talking…");
    await screenshot(ana.page, "voice-talking-desktop");
    await screenshot(ben, "voice-roster-speaking-desktop");
    await ana.page.keyboard.up("v");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("voice-on");

    await ana.page.click("#voice-mute");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("muted");
    await ana.page.click("#voice-deafen");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("deafened");
    // Undeafen gives the earlier mute back.
    await ana.page.click("#voice-deafen");
    await expect.poll(() => badgeOf(ben, anaId), { timeout: 10_000 }).toBe("muted");
    await screenshot(ben, "voice-roster-muted-desktop");
    expect(problemsOf(ana.page)).toEqual([]);
    expect(problemsOf(ben)).toEqual([]);
  });

  it("on a phone, the Talk button is held to speak", async () => {
    const host = await createLobbyFromMenu(stage, "Cleo");
    const phone = await openPlayer(stage, `/?lobby=${host.code}`, {
      touchScreen: { width: 390, height: 844 },
    });
    const { guestId: phoneId } = await connectedPair(host.page, phone);
    // Folded at first on a small screen, like the invite: one tap on its heading opens it.
    expect(await phone.locator("#voice-section").getAttribute("open")).toBeNull();
    await phone.click("#voice-section > summary");
    await phone.click("#voice-toggle");
    await expect
      .poll(() => phone.locator("#voice-status").textContent(), { timeout: 10_000 })
      .toBe("Hold Talk to speak.");
    const talk = phone.locator("#voice-talk");
    await talk.scrollIntoViewIfNeeded();
    const box = await talk.boundingBox();
    if (!box) throw new Error("the Talk button is not on screen");
    // A finger held on the button (pointer events, as a touch sends them).
    await talk.dispatchEvent("pointerdown", {
      pointerId: 1,
      pointerType: "touch",
      isPrimary: true,
    });
    await expect.poll(() => badgeOf(host.page, phoneId), { timeout: 10_000 }).toBe("speaking");
    await screenshot(phone, "voice-talking-phone");
    await talk.dispatchEvent("pointerup", { pointerId: 1, pointerType: "touch", isPrimary: true });
    await expect.poll(() => badgeOf(host.page, phoneId), { timeout: 10_000 }).toBe("voice-on");
  });

  it("tells both players of a pair on the edge relay that it carries no voice", async () => {
    const eve = await createLobbyFromMenu(stage, "Eve", "?transport=edge");
    const finn = await openPlayer(stage, `/?lobby=${eve.code}&transport=edge`);
    const { hostId: eveId, guestId: finnId } = await connectedPair(eve.page, finn);
    expect(await badgeOf(finn, eveId)).toBeNull();
    await eve.page.click("#voice-toggle");
    await expect.poll(() => badgeOf(eve.page, finnId), { timeout: 10_000 }).toBe("no-path");
    await expect.poll(() => badgeOf(finn, eveId), { timeout: 10_000 }).toBe("no-path");
    await screenshot(finn, "voice-no-path-desktop");
  });

  it("says what to do when the browser blocks the microphone", async () => {
    // Without the flag that grants it, headless Chromium answers the permission prompt with no.
    let blocked: Browser | undefined;
    try {
      blocked = await launchChromium({ args: ["--use-fake-device-for-media-stream"] });
      const host = await createLobbyFromMenu(stage, "Dana");
      const page = await (
        await blocked.newContext({ viewport: { width: 1024, height: 640 } })
      ).newPage();
      await page.goto(`${stage.server.url}/?lobby=${host.code}`);
      await page.click("#join-step-submit");
      await page.waitForSelector("#voice-toggle", { state: "visible" });
      await page.click("#voice-toggle");
      await expect
        .poll(() => page.locator("#voice-status").textContent(), { timeout: 10_000 })
        .toContain("Your browser blocked the microphone.");
      expect(await page.locator("#voice-status").getAttribute("class")).toContain("is-error");
      expect(await page.locator("#voice-toggle").textContent()).toBe("🎤 Turn voice on");
      await screenshot(page, "voice-blocked-desktop");
    } finally {
      await blocked?.close();
    }
  });
});
