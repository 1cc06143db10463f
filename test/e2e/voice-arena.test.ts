/**
 * Voice in the arena, through its own controls: a player turns voice on in the lobby panel and
 * holds V (or, on a phone, the Talk button); the others' rosters show who has voice on, who is
 * speaking and who is muted. A browser that blocks the microphone gets a sentence saying what
 * to do, in the panel. Each player has a volume line; in a lobby created with nearby voice,
 * each voice is panned and faded from where the avatars are drawn, and whoever is heard has a
 * green ring on their avatar (looked at in the screenshots: test-results/e2e/voice-*.png).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GameSnapshot } from "../../game/debug.ts";
import { proximityMix } from "../../game/kit/voice/proximity.ts";
import { ARENA_PROXIMITY } from "../../game/session/voice-placement.ts";
import { ARENA_WIDTH } from "../../game/sim/arena.ts";
import { launchChromium } from "../../scripts/chromium.ts";
import { fakeMicrophoneArgs, writeSpeechWav } from "../../scripts/fake-microphone.ts";
import {
  bothChannelsOpen,
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

declare global {
  /** Every stereo panner the page made, with the gain made just before it in its context. */
  var madeVoiceNodes: { pan: StereoPannerNode; gain: GainNode | undefined }[] | undefined;
}

/**
 * Keeps the Web Audio nodes of placed voices reachable, to read the pan and gain they play at.
 * The kit makes a voice's gain and then its panner; the arena's own sounds use other gains.
 */
async function recordVoiceNodes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const made: { pan: StereoPannerNode; gain: GainNode | undefined }[] = [];
    globalThis.madeVoiceNodes = made;
    const lastGain = new WeakMap<BaseAudioContext, GainNode>();
    const proto = BaseAudioContext.prototype;
    const { createStereoPanner, createGain } = proto;
    proto.createGain = function (this: BaseAudioContext) {
      const node = createGain.call(this);
      lastGain.set(this, node);
      return node;
    };
    proto.createStereoPanner = function (this: BaseAudioContext) {
      const node = createStereoPanner.call(this);
      made.push({ pan: node, gain: lastGain.get(this) });
      return node;
    };
  });
}

/** The pan and gain the page plays its one placed voice at now; null before there is one. */
function playedMix(page: Page): Promise<{ pan: number; gain: number } | null> {
  return page.evaluate(() => {
    const nodes = globalThis.madeVoiceNodes?.[0];
    if (nodes?.gain === undefined) return null;
    return { pan: nodes.pan.pan.value, gain: nodes.gain.gain.value };
  });
}

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

  it("in a nearby-voice lobby, places each voice where its avatar is, with a volume line", async () => {
    const gus = await openPlayer(stage, "/");
    await gus.fill("#player-name", "Gus");
    await gus.selectOption("#voice-range", "proximity");
    await gus.click("#create-lobby");
    const created = await waitForSnapshot(gus, (s) => s.lobby !== null, "Gus in a lobby");
    expect(created.settings?.voice).toBe("proximity");
    const hana = await openPlayer(stage, `/?lobby=${created.lobby ?? ""}`, {
      beforeLoad: recordVoiceNodes,
    });
    const { hostId: gusId } = await connectedPair(gus, hana);
    await hana.mouse.click(5, 5);

    await gus.click("#voice-toggle");
    await gus.locator("#voice-open-mic").check();
    await expect
      .poll(() => gus.locator("#voice-status").textContent(), { timeout: 10_000 })
      .toBe("Players near you hear you.");
    // Hana hears Gus without turning her own voice on, and gets a volume line for him.
    const line = hana.locator(`#voice-mix li[data-peer-id="${gusId}"]`);
    await line.waitFor({ timeout: 15_000 });
    expect(await line.locator(".mix-volume").getAttribute("max")).toBe("200");
    await expect.poll(() => badgeOf(hana, gusId), { timeout: 10_000 }).toBe("speaking");
    await screenshot(hana, "voice-proximity-speaking-desktop");

    // Placed from the avatars: panned to Gus's side, faded with the distance between them.
    const expected = async (): Promise<{ pan: number; gain: number }> => {
      const snap = await snapshot(hana);
      const him = snap.peers[0]?.lastState;
      if (!him) throw new Error("Hana has no position for Gus");
      return proximityMix(snap.local, him, ARENA_PROXIMITY);
    };
    await expect.poll(() => playedMix(hana), { timeout: 10_000 }).not.toBeNull();
    /** Whether Hana plays Gus where his avatar is, at `volume` times the distance fade. */
    const placed = async (volume: number): Promise<boolean> => {
      const [played, want] = [await playedMix(hana), await expected()];
      return (
        played !== null &&
        Math.abs(played.pan - want.pan) < 0.05 &&
        Math.abs(played.gain - want.gain * volume) < 0.05
      );
    };
    await expect.poll(() => placed(1), { timeout: 10_000 }).toBe(true);
    // Hana turns him up to 150%: on top of the distance fade.
    await line.locator(".mix-volume").fill("150");
    await expect.poll(() => line.locator(".mix-value").textContent()).toBe("150%");
    await expect.poll(() => placed(1.5), { timeout: 10_000 }).toBe(true);
    // Gus walks towards the middle (wherever he spawned, he has room): his voice follows him.
    // The Open mic checkbox still has the focus: arrow keys are the avatar's all the same.
    expect(await gus.evaluate(() => document.activeElement?.id)).toBe("voice-open-mic");
    const panBefore = (await playedMix(hana))?.pan ?? Number.NaN;
    const startX = (await snapshot(gus)).local.x;
    const leftwards = startX > ARENA_WIDTH / 2;
    const key = leftwards ? "ArrowLeft" : "ArrowRight";
    await gus.keyboard.down(key);
    await gus.waitForTimeout(2500);
    await gus.keyboard.up(key);
    const walked = (await snapshot(gus)).local.x - startX;
    expect(leftwards ? -walked : walked).toBeGreaterThan(50);
    await expect.poll(() => placed(1.5), { timeout: 10_000 }).toBe(true);
    // Pan follows sideways distance: it moves the way he walked, or stays at its limit (within
    // what `placed` allows for a pan still gliding there).
    const panAfter = (await playedMix(hana))?.pan ?? Number.NaN;
    if (leftwards) expect(panAfter).toBeLessThanOrEqual(panBefore + 0.05);
    else expect(panAfter).toBeGreaterThanOrEqual(panBefore - 0.05);

    await line.locator(".mix-mute").click();
    await expect.poll(() => line.locator(".mix-value").textContent()).toBe("muted");
    await screenshot(hana, "voice-mix-muted-desktop");
    await gus.click("#voice-mute");
    await expect.poll(() => badgeOf(hana, gusId), { timeout: 10_000 }).toBe("muted");
    expect(problemsOf(gus)).toEqual([]);
    expect(problemsOf(hana)).toEqual([]);
    // Two pages, a walk and screenshots decoded in the browser: longer than the default.
  }, 150_000);
});
