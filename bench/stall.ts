/**
 * Benchmark: the longest stalls in a remote avatar's drawn motion under UDP loss, the game's
 * unreliable `state` channel + interpolation beside the same state packets sent over the
 * reliable, ordered `events` channel (`?state=reliable`), measured in the same run.
 *
 * Two players, each Chromium in a network namespace of its own (scripts/netns.ts); nftables
 * random loss on the receiver's input hook only. Player A holds arrow keys; on player B a probe
 * wrapped around CanvasRenderingContext2D.fill records, per fill colour, the drawn translation
 * (getTransform e, f) of every disc Phaser's Canvas renderer fills; a stall is the time between
 * two frames in which A's disc was drawn at different places.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startLocalServer } from "../scripts/local-server.ts";
import { checkNetworkSupport } from "../scripts/net/capability.ts";
import {
  launchChromiumInNamespace,
  type NamespacedBrowser,
} from "../scripts/net/chromium-in-netns.ts";
import { createTopology } from "../scripts/netns.ts";
import {
  createLobby,
  moveUntil,
  NO_BACKGROUNDING_ARGS,
  snapshotOf,
  waitForMesh,
} from "./page-probe.ts";
import { quantile } from "./stats.ts";

const LOSSES = (process.env["BENCH_LOSS"] ?? "0,10,20").split(",").map(Number);
const WINDOW_MS = Number(process.env["BENCH_WINDOW_MS"] ?? 12_000);
const MODES = ["unreliable", "reliable"] as const;
type Mode = (typeof MODES)[number];

interface DrawRecorder {
  on: boolean;
  /** Per fill style: the last drawn translation and the times it changed. */
  readonly byStyle: Record<string, { last: string; changes: number[] }>;
}

declare global {
  var edgeplayBenchDraws: DrawRecorder | undefined;
}

/** Observation only: every fill still happens exactly as the game asked. */
async function installDrawProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const recorder: DrawRecorder = { on: false, byStyle: {} };
    globalThis.edgeplayBenchDraws = recorder;
    const originalFill = CanvasRenderingContext2D.prototype.fill;
    CanvasRenderingContext2D.prototype.fill = function (
      this: CanvasRenderingContext2D,
      ...args: unknown[]
    ): void {
      Reflect.apply(originalFill, this, args);
      if (!recorder.on) return;
      const style = String(this.fillStyle);
      const m = this.getTransform();
      const at = `${m.e},${m.f}`;
      const entry = recorder.byStyle[style];
      if (entry === undefined) {
        recorder.byStyle[style] = { last: at, changes: [] };
      } else if (entry.last !== at) {
        entry.last = at;
        entry.changes.push(performance.now());
      }
    };
  });
}

/** Change times of the fill colour that changed most: A's disc (B itself stands still). */
async function recordDraws(receiver: Page, mover: Page, ms: number): Promise<number[]> {
  await receiver.evaluate(() => {
    const r = globalThis.edgeplayBenchDraws;
    if (r) {
      r.on = true;
      for (const key of Object.keys(r.byStyle)) delete r.byStyle[key];
    }
  });
  await moveUntil(mover, Date.now() + ms);
  const byStyle = await receiver.evaluate(() => {
    const r = globalThis.edgeplayBenchDraws;
    if (!r) return {};
    r.on = false;
    return r.byStyle;
  });
  const busiest = Object.values(byStyle).sort((a, b) => b.changes.length - a.changes.length)[0];
  return busiest?.changes ?? [];
}

interface Result {
  readonly mode: Mode;
  readonly loss: number;
  readonly changes: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly over100: number;
  readonly measuredLoss: number;
}

