/**
 * Benchmark: the frame rate of one headless Chromium game page while it plays with 7 others,
 * beside the same page alone in its lobby, in one run. The 7 others are either Node bots
 * playing the arena on the kit with node-datachannel, in a separate process (the cost of 7
 * peers inside the page, with little else on the machine), or 7 more game pages in the same
 * browser (which also costs 7 software-rendered arenas on the same cores). Order: alone, bots,
 * alone, pages, alone.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../scripts/chromium.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { assertBotsPlaying } from "./bot-checks.ts";
import { BotFleet, type CpuTime } from "./bot-fleet-process.ts";
import { busyPercent, readMachineCpu } from "./cpu-meter.ts";
import { busyMsPerSecond, MainThreadMeter } from "./page-main-thread.ts";
import {
  closeAll,
  createLobby,
  median,
  moveUntil,
  NO_BACKGROUNDING_ARGS,
  openPlayers,
  snapshotOf,
  waitForMesh,
} from "./page-probe.ts";
import { quantile } from "./stats.ts";

const OTHERS = Number(process.env["BENCH_OTHERS"] ?? 7);
const WINDOWS = Number(process.env["BENCH_WINDOWS"] ?? 3);
const WINDOW_MS = 5000;
const SETTLE_MS = 2000;

interface Window {
  readonly fps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface Condition {
  readonly windows: readonly Window[];
  /** State packets per second the page accepted from each peer over the windows. */
  readonly packetsPerPeer: readonly number[];
  /** The measured page's main-thread work over the windows, ms per second. */
  readonly mainThread: { readonly task: number; readonly script: number };
  /** Share of all cores busy over the windows, whatever was running. */
  readonly machineBusyPercent: number;
  /** The bot process's CPU time over the windows, in % of one core; null without bots. */
  readonly botCpuPercent: number | null;
}

