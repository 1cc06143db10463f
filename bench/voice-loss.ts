/**
 * Benchmark: what a listener's jitter buffer makes of a talker's voice at 0/10/20% random UDP
 * loss, the kit's Opus settings (in-band FEC on) beside the same with FEC off (`useinbandfec=0`)
 * and beside browser-default Opus, measured in the same windows: the pairs run at once, each in a lobby of its own, the talkers
 * in one browser and network namespace, the listeners in another, so one nftables rule on the
 * listeners' input loses the same share of both talkers' packets at the same time.
 * Needs root (network namespaces, nftables), like the stall bench.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fakeMicrophoneArgs, writeMicrophoneWav } from "../scripts/fake-microphone.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { checkNetworkSupport } from "../scripts/net/capability.ts";
import {
  launchChromiumInNamespace,
  type NamespacedBrowser,
} from "../scripts/net/chromium-in-netns.ts";
import { createTopology } from "../scripts/netns.ts";
import { NO_BACKGROUNDING_ARGS } from "./page-probe.ts";
import { formatLossTable, type LossWindow } from "./voice-loss-report.ts";
import {
  closePlayers,
  openMicrophones,
  openVoicePlayers,
  type VoicePlayer,
} from "./voice-pages.ts";
import {
  BROWSER_DEFAULT,
  EDGEPLAY,
  FEC_OFF,
  type PageVoice,
  readVoice,
  type VoiceSettings,
} from "./voice-probe.ts";
import { receiveWindows, streamRates } from "./voice-rates.ts";

const LOSSES = (process.env["BENCH_LOSS"] ?? "0,10,20").split(",").map(Number);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 2);
const WINDOWS = Number(process.env["BENCH_WINDOWS"] ?? 2);
const WINDOW_MS = Number(process.env["BENCH_WINDOW_MS"] ?? 5000);
/**
 * After each change of loss: the talker's encoder learns the loss from the listener's RTCP
 * receiver reports, and sizes its FEC by it, a few seconds later.
 */
const SETTLE_MS = 10_000;
const SETTINGS: readonly VoiceSettings[] = [EDGEPLAY, FEC_OFF, BROWSER_DEFAULT];

interface Pair {
  readonly settings: VoiceSettings;
  readonly talker: VoicePlayer;
  readonly listener: VoicePlayer;
}

/** One window of every pair, all read at the same moments. */
async function measureWindow(pairs: readonly Pair[], loss: number): Promise<LossWindow[]> {
  const read = (): Promise<[PageVoice, PageVoice][]> =>
    Promise.all(
      pairs.map((p) => Promise.all([readVoice(p.talker.page), readVoice(p.listener.page)])),
    );
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = await read();
  return pairs.map((pair, i) => {
    const [talkerBefore = [], listenerBefore = []] = before[i] ?? [];
    const [talkerAfter = [], listenerAfter = []] = after[i] ?? [];
    const [received] = receiveWindows(listenerBefore, listenerAfter);
    const [sent] = streamRates(talkerBefore, talkerAfter);
    if (!received || !sent) throw new Error(`${pair.settings.name}: no audio in a window`);
    return { loss, settings: pair.settings, received, sent };
  });
}

const support = await checkNetworkSupport();
if (!support.ok)
  throw new Error(`the voice loss bench needs network namespaces: ${support.reason}`);