const support = await checkNetworkSupport();
if (!support.ok) throw new Error(`the stall bench needs network namespaces: ${support.reason}`);
const cleanups: (() => Promise<void>)[] = [];
try {
  const topology = await createTopology({ players: 2 });
  cleanups.push(() => topology.destroy());
  const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
  cleanups.push(() => rm(persistTo, { recursive: true, force: true }));
  const server = await startLocalServer({ persistTo, ip: topology.hostAddress });
  cleanups.push(() => server.stop());
  const [netA, netB] = topology.players;
  if (!netA || !netB) throw new Error("expected two players");
  const browsers: NamespacedBrowser[] = [];
  for (const net of [netA, netB]) {
    const browser = await launchChromiumInNamespace(net.namespace, {
      args: [...NO_BACKGROUNDING_ARGS],
    });
    cleanups.push(() => browser.close());
    browsers.push(browser);
  }
  const [browserA, browserB] = browsers;
  if (!browserA || !browserB) throw new Error("expected two browsers");

  const pairs = new Map<Mode, { a: Page; b: Page; aId: string }>();
  for (const mode of MODES) {
    const code = await createLobby(server.url);
    const query = mode === "reliable" ? `/?lobby=${code}&state=reliable` : `/?lobby=${code}`;
    const pages: Page[] = [];
    for (const browser of [browserA, browserB]) {
      const context = await browser.browser.newContext({ viewport: { width: 1024, height: 640 } });
      const page = await context.newPage();
      await installDrawProbe(page);
      await page.goto(`${server.url}${query}`);
      await page.waitForFunction(() => globalThis.edgeplay?.snapshot().peerId != null);
      pages.push(page);
    }
    const [a, b] = pages;
    if (!a || !b) throw new Error("expected two pages");
    await waitForMesh([a, b], 1);
    const aId = (await snapshotOf(a)).peerId ?? "";
    pairs.set(mode, { a, b, aId });
  }

  const results: Result[] = [];
  for (const loss of LOSSES) {
    await netB.setUdpRules(loss > 0 ? [{ kind: "random-loss", percent: loss }] : []);
    for (const mode of MODES) {
      const pair = pairs.get(mode);
      if (!pair) continue;
      process.stderr.write(`${loss}% loss, ${mode}...\n`);
      const seen = async (): Promise<{ seq: number; received: number }> => {
        const peer = (await snapshotOf(pair.b)).peers.find((p) => p.id === pair.aId);
        return { seq: peer?.lastState?.seq ?? 0, received: peer?.statePacketsReceived ?? 0 };
      };
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = await seen();
      const changes = await recordDraws(pair.b, pair.a, WINDOW_MS);
      const after = await seen();
      const gaps = changes.slice(1).map((t, i) => t - (changes[i] ?? t));
      const sorted = [...gaps].sort((x, y) => x - y);
      const sent = after.seq - before.seq;
      results.push({
        mode,
        loss,
        changes: changes.length,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        max: sorted.at(-1) ?? Number.NaN,
        over100: gaps.filter((g) => g > 100).length,
        measuredLoss: sent > 0 ? 1 - (after.received - before.received) / sent : Number.NaN,
      });
    }
  }
  await netB.setUdpRules([]);

  console.log("\nGaps between changes of A's drawn position on B's screen (ms)\n");
  console.log(
    "| nftables loss at B | state sent over | frames with A moved | gap p50 | gap p99 | longest stall | gaps > 100 ms | state packets lost (seq) |",
  );
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const label =
      r.mode === "unreliable"
        ? "edgeplay: `state` (unordered, 0 retransmits) + interpolation"
        : "`events` (reliable, ordered), `?state=reliable`";
    console.log(
      `| ${r.loss}% | ${label} | ${r.changes} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.over100} | ${(r.measuredLoss * 100).toFixed(1)}% |`,
    );
  }
  for (const loss of LOSSES) {
    const u = results.find((r) => r.loss === loss && r.mode === "unreliable");
    const rel = results.find((r) => r.loss === loss && r.mode === "reliable");
    if (u && rel) {
      console.log(
        `${loss}%: reliable / edgeplay, p99 ${(rel.p99 / u.p99).toFixed(2)}x, longest ${(rel.max / u.max).toFixed(2)}x`,
      );
    }
  }
  console.log(
    `\nMethod: two network namespaces on one bridge (scripts/netns.ts), wrangler dev in the root namespace, one headless Chromium per namespace (renderer backgrounding off). Two lobbies stay open side by side, one per mode, both pages of the reliable one opened with ?state=reliable (state, ping and pong packets go on the reliable ordered 'events' channel; the receiver routes them by first byte into the same state path). For each loss level, nftables 'numgen random' drop of that share of UDP on B's input hook only (A->B data and B's SACKs back are not dropped), then per mode: 1 s settle, then ${WINDOW_MS / 1000} s in which A holds ArrowLeft/ArrowRight in 600 ms turns. On B, a probe around CanvasRenderingContext2D.fill (Phaser's Canvas renderer fills each avatar disc) records the drawn translation per fill colour; the colour whose position changed most is A's disc (B stands still). Gaps are times between consecutive changed frames: at 60 fps an unbroken motion gives ~16.7 ms; longer gaps are frames where A's disc stayed put. 'state packets lost' is 1 - received / (seq span) as B's snapshot counts them (with the reliable channel nothing is lost, only late).`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
