/**
 * Benchmark: time from a player joining a lobby to both data channels being open on both
 * pages, for 2 Chromium pages signaling through the real Lobby (wrangler dev) versus the same
 * pages through a bare Node `ws` relay (the floor), interleaved in one run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import * as v from "valibot";
import type { GameSnapshot } from "../game/debug.ts";
import { launchChromium } from "../scripts/chromium.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { CreatedLobbySchema } from "../shared/api.ts";
import { startBareRelay } from "./bare-relay.ts";
import { formatTable, summarize } from "./stats.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 15);
const WARMUP = 2;

async function snapshotOf(page: Page): Promise<GameSnapshot | undefined> {
  return page.evaluate(() => globalThis.edgeplay?.snapshot());
}

/** One measurement: ms from B asking to join until both pages have both channels open. */
async function measureOnce(browser: Browser, origin: string): Promise<number> {
  const created = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  const { code } = v.parse(CreatedLobbySchema, await created.json());
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
    if (!a || !b) throw new Error("no pages");
    await a.goto(`${origin}/?lobby=${code}`);
    await a.waitForFunction(() => globalThis.edgeplay?.snapshot().peerId != null);
    await b.goto(`${origin}/?lobby=${code}`);
    const open = () => {
      const peer = globalThis.edgeplay?.snapshot().peers[0];
      return peer?.channelsOpenAt != null;
    };
    await Promise.all([
      a.waitForFunction(open, undefined, { polling: 20 }),
      b.waitForFunction(open, undefined, { polling: 20 }),
    ]);
    const [snapA, snapB] = await Promise.all([snapshotOf(a), snapshotOf(b)]);
    const start = snapB?.joinStartedAt;
    const openA = snapA?.peers[0]?.channelsOpenAt;
    const openB = snapB?.peers[0]?.channelsOpenAt;
    if (start == null || openA == null || openB == null) throw new Error("missing timestamps");
    return Math.max(openA, openB) - start;
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const [edge, bare, browser] = await Promise.all([
  startLocalServer({ persistTo }),
  startBareRelay(),
  launchChromium(),
]);
try {
  const targets = [
    { name: "edgeplay Lobby (wrangler dev, workerd)", url: edge.url, samples: [] as number[] },
    { name: "bare Node ws relay (floor)", url: bare.url, samples: [] as number[] },
  ];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const target of targets) {
      const ms = await measureOnce(browser, target.url);
      if (run >= WARMUP) target.samples.push(ms);
    }
    process.stderr.write(`run ${run + 1}/${WARMUP + RUNS}\r`);
  }
  const rows = targets.map((t) => ({ name: t.name, ...summarize(t.samples) }));
  const [edgeRow, bareRow] = rows;
  console.log("\nJoin to both channels open, 2 Chromium pages (ms)\n");
  console.log(formatTable(rows));
  if (edgeRow && bareRow) {
    console.log(`\nedgeplay / floor, medians: ${(edgeRow.median / bareRow.median).toFixed(2)}x`);
  }
  console.log(
    `\nMethod: ${RUNS} runs per target after ${WARMUP} warm-up runs, targets interleaved in one process.` +
      " Each run: a new lobby and two new browser contexts in one headless Chromium; page A joins" +
      " via /?lobby=CODE, then page B does. Measured from B's joinStartedAt (click/URL join," +
      " performance.timeOrigin + now) to the later of the two pages' channelsOpenAt (both" +
      " `state` and `events` open). Both targets serve the same dist/game build; WebRTC uses" +
      " host candidates only (no STUN/TURN).",
  );
} finally {
  await browser.close();
  await Promise.all([edge.stop(), bare.stop()]);
  await rm(persistTo, { recursive: true, force: true });
}