const cleanups: (() => Promise<void>)[] = [];
try {
  const dir = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const topology = await createTopology({ players: 2 });
  cleanups.push(() => topology.destroy());
  const server = await startLocalServer({
    persistTo: join(dir, "lobbies"),
    ip: topology.hostAddress,
  });
  cleanups.push(() => server.stop());
  const [netTalkers, netListeners] = topology.players;
  if (!netTalkers || !netListeners) throw new Error("expected two namespaces");
  const wav = await writeMicrophoneWav(dir, "speech");
  const browsers: NamespacedBrowser[] = [];
  // The lobby's origin is on the bridge, not localhost, and voice needs a secure context (the
  // listener's too: a page without one tells its peers it cannot take voice).
  const secure = `--unsafely-treat-insecure-origin-as-secure=${server.url}`;
  for (const [net, mic] of [
    [netTalkers, fakeMicrophoneArgs(wav)],
    [netListeners, []],
  ] as const) {
    const browser = await launchChromiumInNamespace(net.namespace, {
      args: [...NO_BACKGROUNDING_ARGS, secure, ...mic],
    });
    cleanups.push(() => browser.close());
    browsers.push(browser);
  }
  const [talkers, listeners] = browsers;
  if (!talkers || !listeners) throw new Error("expected two browsers");
  cleanups.push(() => netListeners.setUdpRules([]));

  const pairs: Pair[] = [];
  for (const settings of SETTINGS) {
    const [talker, listener] = await openVoicePlayers(
      server.url,
      [talkers.browser, listeners.browser],
      settings,
    );
    if (!talker || !listener) throw new Error("expected a talker and a listener");
    cleanups.push(() => closePlayers([talker, listener]));
    await openMicrophones([talker, listener], [talker], settings);
    pairs.push({ settings, talker, listener });
  }

  const windows: LossWindow[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Up, then down: a level measured after a higher one and after a lower one alike.
    const levels = round % 2 === 0 ? LOSSES : [...LOSSES].reverse();
    for (const loss of levels) {
      await netListeners.setUdpRules(loss > 0 ? [{ kind: "random-loss", percent: loss }] : []);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const level: LossWindow[] = [];
      for (let w = 0; w < WINDOWS; w++) level.push(...(await measureWindow(pairs, loss)));
      windows.push(...level);
      // Each window's concealment, in order: whether FEC had caught up after the settle.
      const concealed = SETTINGS.map(
        (s) =>
          `${s.name.split(" (")[0]} ${level
            .filter((w) => w.settings === s)
            .map((w) => w.received.concealedPercent.toFixed(1))
            .join("/")}%`,
      );
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}, ${loss}% loss: concealed ${concealed.join(", ")}\n`,
      );
    }
  }

  console.log("\nA talker's voice at the listener under random UDP loss, 2 players\n");
  console.log(formatLossTable(windows, LOSSES, SETTINGS));
  console.log(
    `\nMethod: two network namespaces on one bridge (scripts/netns.ts), wrangler dev in the root namespace; the talkers' headless Chromium in one namespace with a fake microphone playing a looped 4 s speech-like WAV (three voiced tones under a 4 Hz syllable envelope, about -12 dBFS), the listeners' Chromium in the other. Three pairs of the kit's example game (examples/minimal), each in a lobby of its own, run at once: '${EDGEPLAY.name}'; '${FEC_OFF.name}', with an init script that wraps RTCPeerConnection.prototype.setRemoteDescription to turn 'useinbandfec=1' into 'useinbandfec=0' in every description (the Opus encoder follows the peer's fmtp), nothing else changed; and '${BROWSER_DEFAULT.name}' (usedtx=1 -> usedtx=0, maxBitrate dropped from addTransceiver's sendEncodings); the applied fmtp and the sender's maxBitrate are checked before measuring. The talker turns voice on in open mode; the listener only listens (its page clicked once, so it plays). Loss: nftables 'numgen random' drop of that share of all UDP on the listeners' input hook (talker -> listener RTP is lost, RTCP back is not), ${ROUNDS} rounds over the levels (up, then down), after each change ${SETTLE_MS / 1000} s to settle, then ${WINDOWS} windows of ${WINDOW_MS / 1000} s; both pairs are read at the same moments. From the listener's inbound-rtp audio over each window: packets lost and due (packetsLost, packetsReceived: every RTP packet, padding-only bandwidth probes included, which is why more than 50 packets/s can be due), jitter buffer delay = delta jitterBufferDelay / delta jitterBufferEmittedCount, concealed = delta concealedSamples / delta totalSamplesReceived (FEC-recovered audio is decoded, not concealed). Medians over windows. 1-minute load average at the end: ${(loadavg()[0] ?? Number.NaN).toFixed(1)} (2 cores).`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
