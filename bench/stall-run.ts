/**
 * One measured condition of the stall bench: a new lobby with just two pages (A moves, B
 * watches, each in its own browser and network namespace), loss set on B's input, a window of
 * B's frames while A goes round its loop, then both pages closed so the next condition starts on
 * an otherwise idle machine.
 */
import { loadavg } from "node:os";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { colorForPeer } from "../game/scenes/peer-color.ts";
import { AVATAR_CODEC } from "../game/session/avatar-stream.ts";
import type { NetPlayer } from "../scripts/netns.ts";
import { readStatePacket } from "./kit-packets.ts";
import { createLobby, joinByLink, median, snapshotOf, waitForMesh } from "./page-probe.ts";
import { analyzeFrames, type FrameAnalysis, fillStyleOf } from "./stall-frames.ts";
import { bestStartLeg, startLoop } from "./stall-loop.ts";
import {
  installFrameProbe,
  installSendProbe,
  type SentPacket,
  setSendCapture,
  startFrames,
  stopFrames,
  takeSentStreamPackets,
} from "./stall-probes.ts";

export type Mode = "unreliable" | "reliable";

export interface RunSetup {
  readonly origin: string;
  readonly browserA: Browser;
  readonly browserB: Browser;
  /** B's namespace: the loss is set on its UDP input, so A→B data is what gets lost. */
  readonly netB: NetPlayer;
  readonly settleMs: number;
  readonly windowMs: number;
}

export interface RunResult extends FrameAnalysis {
  readonly mode: Mode;
  readonly loss: number;
  /** State packets A sent in the window (seq span as B saw it) and how many B accepted. */
  readonly statesSent: number;
  readonly statesReceived: number;
  /** The slowest speed A sent in the window, units/s (from copies of A's state packets). */
  readonly minSpeedSent: number;
  /** Intervals between A's state sends in the window, ms: 33 unless A's page was starved. */
  readonly sendIntervalsMs: number[];
  /** Median of B's interpolation delay for A, sampled every 500 ms in the window. */
  readonly delayMs: number;
  /** The machine's 1-minute load average when the window ended. */
  readonly load: number;
}

async function openPage(browser: Browser): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 } });
  return [context, await context.newPage()];
}

async function sampleDelays(b: Page, aId: string, until: Promise<void>): Promise<number[]> {
  let done = false;
  const finished = until.finally(() => {
    done = true;
  });
  const delays: number[] = [];
  while (!done) {
    const peer = (await snapshotOf(b)).peers.find((p) => p.id === aId);
    if (peer?.interpolationDelayMs != null) delays.push(peer.interpolationDelayMs);
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  return delays;
}

/** The slowest speed sent and the intervals between sends, from copies of A's avatar packets. */
function sentMotion(packets: readonly SentPacket[]): { slowest: number; intervalsMs: number[] } {
  let slowest = Number.POSITIVE_INFINITY;
  const times: number[] = [];
  for (const { atMs, bytes } of packets) {
    const packet = readStatePacket(bytes);
    const motion = packet?.kind === "stream" ? AVATAR_CODEC.decode(packet.data) : null;
    if (motion === null) continue;
    slowest = Math.min(slowest, Math.hypot(motion.vx, motion.vy));
    times.push(atMs);
  }
  return { slowest, intervalsMs: times.slice(1).map((t, i) => t - (times[i] ?? t)) };
}

export async function runCondition(setup: RunSetup, mode: Mode, loss: number): Promise<RunResult> {
  const code = await createLobby(setup.origin);
  const url = `${setup.origin}/?lobby=${code}${mode === "reliable" ? "&state=reliable" : ""}`;
  const contexts: BrowserContext[] = [];
  try {
    const [contextA, a] = await openPage(setup.browserA);
    contexts.push(contextA);
    await installSendProbe(a);
    await joinByLink(a, url);
    await a.waitForFunction(() => globalThis.edgeplay?.snapshot().peerId != null);
    const [contextB, b] = await openPage(setup.browserB);
    contexts.push(contextB);
    await installFrameProbe(b);
    await joinByLink(b, url);
    await waitForMesh([a, b], 1);
    const snapA = await snapshotOf(a);
    const aId = snapA.peerId ?? "";
    const discStyle = fillStyleOf(
      colorForPeer(snapA.roster.find((peer) => peer.id === aId)?.color ?? null),
    );

    await setup.netB.setUdpRules(loss > 0 ? [{ kind: "random-loss", percent: loss }] : []);
    const loop = startLoop(a, bestStartLeg(snapA.local, (await snapshotOf(b)).local));
    await new Promise((resolve) => setTimeout(resolve, setup.settleMs));
    const seen = async (): Promise<{ seq: number; received: number }> => {
      const peer = (await snapshotOf(b)).peers.find((p) => p.id === aId);
      return { seq: peer?.lastState?.seq ?? 0, received: peer?.statePacketsReceived ?? 0 };
    };
    const before = await seen();
    await Promise.all([setSendCapture(a, true), startFrames(b)]);
    const window = new Promise<void>((resolve) => setTimeout(resolve, setup.windowMs));
    const delays = await sampleDelays(b, aId, window);
    const [capture] = await Promise.all([stopFrames(b), setSendCapture(a, false)]);
    const after = await seen();
    loop.stop();
    await loop.done;
    const analysis = analyzeFrames(capture, discStyle);
    const sent = sentMotion(await takeSentStreamPackets(a));
    if (analysis.moved + analysis.unchanged === 0) {
      const styles = [...new Set(capture.fills.map((f) => f.style))].join(", ");
      throw new Error(`A's disc (${discStyle}) was never drawn on B; fills seen: ${styles}`);
    }
    return {
      ...analysis,
      mode,
      loss,
      statesSent: after.seq - before.seq,
      statesReceived: after.received - before.received,
      minSpeedSent: sent.slowest,
      sendIntervalsMs: sent.intervalsMs,
      delayMs: median(delays),
      load: loadavg()[0] ?? Number.NaN,
    };
  } finally {
    await setup.netB.setUdpRules([]);
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}
