/**
 * Voice between two real Chromium pages of the kit's example game (`examples/minimal`), with a
 * fake microphone playing a generated WAV: the track is added to the live connection by a
 * renegotiation that leaves the data channels alone, and what the receiving page's WebRTC
 * stack counts (`inbound-rtp` packets and the played audio's energy) rises while the talker
 * holds push-to-talk or speaks in open mode, and stays flat while they are silent, muted or
 * the listener is deafened. A voice turned above 100%, or placed left or right, plays through
 * Web Audio instead: what its analyser reads is then the proof of sound, and the element's
 * energy stays flat because the element is muted.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeMicrophoneArgs, writeSpeechWav } from "../../scripts/fake-microphone.ts";
import { openPlayer, problemsOf, type Stage, startStage } from "./harness.ts";

declare global {
  /** Every AudioContext the page made, in order (set by the test's init script). */
  var madeAudioContexts: AudioContext[] | undefined;
}

const EXAMPLE = "/examples/minimal/";
/** The kit reads audio stats with its path check, once a second: a window spans a few. */
const WINDOW_MS = 2500;

interface Heard {
  readonly packets: number;
  readonly energy: number;
}

async function selfId(page: Page): Promise<string> {
  await page.waitForFunction(() => globalThis.example?.room.selfId != null, null, {
    timeout: 15_000,
  });
  return (await page.evaluate(() => globalThis.example?.room.selfId)) ?? "";
}

/** What `listener` has received of `talker`'s voice so far. */
async function heard(listener: Page, talker: string): Promise<Heard> {
  const audio = await listener.evaluate(
    (id) => globalThis.example?.room.stats(id)?.audioIn ?? null,
    talker,
  );
  return { packets: audio?.packetsReceived ?? 0, energy: audio?.totalAudioEnergy ?? 0 };
}

/** What arrives over one window. */
async function heardOver(listener: Page, talker: string): Promise<Heard> {
  const before = await heard(listener, talker);
  await listener.waitForTimeout(WINDOW_MS);
  const after = await heard(listener, talker);
  return { packets: after.packets - before.packets, energy: after.energy - before.energy };
}

/** Whether `listener` shows `talker` as speaking. */
function speaking(listener: Page, talker: string): Promise<boolean | undefined> {
  return listener.evaluate((id) => globalThis.example?.room.voice.peer(id).speaking, talker);
}

/**
 * The loudest level the listener's Web Audio played `talker` at over one window (null samples:
 * the element path, read as 0). Fake speech has pauses, so one read could land in one.
 */
async function loudestPlayed(listener: Page, talker: string): Promise<number> {
  let loudest = 0;
  for (let read = 0; read < 25; read++) {
    const level = await listener.evaluate(
      (id) => globalThis.example?.room.voice.peer(id).level ?? 0,
      talker,
    );
    loudest = Math.max(loudest, level);
    await listener.waitForTimeout(WINDOW_MS / 25);
  }
  return loudest;
}

function playoutOf(listener: Page, talker: string): Promise<string | null | undefined> {
  return listener.evaluate((id) => globalThis.example?.room.voice.peer(id).playout, talker);
}

/** Keeps every AudioContext the page makes reachable, so a test can suspend one as a hidden tab would. */
async function recordAudioContexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = globalThis.AudioContext;
    const made: AudioContext[] = [];
    globalThis.madeAudioContexts = made;
    globalThis.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
      }
    };
  });
}

/** Waits until what the talker just did shows in the listener's once-a-second stats. */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(2000);
}

