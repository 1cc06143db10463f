/**
 * Voice in a full mesh of four: four real Chromium pages of the kit's example game
 * (`examples/minimal`) in one lobby, all on direct paths, each with a fake microphone playing a
 * generated WAV, all with voice on. Each player in turn holds push-to-talk; the other three must
 * hear them (their `inbound-rtp` packets and played audio energy for that talker rise) while
 * the streams of the players who are not talking stay quiet (a few packets at most, no energy).
 * So every one of the twelve directed audio paths is seen carrying voice, and none leaks.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeMicrophoneArgs, writeSpeechWav } from "../../scripts/fake-microphone.ts";
import { openPlayer, problemsOf, type Stage, startStage } from "./harness.ts";

const EXAMPLE = "/examples/minimal/";
const PLAYERS = 4;
/** The kit reads audio stats once a second: a window spans at least two readings. */
const WINDOW_MS = 2500;
/** Long enough for a press or release to show in the once-a-second stats (as voice.test.ts). */
const SETTLE_MS = 2000;
/**
 * Opus sends a packet per 20 ms: ~125 in a window while talking. Over 40 leaves room for a
 * starved machine; under 5 allows a packet or two in flight when the track was swapped out.
 */
const TALKING_MIN_PACKETS = 40;
const QUIET_MAX_PACKETS = 5;

interface Player {
  readonly page: Page;
  readonly id: string;
}

/** What a listener has received of one peer's voice (counters since the start, or over a window). */
interface Heard {
  readonly packets: number;
  readonly energy: number;
  /** The kit's incoming audio rate over the last second (what the HUD shows); null without. */
  readonly kbps: number | null;
}

async function selfId(page: Page): Promise<string> {
  await page.waitForFunction(() => globalThis.example?.room.selfId != null, null, {
    timeout: 15_000,
  });
  return (await page.evaluate(() => globalThis.example?.room.selfId)) ?? "";
}

/** What `listener` has received so far from each of `peers`, in that order. */
function heardFrom(listener: Page, peers: readonly string[]): Promise<Heard[]> {
  return listener.evaluate(
    (ids) =>
      ids.map((id) => {
        const stats = globalThis.example?.room.stats(id);
        return {
          packets: stats?.audioIn?.packetsReceived ?? 0,
          energy: stats?.audioIn?.totalAudioEnergy ?? 0,
          kbps: stats?.audio?.inKbps ?? null,
        };
      }),
    peers,
  );
}

function idsOfOthers(players: readonly Player[], self: Player): string[] {
  return players.filter((p) => p !== self).map((p) => p.id);
}

/** Per listener, what arrived from each other player over one window. */
async function heardOverWindow(players: readonly Player[]): Promise<Map<string, Heard>[]> {
  const read = (): Promise<Heard[][]> =>
    Promise.all(players.map((player) => heardFrom(player.page, idsOfOthers(players, player))));
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = await read();
  return players.map((player, i) => {
    const window = new Map<string, Heard>();
    for (const [j, id] of idsOfOthers(players, player).entries()) {
      const first = before[i]?.[j];
      const last = after[i]?.[j];
      if (!first || !last) throw new Error("missing reading");
      window.set(id, {
        packets: last.packets - first.packets,
        energy: last.energy - first.energy,
        kbps: last.kbps,
      });
    }
    return window;
  });
}

/** Whom `listener` shows as speaking, of `peers` (from the sound it actually plays). */
function speakers(listener: Page, peers: readonly string[]): Promise<string[]> {
  return listener.evaluate(
    (ids) => ids.filter((id) => globalThis.example?.room.voice.peer(id).speaking === true),
    peers,
  );
}

describe("voice in a mesh of four", () => {
  let stage: Stage;
  const players: Player[] = [];
  const othersOf = (self: Player): string[] => idsOfOthers(players, self);

  beforeAll(async () => {
    stage = await startStage({}, { chromiumArgs: fakeMicrophoneArgs(await writeSpeechWav()) });
    const first = await openPlayer(stage, EXAMPLE);
    await first.waitForFunction(() => new URL(location.href).searchParams.has("lobby"));
    const link = new URL(first.url());
    const pages = [first];
    for (let i = 1; i < PLAYERS; i++) {
      pages.push(await openPlayer(stage, link.pathname + link.search));
    }
    for (const page of pages) players.push({ page, id: await selfId(page) });
    for (const player of players) {
      const { page } = player;
      await page.waitForFunction(
        (ids) => ids.every((id) => globalThis.example?.room.stats(id)?.path === "direct"),
        othersOf(player),
        { timeout: 30_000 },
      );
      // A click: browsers play sound only after the player has touched the page.
      await page.mouse.click(200, 300);
    }
  }, 90_000);

  afterAll(async () => {
    await stage?.stop();
  });

  it("turns voice on everywhere: every page has a live voice link to the other three", async () => {
    for (const { page } of players) {
      expect(await page.evaluate(() => globalThis.example?.room.voice.enable())).toEqual({
        ok: true,
      });
    }
    for (const player of players) {
      const others = othersOf(player);
      await expect
        .poll(
          () =>
            player.page.evaluate(
              (ids) => ids.map((id) => globalThis.example?.room.voice.peer(id).status),
              others,
            ),
          { timeout: 20_000 },
        )
        .toEqual(others.map(() => "live"));
    }
  });

  it("each talker in turn is heard by the other three, and the quiet ones stay quiet", async () => {
    for (const talker of players) {
      await talker.page.evaluate(() => globalThis.example?.room.voice.press());
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const windows = await heardOverWindow(players);
      const heardTalker = windows.flatMap((w) => w.get(talker.id) ?? []);
      console.info(
        `player ${players.indexOf(talker) + 1} talking, over ${WINDOW_MS} ms the others got: ` +
          heardTalker.map((h) => `${h.packets} packets, ${h.kbps?.toFixed(1)} kbps`).join("; "),
      );
      for (const [i, listener] of players.entries()) {
        if (listener === talker) continue;
        for (const [from, heard] of windows[i] ?? new Map<string, Heard>()) {
          const what = `player ${i + 1} hearing ${from === talker.id ? "the talker" : "a quiet peer"}`;
          if (from === talker.id) {
            expect(heard.packets, what).toBeGreaterThan(TALKING_MIN_PACKETS);
            expect(heard.energy, what).toBeGreaterThan(0);
          } else {
            expect(heard.packets, what).toBeLessThan(QUIET_MAX_PACKETS);
            expect(heard.energy, what).toBe(0);
          }
        }
        await expect
          .poll(() => speakers(listener.page, othersOf(listener)), { timeout: 5000 })
          .toEqual([talker.id]);
      }
      await talker.page.evaluate(() => globalThis.example?.room.voice.release());
    }
    // The last talker let go too: nothing flows anywhere.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (const window of await heardOverWindow(players)) {
      for (const heard of window.values()) {
        expect(heard.packets).toBeLessThan(QUIET_MAX_PACKETS);
        expect(heard.energy).toBe(0);
      }
    }
    for (const { page } of players) expect(problemsOf(page)).toEqual([]);
  });
});
