/**
 * Voice in the arena between two Chromium browsers in network namespaces of their own, each with
 * a fake microphone (a generated WAV, see voice-wav.ts), voice turned on in the lobby panel and
 * V held to talk:
 * - through a real coturn only: the pages ask for relay candidates only (`?ice=relay`) and each
 *   namespace drops UDP from the other player, so voice can only arrive relayed by coturn;
 * - under 10% random UDP loss in both namespaces: voice keeps arriving, the receiver's WebRTC
 *   stack conceals what was lost, and the network HUD (H) shows loss and concealment.
 * Screenshot: test-results/e2e/network-voice-loss-player*.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PeerNetworkSnapshot } from "../../game/debug.ts";
import { netHudLines } from "../../game/scenes/net-hud-text.ts";
import { fakeMicrophoneArgs, writeSpeechWav } from "../../scripts/fake-microphone.ts";
import { problemsOf, snapshot } from "./harness.ts";
import {
  type JoinedPlayer,
  joinBoth,
  type NetworkStage,
  networkSuiteRuns,
  peerIn,
  reportedPath,
  screenshotAll,
  showNetworkHud,
  startNetworkStage,
  waitForOpenChannels,
} from "./network-harness.ts";

/** The kit reads audio stats once a second: a window spans at least two readings. */
const WINDOW_MS = 3000;
/** Long enough for a change (voice on, loss rules) to show in the once-a-second stats. */
const SETTLE_MS = 2000;
/**
 * Opus sends a packet per 20 ms, ~150 in a window. Over 40 leaves room for a starved machine
 * (and for the 10% loss) while a silent or broken path (a few packets at most) cannot pass.
 */
const TALKING_MIN_PACKETS = 40;
const LOSS_PERCENT = 10;

/** What a listener's WebRTC stack has counted of one peer's voice (counters since the start). */
interface VoiceCounters {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly energy: number;
  readonly concealedSamples: number;
  readonly samplesReceived: number;
}

async function voiceCounters(listener: Page, talkerId: string): Promise<VoiceCounters> {
  const audio = peerIn(await snapshot(listener), talkerId)?.audioIn ?? null;
  return {
    packetsReceived: audio?.packetsReceived ?? 0,
    packetsLost: audio?.packetsLost ?? 0,
    energy: audio?.totalAudioEnergy ?? 0,
    concealedSamples: audio?.concealedSamples ?? 0,
    samplesReceived: audio?.totalSamplesReceived ?? 0,
  };
}

/** What the counters grew by between two readings. */
function grownBy(before: VoiceCounters, after: VoiceCounters): VoiceCounters {
  return {
    packetsReceived: after.packetsReceived - before.packetsReceived,
    packetsLost: after.packetsLost - before.packetsLost,
    energy: after.energy - before.energy,
    concealedSamples: after.concealedSamples - before.concealedSamples,
    samplesReceived: after.samplesReceived - before.samplesReceived,
  };
}

/** Each listener's counters for the other player, grown over `ms`. Listeners read together. */
async function heardOver(
  pairs: readonly (readonly [JoinedPlayer, JoinedPlayer])[],
  ms: number,
): Promise<VoiceCounters[]> {
  const read = (): Promise<VoiceCounters[]> =>
    Promise.all(pairs.map(([listener, talker]) => voiceCounters(listener.page, talker.id)));
  const before = await read();
  await sleep(ms);
  const after = await read();
  return after.map((last, i) => {
    const first = before[i];
    if (!first) throw new Error("missing reading");
    return grownBy(first, last);
  });
}

/** Share of the peer's packets that never came (RTP sequence gaps), 0..1. */
function lossShare(grown: VoiceCounters): number {
  const due = grown.packetsReceived + grown.packetsLost;
  return due === 0 ? 0 : grown.packetsLost / due;
}

/** Share of the samples played that the receiver made up (concealment), 0..1. */
function concealedShare(grown: VoiceCounters): number {
  return grown.samplesReceived === 0 ? 0 : grown.concealedSamples / grown.samplesReceived;
}

/**
 * Turns voice on in the lobby panel and holds V, as a player would, to talk until the page
 * closes. Not Open mic: a ticked checkbox keeps the focus, and the arena then ignores its keys
 * (H for the HUD) even after a click on the arena (a product bug, reported; not worked around).
 */
async function turnOnVoiceAndHoldV(page: Page): Promise<void> {
  await page.click("#voice-toggle");
  // A plain wait, not expect.poll: this also runs in beforeAll.
  await page.waitForFunction(
    () => document.querySelector("#voice-status")?.textContent === "Hold V or Talk to speak.",
    null,
    { timeout: 10_000 },
  );
  await page.keyboard.down("v");
  await page.waitForFunction(
    () => document.querySelector("#voice-talk")?.textContent === "Talking…",
    null,
    { timeout: 10_000 },
  );
}

