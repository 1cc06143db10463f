/**
 * Benchmark: upstream voice bitrate of a player in open mode with 2, 4 and 8 players (it sends
 * to each of the others), with a speech microphone and with a silent one: the kit's Opus settings (DTX on, 24 kbps cap
 * per sender) beside browser-default Opus (DTX off, no cap) on the same pages in the same run.
 * Loss, jitter buffer and concealment: voice-loss.ts (needs root).
 *
 * One headless Chromium per microphone (the fake capture file is browser-wide), one context per
 * player; each condition gets a new lobby and its pages are closed afterwards. The order of the
 * two settings turns over with every condition, so neither always runs on a freshly idle machine.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../scripts/chromium.ts";
import {
  fakeMicrophoneArgs,
  type Microphone,
  writeMicrophoneWav,
} from "../scripts/fake-microphone.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { NO_BACKGROUNDING_ARGS } from "./page-probe.ts";
import { closePlayers, openMicrophones, openVoicePlayers } from "./voice-pages.ts";
import { BROWSER_DEFAULT, EDGEPLAY, readVoice, type VoiceSettings } from "./voice-probe.ts";
import { streamRates, sumRates } from "./voice-rates.ts";
import { type Condition, formatBudget, formatRatios, formatUpstream } from "./voice-report.ts";

const SIZES = (process.env["BENCH_PLAYERS"] ?? "2,4,8").split(",").map(Number);
const WINDOWS = Number(process.env["BENCH_WINDOWS"] ?? 3);
const WINDOW_MS = Number(process.env["BENCH_WINDOW_MS"] ?? 4000);
/** After every player hears every other: the encoders' first seconds are not the steady state. */
const SETTLE_MS = 3000;
const SETTINGS: readonly VoiceSettings[] = [EDGEPLAY, BROWSER_DEFAULT];
const MICROPHONES: readonly Microphone[] = ["speech", "silence"];

async function measure(
  origin: string,
  browser: Browser,
  players: number,
  microphone: Microphone,
  settings: VoiceSettings,
): Promise<Condition> {
  const everyone = Array.from({ length: players }, () => browser);
  const opened = await openVoicePlayers(origin, everyone, settings);
  try {
    // One sender per condition: all 8 pages talking (56 encoders, 56 decoders) did not get
    // every voice link live within a minute on 2 cores, and the budget needs only per-stream
    // figures. The others listen, as a player with push-to-talk released does.
    const talker = opened.slice(0, 1);
    await openMicrophones(opened, talker, settings);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const condition: Condition = {
      players,
      microphone,
      settings,
      perPlayer: [],
      perStream: [],
      incomplete: 0,
    };
    let before = await Promise.all(talker.map(({ page }) => readVoice(page)));
    for (let w = 0; w < WINDOWS; w++) {
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const after = await Promise.all(talker.map(({ page }) => readVoice(page)));
      for (const [i, reading] of after.entries()) {
        const streams = streamRates(before[i] ?? [], reading);
        condition.perStream.push(...streams);
        // A player's sum is its upstream only if every stream was read at both ends of the
        // window (seen failing with 8 talking pages on 2 cores); the short windows are counted.
        if (streams.length === players - 1) condition.perPlayer.push(sumRates(streams));
        else condition.incomplete++;
      }
      before = after;
    }
    return condition;
  } finally {
    await closePlayers(opened);
  }
}

const dir = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const browsers = new Map<Microphone, Browser>();
const server = await startLocalServer({ persistTo: join(dir, "lobbies") });
try {
  for (const microphone of MICROPHONES) {
    const wav = await writeMicrophoneWav(dir, microphone);
    const args = [...NO_BACKGROUNDING_ARGS, ...fakeMicrophoneArgs(wav)];
    browsers.set(microphone, await launchChromium({ args }));
  }
  const conditions: Condition[] = [];
  let turn = 0;
  for (const players of SIZES) {
    for (const microphone of MICROPHONES) {
      const browser = browsers.get(microphone);
      if (!browser) throw new Error(`no browser for ${microphone}`);
      const order = turn++ % 2 === 0 ? SETTINGS : [...SETTINGS].reverse();
      for (const settings of order) {
        process.stderr.write(`${players} players, ${microphone}, ${settings.name}...\n`);
        conditions.push(await measure(server.url, browser, players, microphone, settings));
      }
    }
  }
  console.log("\nUpstream voice of a player in open mode, summed over its peers and per stream\n");
  console.log(formatUpstream(conditions, SETTINGS));
  console.log(`\n${formatRatios(conditions, EDGEPLAY, BROWSER_DEFAULT)}`);
  console.log(`\n${formatBudget(conditions, SETTINGS, Math.max(...SIZES))}`);
  console.log(
    `\nMethod: wrangler dev; one headless Chromium per microphone (the fake capture file, --use-file-for-fake-audio-capture, is browser-wide; renderer backgrounding off), one context per player, the kit's example game (examples/minimal), a new lobby per condition with its pages closed afterwards. Microphones: 'speech' is a looped 4 s speech-like WAV (three voiced tones under a 4 Hz syllable envelope, about -12 dBFS), 'silence' a WAV of digital silence (all samples 0); the kit captures with echo cancellation, noise suppression and auto gain on. One player per condition turns voice on in open mode (room.voice.enable(), setMode("open")) and sends to each of the others, who only listen; once every page hears it live, ${SETTLE_MS / 1000} s to settle, then ${WINDOWS} windows of ${WINDOW_MS / 1000} s. Per stream: each connection's outbound-rtp audio over a window, by its stats timestamps: 'kbps' = bytesSent (Opus payload), '+RTP' adds headerBytesSent (RTP headers and extensions, and the padding of padding-only bandwidth probes, which packets/s counts too), 'wire' adds per packet the SRTP tag (by the transport's srtpCipher) and 28 B of UDP/IPv4 (RTCP not included). Per player: its N-1 streams summed. Medians over windows (per player) and streams x windows (per stream). The mesh budget multiplies the per-stream medians: a talker's stream is the speech figure, an open mic with nobody speaking the silence figure. Settings: '${EDGEPLAY.name}' are the kit's own. '${BROWSER_DEFAULT.name}' is the same pages with an init script that wraps RTCPeerConnection.prototype.setRemoteDescription to turn 'usedtx=1' into 'usedtx=0' in every description after the kit added it, and addTransceiver to drop maxBitrate from sendEncodings: Chromium's own Opus (its offers carry minptime=10;useinbandfec=1, no usedtx). Each talker's applied remote Opus fmtp and sender maxBitrate are checked against the setting before measuring. 1-minute load average at the end: ${(loadavg()[0] ?? Number.NaN).toFixed(1)} (2 cores).`,
  );
} finally {
  for (const browser of browsers.values()) await browser.close().catch(() => undefined);
  await server.stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