describe("voice over the mesh connections", () => {
  let stage: Stage;
  let ana: Page;
  let ben: Page;
  let anaId: string;
  let benId: string;

  beforeAll(async () => {
    stage = await startStage({}, { chromiumArgs: fakeMicrophoneArgs(await writeSpeechWav()) });
    ana = await openPlayer(stage, EXAMPLE);
    await ana.waitForFunction(() => new URL(location.href).searchParams.has("lobby"));
    ben = await openPlayer(stage, new URL(ana.url()).pathname + new URL(ana.url()).search, {
      beforeLoad: recordAudioContexts,
    });
    anaId = await selfId(ana);
    benId = await selfId(ben);
    for (const [page, peer] of [
      [ana, benId],
      [ben, anaId],
    ] as const) {
      await page.waitForFunction(
        (id) => globalThis.example?.room.stats(id)?.path === "direct",
        peer,
        {
          timeout: 20_000,
        },
      );
      // A click: browsers play sound only after the player has touched the page.
      await page.mouse.click(200, 300);
    }
  }, 90_000);

  afterAll(async () => {
    await stage?.stop();
  });

  it("captures nothing until turned on, then adds the track without disturbing the channels", async () => {
    expect(await ana.evaluate(() => globalThis.example?.room.voice.state.phase)).toBe("off");
    expect(await heard(ben, anaId)).toEqual({ packets: 0, energy: 0 });
    const channelsBefore = await ben.evaluate(
      (id) => globalThis.example?.room.stats(id)?.channelsOpenAt,
      anaId,
    );
    expect(await ana.evaluate(() => globalThis.example?.room.voice.enable())).toEqual({ ok: true });
    await expect
      .poll(() => ben.evaluate((id) => globalThis.example?.room.voice.peer(id).status, anaId), {
        timeout: 15_000,
      })
      .toBe("live");
    // Same connection, channels never closed: state kept flowing through the renegotiation.
    const after = await ben.evaluate((id) => globalThis.example?.room.stats(id) ?? null, anaId);
    expect(after?.channelsOpenAt).toBe(channelsBefore);
    expect(after?.channels.map((c) => c.readyState)).toEqual(["open", "open"]);
    expect(after?.packetsPerSecondIn).toBeGreaterThan(0);
    expect(after?.path).toBe("direct");
  });

  it("is heard while push-to-talk is held, and silent when it is let go", async () => {
    await settle(ben);
    const idle = await heardOver(ben, anaId);
    expect(idle.packets).toBeLessThan(5);
    await ana.evaluate(() => globalThis.example?.room.voice.press());
    await settle(ben);
    const talking = await heardOver(ben, anaId);
    expect(talking.packets).toBeGreaterThan(40);
    expect(talking.energy).toBeGreaterThan(0);
    // What the HUD shows: about Opus's rate, under the kit's 24 kbps cap plus headers.
    const flow = await ben.evaluate((id) => globalThis.example?.room.stats(id)?.audio, anaId);
    expect(flow?.inKbps).toBeGreaterThan(4);
    expect(flow?.inKbps).toBeLessThan(60);
    await expect.poll(() => speaking(ben, anaId), { timeout: 5000 }).toBe(true);
    expect(
      await ben.evaluate((id) => globalThis.example?.room.voice.peer(id).state?.talking, anaId),
    ).toBe(true);
    await ana.evaluate(() => globalThis.example?.room.voice.release());
    await settle(ben);
    const released = await heardOver(ben, anaId);
    expect(released.packets).toBeLessThan(5);
    expect(released.energy).toBe(0);
    await expect.poll(() => speaking(ben, anaId), { timeout: 5000 }).toBe(false);
  });

  it("sends all the time in open mode, and nothing while muted", async () => {
    await ana.evaluate(() => globalThis.example?.room.voice.setMode("open"));
    await settle(ben);
    expect((await heardOver(ben, anaId)).packets).toBeGreaterThan(40);
    await ana.evaluate(() => globalThis.example?.room.voice.setMuted(true));
    await settle(ben);
    expect((await heardOver(ben, anaId)).packets).toBeLessThan(5);
    expect(
      await ben.evaluate((id) => globalThis.example?.room.voice.peer(id).state?.muted, anaId),
    ).toBe(true);
    await ana.evaluate(() => globalThis.example?.room.voice.setMuted(false));
  });

  it("deafened, the listener plays nothing while the packets still arrive", async () => {
    await ben.evaluate(() => globalThis.example?.room.voice.setDeafened(true));
    await settle(ben);
    const deaf = await heardOver(ben, anaId);
    expect(deaf.packets).toBeGreaterThan(40);
    expect(deaf.energy).toBe(0);
    await ben.evaluate(() => globalThis.example?.room.voice.setDeafened(false));
    await settle(ben);
    expect((await heardOver(ben, anaId)).energy).toBeGreaterThan(0);
    expect(problemsOf(ana)).toEqual([]);
    expect(problemsOf(ben)).toEqual([]);
  });

  it("plays a voice above 100% through Web Audio, and a voice muted for us not at all", async () => {
    await ben.evaluate((id) => globalThis.example?.room.voice.setVolume(id, 2), anaId);
    await expect.poll(() => playoutOf(ben, anaId), { timeout: 5000 }).toBe("web-audio");
    await settle(ben);
    const before = await heard(ben, anaId);
    expect(await loudestPlayed(ben, anaId)).toBeGreaterThan(0.01);
    const after = await heard(ben, anaId);
    // The element is muted on this path: all the sound came through the graph.
    expect(after.packets - before.packets).toBeGreaterThan(40);
    expect(after.energy - before.energy).toBe(0);

    await ben.evaluate((id) => globalThis.example?.room.voice.setPeerMuted(id, true), anaId);
    await expect.poll(() => playoutOf(ben, anaId), { timeout: 5000 }).toBe("element");
    await settle(ben);
    const mutedForBen = await heardOver(ben, anaId);
    expect(mutedForBen.packets).toBeGreaterThan(40);
    expect(mutedForBen.energy).toBe(0);
    expect(await ana.evaluate((id) => globalThis.example?.room.voice.peer(id).muted, benId)).toBe(
      false,
    );
    await ben.evaluate((id) => globalThis.example?.room.voice.setPeerMuted(id, false), anaId);
    await ben.evaluate((id) => globalThis.example?.room.voice.setVolume(id, 1), anaId);
    await expect.poll(() => playoutOf(ben, anaId), { timeout: 5000 }).toBe("element");
    await settle(ben);
    expect((await heardOver(ben, anaId)).energy).toBeGreaterThan(0);
  });

  it("places a voice: silent out of range, heard when near, back after a suspended context", async () => {
    const place = (gain: number, pan: number) =>
      ben.evaluate(
        ([id, placement]) => globalThis.example?.room.voice.setPlacement(id, placement),
        [anaId, { gain, pan }] as const,
      );
    await place(0, -0.8);
    await expect.poll(() => playoutOf(ben, anaId), { timeout: 5000 }).toBe("web-audio");
    await settle(ben);
    expect(await loudestPlayed(ben, anaId)).toBeLessThan(0.001);
    await place(1, 0.8);
    await settle(ben);
    expect(await loudestPlayed(ben, anaId)).toBeGreaterThan(0.01);

    // What a phone does to a hidden tab's audio: the kit asks for it back at its next ticks.
    await ben.evaluate(async () => {
      for (const context of globalThis.madeAudioContexts ?? []) await context.suspend();
    });
    await expect
      .poll(() => ben.evaluate(() => globalThis.madeAudioContexts?.map((c) => c.state)), {
        timeout: 5000,
      })
      .toEqual(["running"]);
    expect(await loudestPlayed(ben, anaId)).toBeGreaterThan(0.01);
    await ben.evaluate((id) => globalThis.example?.room.voice.setPlacement(id, null), anaId);
    await expect.poll(() => playoutOf(ben, anaId), { timeout: 5000 }).toBe("element");
    expect(problemsOf(ben)).toEqual([]);
  });
});