/** The voice table's row for `peerName` in the HUD's lines: its `lost` and `conceal` cells. */
function hudVoiceRow(
  lines: readonly string[],
  peerName: string,
): { lost: number; concealed: number; line: string } | null {
  const header = lines.findIndex((line) => line.startsWith("voice "));
  if (header < 0) return null;
  // Names are cut to fit the 12-character column.
  const line = lines.slice(header + 1).find((l) => l.startsWith(peerName.slice(0, 11)));
  if (line === undefined) return null;
  // The last cells are "lost", "jb ms" and "conceal", without spaces inside: read from the end.
  const cells = line.trim().split(/\s+/);
  const lost = Number.parseFloat(cells.at(-3) ?? "");
  const concealed = Number.parseFloat(cells.at(-1) ?? "");
  return Number.isFinite(lost) && Number.isFinite(concealed) ? { lost, concealed, line } : null;
}

/**
 * The HUD's lines as the arena draws them now: the same pure formatter (net-hud-text.ts) over
 * the same figures the HUD reads (the session's per-peer snapshots are the snapshot's `peers`).
 */
async function hudLines(page: Page): Promise<string[]> {
  const peers: readonly PeerNetworkSnapshot[] = (await snapshot(page)).peers;
  return netHudLines(peers);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

describe.skipIf(!networkSuiteRuns("voice over TURN"))(
  "voice through coturn only (relay candidates, direct UDP between the players dropped)",
  () => {
    let stage: NetworkStage;
    let alice: JoinedPlayer;
    let bob: JoinedPlayer;

    beforeAll(async () => {
      stage = await startNetworkStage({
        turn: "udp",
        chromiumArgs: fakeMicrophoneArgs(await writeSpeechWav()),
        secureOrigin: true,
      });
      const [first, second] = stage.players;
      if (!first || !second) throw new Error("expected two players");
      // Before the pages open: no direct path can ever have existed. coturn sends from the host
      // address, which stays open.
      await first.net.setUdpRules([{ kind: "block-from", addresses: [second.net.address] }]);
      await second.net.setUdpRules([{ kind: "block-from", addresses: [first.net.address] }]);
      [alice, bob] = await joinBoth(stage, { query: "&ice=relay" });
      await waitForOpenChannels([alice, bob], 30_000);
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("connects over TURN: relay-only ICE, both browsers allocated on coturn", async () => {
      for (const [player, other] of [
        [alice, bob],
        [bob, alice],
      ] as const) {
        const view = await snapshot(player.page);
        expect(view.ice?.transportPolicy).toBe("relay");
        expect(view.ice?.urls).toEqual([stage.coturn?.udpUrl]);
        const peer = peerIn(view, other.id);
        expect(peer?.connectionState).toBe("connected");
        expect(reportedPath(peer)).toBe("turn");
      }
      const log = (await stage.coturn?.log()) ?? "";
      for (const player of [alice, bob]) {
        expect(log).toMatch(
          new RegExp(`user <\\d+:${player.id}>: incoming packet ALLOCATE processed, success`),
        );
      }
    });

    it("carries each player's voice to the other through coturn", async () => {
      await turnOnVoiceAndHoldV(alice.page);
      await turnOnVoiceAndHoldV(bob.page);
      await sleep(SETTLE_MS);
      const pairs = [
        [bob, alice],
        [alice, bob],
      ] as const;
      const heard = await heardOver(pairs, WINDOW_MS);
      for (const [i, [listener, talker]] of pairs.entries()) {
        const grown = heard[i];
        const peer = peerIn(await snapshot(listener.page), talker.id);
        console.info(
          `TURN: player ${listener.net.index} heard player ${talker.net.index}: ` +
            `${grown?.packetsReceived} packets in ${WINDOW_MS} ms, ` +
            `${peer?.audio?.inKbps.toFixed(1)} kbps, loss ${percent(grown ? lossShare(grown) : 0)}`,
        );
        expect(grown?.packetsReceived).toBeGreaterThan(TALKING_MIN_PACKETS);
        expect(grown?.energy).toBeGreaterThan(0);
        // About Opus's rate (the kit caps it at 24 kbps). Loose above: the kit divides by the
        // time between its readings, and on a starved machine a late getStats() inflates the
        // figure (up to 55 kbps seen); 100 still catches an uncapped or runaway sender.
        expect(peer?.audio?.inKbps).toBeGreaterThan(4);
        expect(peer?.audio?.inKbps).toBeLessThan(100);
        // Still TURN, never the edge relay (which carries no voice anyway).
        expect(reportedPath(peer)).toBe("turn");
      }
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);

/**
 * The rules sit on each namespace's input hook (scripts/net/nft.ts), so each packet between the
 * players meets one of them: ~10% loss per direction. Over a 10 s window ~500 packets are due
 * per direction; the loss's standard deviation is then ~1.3 points, so the 4-20% band is more
 * than 4σ wide on either side, and without the rules the same kind of window loses none.
 * Concealment is only asserted to be there (over 0.5% of the samples played) and below half
 * (the voice is still mostly heard): Opus's in-band FEC rebuilds some lost packets, and on a
 * starved 2-core machine late packets are concealed even without loss (3-6% seen), so it is
 * not compared with the control. Packet counts are over the kit's once-a-second readings, which
 * a starved page takes late: only loose lower bounds on them.
 */
describe.skipIf(!networkSuiteRuns("voice under UDP loss"))(
  "voice under 10% random UDP loss in both player namespaces",
  () => {
    const LOSS_WINDOW_MS = 10_000;
    let stage: NetworkStage;
    let alice: JoinedPlayer;
    let bob: JoinedPlayer;
    const pairs = (): readonly (readonly [JoinedPlayer, JoinedPlayer])[] => [
      [bob, alice],
      [alice, bob],
    ];

    beforeAll(async () => {
      stage = await startNetworkStage({
        chromiumArgs: fakeMicrophoneArgs(await writeSpeechWav()),
        secureOrigin: true,
      });
      [alice, bob] = await joinBoth(stage);
      await waitForOpenChannels([alice, bob]);
      await turnOnVoiceAndHoldV(alice.page);
      await turnOnVoiceAndHoldV(bob.page);
      await sleep(SETTLE_MS);
    });

    afterAll(async () => {
      await stage?.stop();
    });

    it("loses no voice packets before the rules are in (control)", async () => {
      const heard = await heardOver(pairs(), WINDOW_MS);
      for (const grown of heard) {
        console.info(
          `no rules: ${grown.packetsReceived} packets, loss ${percent(lossShare(grown))}, ` +
            `concealed ${percent(concealedShare(grown))}`,
        );
        expect(grown.packetsReceived).toBeGreaterThan(TALKING_MIN_PACKETS);
        expect(grown.energy).toBeGreaterThan(0);
        expect(lossShare(grown)).toBeLessThanOrEqual(0.02);
      }
    });

    it("keeps voice flowing at 10% loss, concealed, and the HUD shows loss and concealment", async () => {
      for (const player of [alice, bob]) {
        await player.net.setUdpRules([{ kind: "random-loss", percent: LOSS_PERCENT }]);
      }
      await sleep(SETTLE_MS);
      const heard = await heardOver(pairs(), LOSS_WINDOW_MS);
      for (const [i, [listener, talker]] of pairs().entries()) {
        const grown = heard[i];
        if (!grown) throw new Error("missing reading");
        const peer = peerIn(await snapshot(listener.page), talker.id);
        console.info(
          `${LOSS_PERCENT}% loss: player ${listener.net.index} heard player ${talker.net.index}: ` +
            `${grown.packetsReceived} packets in ${LOSS_WINDOW_MS} ms, ` +
            `loss ${percent(lossShare(grown))}, concealed ${percent(concealedShare(grown))}; ` +
            `last second: ${peer?.audio?.inKbps.toFixed(1)} kbps, ` +
            `lost ${peer?.audio?.lostPercent.toFixed(1)}%, ` +
            `concealed ${peer?.audio?.concealedPercent.toFixed(1)}%, ` +
            `jitter buffer ${peer?.audio?.jitterBufferMs?.toFixed(0)} ms`,
        );
        expect(grown.packetsReceived).toBeGreaterThan(200);
        expect(grown.energy).toBeGreaterThan(0);
        expect(lossShare(grown)).toBeGreaterThanOrEqual(0.04);
        expect(lossShare(grown)).toBeLessThanOrEqual(0.2);
        expect(concealedShare(grown)).toBeGreaterThan(0.005);
        expect(concealedShare(grown)).toBeLessThan(0.5);
        expect(peer?.audio?.inKbps).toBeGreaterThan(4);
      }

      // What a player reads in the HUD: each second's figures, so a lucky second may show
      // 0.0%; within 15 s some second must show both loss and concealment.
      for (const [listener, talker] of pairs()) {
        await showNetworkHud(listener.page);
        const talkerName =
          (await snapshot(listener.page)).roster.find((r) => r.id === talker.id)?.name ?? "";
        await expect
          .poll(
            async () => {
              const row = hudVoiceRow(await hudLines(listener.page), talkerName);
              return row !== null && row.lost > 0 && row.concealed > 0;
            },
            { timeout: 15_000, interval: 250 },
          )
          .toBe(true);
        const stats = peerIn(await snapshot(listener.page), talker.id)?.audio;
        console.info(
          `player ${listener.net.index}'s HUD:\n${(await hudLines(listener.page)).join("\n")}\n` +
            `(stats.audio: ${JSON.stringify(stats)})`,
        );
      }
      await screenshotAll("voice-loss", [alice, bob]);
      expect(problemsOf(alice.page)).toEqual([]);
      expect(problemsOf(bob.page)).toEqual([]);
    });
  },
);