/** requestAnimationFrame callbacks on the page for `ms`: rate and frame-to-frame intervals. */
async function frameWindow(page: Page, ms: number): Promise<Window> {
  const times = await page.evaluate(
    (duration) =>
      new Promise<number[]>((resolve) => {
        const stamps: number[] = [];
        const frame = (t: number): void => {
          stamps.push(t);
          if (t - (stamps[0] ?? t) < duration) requestAnimationFrame(frame);
          else resolve(stamps);
        };
        requestAnimationFrame(frame);
      }),
    ms,
  );
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const sorted = [...gaps].sort((a, b) => a - b);
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return {
    fps: span > 0 ? (gaps.length / span) * 1000 : Number.NaN,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * WINDOWS windows while the page holds arrow keys (so its own avatar moves and is sent), with
 * the page's state packets per peer, the machine's CPU and the bots' CPU over the same span.
 */
async function measure(
  page: Page,
  meter: MainThreadMeter,
  fleet: BotFleet | null = null,
): Promise<Condition> {
  const snapBefore = await snapshotOf(page);
  const mainBefore = await meter.read();
  const machineBefore = await readMachineCpu();
  const botsBefore = await fleet?.cpuTime();
  const startedAt = performance.now();
  const moving = moveUntil(page, Date.now() + WINDOWS * (WINDOW_MS + 300) + 500);
  const windows: Window[] = [];
  for (let i = 0; i < WINDOWS; i++) windows.push(await frameWindow(page, WINDOW_MS));
  const seconds = (performance.now() - startedAt) / 1000;
  const [mainAfter, snapAfter, machineAfter, botsAfter] = await Promise.all([
    meter.read(),
    snapshotOf(page),
    readMachineCpu(),
    fleet?.cpuTime(),
  ]);
  await moving;
  const packetsPerPeer = snapAfter.peers.map((peer) => {
    const before = snapBefore.peers.find((p) => p.id === peer.id)?.statePacketsReceived ?? 0;
    return (peer.statePacketsReceived - before) / seconds;
  });
  return {
    windows,
    packetsPerPeer,
    mainThread: busyMsPerSecond(mainBefore, mainAfter),
    machineBusyPercent: busyPercent(machineBefore, machineAfter),
    botCpuPercent: cpuPercent(botsBefore, botsAfter),
  };
}

function cpuPercent(before: CpuTime | undefined, after: CpuTime | undefined): number | null {
  if (before === undefined || after === undefined) return null;
  return ((after.cpuMs - before.cpuMs) / (after.atMs - before.atMs)) * 100;
}

async function waitAlone(page: Page): Promise<void> {
  await page.waitForFunction(() => globalThis.edgeplay?.snapshot().peers.length === 0, undefined, {
    timeout: 30_000,
  });
  await page.waitForTimeout(SETTLE_MS);
}

/** `3 direct, 1 none`: how often each value occurs; `none` for an empty list. */
function countsOf(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${n} ${value}`).join(", ") || "none";
}

function medianFps(condition: Condition): number {
  return median(condition.windows.map((w) => w.fps));
}

function row(name: string, conditions: readonly Condition[]): string {
  const windows = conditions.flatMap((c) => c.windows);
  const packets = conditions.flatMap((c) => c.packetsPerPeer);
  const busy = median(conditions.map((c) => c.machineBusyPercent));
  const botCpu = conditions.map((c) => c.botCpuPercent).find((cpu) => cpu !== null);
  const cells = [
    name,
    windows.length,
    median(windows.map((w) => w.fps)).toFixed(1),
    windows.map((w) => w.fps.toFixed(1)).join(", "),
    median(windows.map((w) => w.p50)).toFixed(1),
    median(windows.map((w) => w.p99)).toFixed(1),
    Math.max(...windows.map((w) => w.max)).toFixed(1),
    packets.length === 0 ? "–" : `${packets.length} × ${median(packets).toFixed(1)}`,
    median(conditions.map((c) => c.mainThread.task)).toFixed(0),
    median(conditions.map((c) => c.mainThread.script)).toFixed(0),
    `${busy.toFixed(0)}%`,
    botCpu === undefined || botCpu === null ? "–" : `${botCpu.toFixed(0)}%`,
  ];
  return `| ${cells.join(" | ")} |`;
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const [server, browser] = await Promise.all([
  startLocalServer({ persistTo }),
  launchChromium({ args: [...NO_BACKGROUNDING_ARGS] }),
]);
let fleet: BotFleet | null = null;
try {
  const code = await createLobby(server.url);
  const url = `${server.url}/?lobby=${code}`;
  const [measured] = await openPlayers(browser, url, 1, false);
  if (!measured) throw new Error("no page");
  const page = measured.page;
  const meter = await MainThreadMeter.attach(page);
  await page.waitForTimeout(SETTLE_MS);
  process.stderr.write("alone...\n");
  const alone = [await measure(page, meter)];

  process.stderr.write(`starting ${OTHERS} node-datachannel bots...\n`);
  fleet = await BotFleet.start(server.url, code, OTHERS);
  await assertBotsPlaying(page, fleet);
  await page.waitForTimeout(SETTLE_MS);
  process.stderr.write(`with ${OTHERS} bots...\n`);
  const withBots = await measure(page, meter, fleet);
  const botView = await fleet.report();
  await fleet.stop();
  fleet = null;
  await waitAlone(page);
  process.stderr.write("alone again...\n");
  alone.push(await measure(page, meter));

  process.stderr.write(`opening ${OTHERS} more pages...\n`);
  const others = await openPlayers(browser, url, OTHERS, false);
  await waitForMesh([page, ...others.map((o) => o.page)], OTHERS);
  await page.waitForTimeout(SETTLE_MS);
  process.stderr.write(`with ${OTHERS} pages...\n`);
  const withPages = await measure(page, meter);
  await closeAll(others);
  await waitAlone(page);
  process.stderr.write("alone again...\n");
  alone.push(await measure(page, meter));

  const fpsAlone = median(alone.flatMap((c) => c.windows).map((w) => w.fps));
  console.log("\nFrame rate of one game page (requestAnimationFrame)\n");
  console.log(
    "| condition | 5 s windows | median fps | fps per window | frame interval p50 ms | p99 ms (median of windows) | max ms | peers × state packets/s into the page (median) | page main thread busy ms/s | of it, script ms/s | machine CPU busy (all cores) | bot process CPU (% of one core) |",
  );
  console.log("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  console.log(row("alone in its lobby (3 blocks: first, between, last)", alone));
  console.log(row(`with ${OTHERS} node-datachannel bots (another Node process)`, [withBots]));
  console.log(row(`with ${OTHERS} Chromium pages (same browser)`, [withPages]));
  const taskAlone = median(alone.map((c) => c.mainThread.task));
  console.log(
    `\nmedian fps / alone: with bots ${(medianFps(withBots) / fpsAlone).toFixed(2)}x, with pages ${(medianFps(withPages) / fpsAlone).toFixed(2)}x; with pages / with bots ${(medianFps(withPages) / medianFps(withBots)).toFixed(2)}x`,
  );
  console.log(
    `page main thread busy / alone: with bots ${(withBots.mainThread.task / taskAlone).toFixed(2)}x, with pages ${(withPages.mainThread.task / taskAlone).toFixed(2)}x`,
  );
  const pageId = (await snapshotOf(page)).peerId;
  const toPage = botView.bots.flatMap((bot) => bot.peers.filter((p) => p.peerId === pageId));
  const betweenBots = botView.bots.flatMap((bot) => bot.peers.filter((p) => p.peerId !== pageId));
  console.log(
    `Bots' side at the end of their window: ${toPage.filter((p) => p.channelsOpen).length}/${botView.bots.length} with both channels to the page open, paths to the page ${[...new Set(toPage.map((p) => p.path))].join("/")}, packets/s in from the page per bot (median) ${median(toPage.map((p) => p.packetsPerSecondIn)).toFixed(0)}, out ${median(toPage.map((p) => p.packetsPerSecondOut)).toFixed(0)}, ping RTT to the page median ${median(toPage.flatMap((p) => (p.rttMs === null ? [] : [p.rttMs]))).toFixed(1)} ms, send drops ${toPage.reduce((sum, p) => sum + p.sendDrops, 0)}; bot-to-bot pair ends by path: ${countsOf(betweenBots.map((p) => p.path))}; problems the bots' rooms reported: ${countsOf(botView.bots.flatMap((bot) => Object.entries(bot.problemCounts).flatMap(([code, n]) => Array<string>(n).fill(code))))}; scores ${botView.bots.map((bot) => bot.score ?? "–").join(", ")}.`,
  );
  console.log(
    `\nMethod: one headless Chromium (software rendering, --disable-gpu; renderer backgrounding and timer throttling off), wrangler dev, ${availableParallelism()} cores. The measured page joins a lobby; conditions in this order: alone; ${OTHERS} bots join (node-datachannel in one child Node process, each a kit Room (edgeplay/client) with node-datachannel's RTCPeerConnection, in a full mesh with the page and each other, playing the arena: the arena's own avatar simulation and world, steering for pickups (or circling when none is left), avatar stream at 30 Hz, clock-sync pings) and the page's edgeplay.snapshot() must show ${OTHERS} peers, each direct with state arriving at >= 15/s, before measuring; the bots leave; alone; ${OTHERS} more game pages join (full mesh, every pair direct; they stand still and send state at 30 Hz); they close; alone. In each condition the measured page holds ArrowLeft/ArrowRight in 600 ms turns while a page-side requestAnimationFrame loop records timestamps for ${WINDOWS} windows of ${WINDOW_MS / 1000} s; fps = intervals / span. Page main thread busy is CDP Performance.getMetrics TaskDuration (ScriptDuration for script) over the windows, per second. Machine CPU is /proc/stat over the windows; bot CPU is process.cpuUsage() of the bot process (all its threads) over the same span.`,
  );
} finally {
  await fleet?.stop();
  await browser.close();
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
