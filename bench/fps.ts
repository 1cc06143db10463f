/**
 * Benchmark: the frame rate of one headless Chromium game page while it plays with 7 others
 * (7 more pages in the same browser, all in one full mesh) beside the same page alone in its
 * lobby, measured in the same run: alone, then with 7 peers, then alone again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../scripts/chromium.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import {
  closeAll,
  createLobby,
  median,
  moveUntil,
  NO_BACKGROUNDING_ARGS,
  openPlayers,
  waitForMesh,
} from "./page-probe.ts";
import { quantile } from "./stats.ts";

const OTHERS = Number(process.env["BENCH_OTHERS"] ?? 7);
const WINDOWS = Number(process.env["BENCH_WINDOWS"] ?? 3);
const WINDOW_MS = 5000;

interface Window {
  readonly fps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
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

/** WINDOWS windows while the page holds arrow keys (so its own avatar moves and is sent). */
async function measure(page: Page): Promise<Window[]> {
  const moving = moveUntil(page, Date.now() + WINDOWS * (WINDOW_MS + 300) + 500);
  const windows: Window[] = [];
  for (let i = 0; i < WINDOWS; i++) windows.push(await frameWindow(page, WINDOW_MS));
  await moving;
  return windows;
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const [server, browser] = await Promise.all([
  startLocalServer({ persistTo }),
  launchChromium({ args: [...NO_BACKGROUNDING_ARGS] }),
]);
try {
  const code = await createLobby(server.url);
  const url = `${server.url}/?lobby=${code}`;
  const [measured] = await openPlayers(browser, url, 1, false);
  if (!measured) throw new Error("no page");
  const page = measured.page;
  await page.waitForTimeout(2000);
  process.stderr.write("alone...\n");
  const aloneBefore = await measure(page);
  process.stderr.write(`opening ${OTHERS} more pages...\n`);
  const others = await openPlayers(browser, url, OTHERS, false);
  await waitForMesh([page, ...others.map((o) => o.page)], OTHERS);
  await page.waitForTimeout(2000);
  process.stderr.write(`with ${OTHERS} peers...\n`);
  const withPeers = await measure(page);
  await closeAll(others);
  await page.waitForFunction(() => globalThis.edgeplay?.snapshot().peers.length === 0, undefined, {
    timeout: 30_000,
  });
  await page.waitForTimeout(2000);
  process.stderr.write("alone again...\n");
  const aloneAfter = await measure(page);

  const alone = [...aloneBefore, ...aloneAfter];
  const row = (name: string, windows: readonly Window[]): string =>
    `| ${name} | ${windows.length} | ${median(windows.map((w) => w.fps)).toFixed(1)} | ${windows.map((w) => w.fps.toFixed(1)).join(", ")} | ${median(windows.map((w) => w.p50)).toFixed(1)} | ${median(windows.map((w) => w.p99)).toFixed(1)} | ${Math.max(...windows.map((w) => w.max)).toFixed(1)} |`;
  console.log("\nFrame rate of one game page (requestAnimationFrame)\n");
  console.log(
    "| condition | 5 s windows | median fps | fps per window | frame interval p50 ms | p99 ms (median of windows) | max ms |",
  );
  console.log("|---|---:|---:|---|---:|---:|---:|");
  console.log(row("alone in its lobby (before and after)", alone));
  console.log(row(`with ${OTHERS} peers (their pages in the same browser)`, withPeers));
  console.log(
    `\nwith peers / alone, median fps: ${(median(withPeers.map((w) => w.fps)) / median(alone.map((w) => w.fps))).toFixed(2)}x`,
  );
  console.log(
    `\nMethod: one headless Chromium (software rendering, --disable-gpu; renderer backgrounding and timer throttling off), wrangler dev, one browser context per page. The measured page joins a lobby and plays alone; then ${OTHERS} more pages join the same lobby (full mesh, every pair direct) and stand still while sending state at 30 Hz; then they close and the page is alone again. In each condition the measured page holds ArrowLeft/ArrowRight in 600 ms turns and a page-side requestAnimationFrame loop records timestamps for ${WINDOWS} windows of ${WINDOW_MS / 1000} s; fps = intervals / span. The game's Phaser loop runs on the same rAF. The ${OTHERS} other pages run their own Phaser arenas on the same 2 cores, so the drop is CPU contention on this machine as much as the cost of 7 peers in this page.`,
  );
} finally {
  await browser.close();
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
