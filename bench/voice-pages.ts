/**
 * Players of the kit's example game (`examples/minimal`: a 2D canvas, no Phaser, so eight of them
 * fit on two cores), each in a browser context of its own with the voice probe installed, in one
 * new lobby; the full mesh on direct paths; voice turned on in open mode; waiting until every
 * player hears every other. Pages are driven only through the example's `globalThis.example`.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createLobby } from "./page-probe.ts";
import { checkSettings, installVoiceProbe, readVoice, type VoiceSettings } from "./voice-probe.ts";

export const EXAMPLE_PATH = "/examples/minimal/";

export interface VoicePlayer {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** One player per entry of `browsers` (a browser per microphone), all in a new lobby. */
export async function openVoicePlayers(
  origin: string,
  browsers: readonly Browser[],
  settings: VoiceSettings,
): Promise<VoicePlayer[]> {
  const code = await createLobby(origin);
  const players: VoicePlayer[] = [];
  try {
    for (const browser of browsers) {
      const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
      await installVoiceProbe(context, settings.tweaks);
      const page = await context.newPage();
      players.push({ context, page });
      await page.goto(`${origin}${EXAMPLE_PATH}?lobby=${code}`);
    }
    await waitForDirectMesh(players, browsers.length - 1);
    // A click each: browsers play sound only after the player has touched the page, and a
    // listener whose page plays nothing pulls nothing through its jitter buffer.
    for (const { page } of players) await page.mouse.click(320, 200);
    return players;
  } catch (error) {
    await closePlayers(players);
    throw error;
  }
}

async function waitForDirectMesh(players: readonly VoicePlayer[], peers: number): Promise<void> {
  await Promise.all(
    players.map(({ page }) =>
      page.waitForFunction(
        (expected) => {
          const room = globalThis.example?.room;
          return (
            room !== undefined &&
            room.peers.length === expected &&
            room.peers.every((id) => room.stats(id)?.path === "direct")
          );
        },
        peers,
        { polling: 200, timeout: 60_000 },
      ),
    ),
  );
}

/** Voice on in open mode on `talkers`; resolves once every player hears each of them live. */
export async function openMicrophones(
  players: readonly VoicePlayer[],
  talkers: readonly VoicePlayer[],
  settings: VoiceSettings,
): Promise<void> {
  await Promise.all(
    talkers.map(async ({ page }) => {
      const failure = await page.evaluate(async () => {
        const voice = globalThis.example?.room.voice;
        const result = await voice?.enable();
        voice?.setMode("open");
        return result === undefined ? "no room" : result.ok ? null : result.failure;
      });
      if (failure !== null) throw new Error(`voice.enable() on a talker's page: ${failure}`);
    }),
  );
  const talkerIds = await Promise.all(
    talkers.map(({ page }) => page.evaluate(() => globalThis.example?.room.selfId ?? "")),
  );
  await Promise.all(
    players.map(({ page }) =>
      page.waitForFunction(
        (ids) => {
          const room = globalThis.example?.room;
          return (
            room !== undefined &&
            ids.every((id) => id === room.selfId || room.voice.peer(id).status === "live")
          );
        },
        talkerIds,
        { polling: 250, timeout: 60_000 },
      ),
    ),
  );
  for (const { page } of talkers) checkSettings(await readVoice(page), settings);
}

export async function closePlayers(players: readonly VoicePlayer[]): Promise<void> {
  await Promise.all(players.map((p) => p.context.close().catch(() => undefined)));
}
