/**
 * Benchmark: time from a player joining a lobby to both data channels being open on both
 * pages, for 2 Chromium pages signaling through the real Lobby (wrangler dev) versus the same
 * pages through a bare Node `ws` relay (the floor), interleaved in one run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreatedLobbySchema } from "edgeplay/protocol";
import type { Browser, Page } from "playwright-core";
import * as v from "valibot";
import type { GameSnapshot } from "../game/debug.ts";
import { launchChromium } from "../scripts/chromium.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { startBareRelay } from "./bare-relay.ts";
import { joinByLink } from "./page-probe.ts";
import { formatTable, summarize } from "./stats.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 15);
const WARMUP = 2;

async function snapshotOf(page: Page): Promise<GameSnapshot | undefined> {
  return page.evaluate(() => globalThis.edgeplay?.snapshot());
}

interface Phases {
  /** B asks to join -> B has `welcome` (lobby info GET, WebSocket upgrade, hello). */
  readonly join: number;
  /** B has `welcome` -> both pages have both channels open (offer/answer/ICE via the relay). */
  readonly connect: number;
  readonly total: number;
}

/** One measurement, for page B joining a lobby where page A already waits. */
async function measureOnce(browser: Browser, origin: string): Promise<Phases> {
  const created = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  const { code } = v.parse(CreatedLobbySchema, await created.json());
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
    if (!a || !b) throw new Error("no pages");
    await joinByLink(a, `${origin}/?lobby=${code}`);
    await a.waitForFunction(() => globalThis.edgeplay?.snapshot().peerId != null);
    await joinByLink(b, `${origin}/?lobby=${code}`);
    const open = () => globalThis.edgeplay?.snapshot().peers[0]?.channelsOpenAt != null;
    await Promise.all([
      a.waitForFunction(open, undefined, { polling: 20 }),
      b.waitForFunction(open, undefined, { polling: 20 }),
    ]);
    const [snapA, snapB] = await Promise.all([snapshotOf(a), snapshotOf(b)]);
    const start = snapB?.joinStartedAt;
    const welcomed = snapB?.welcomedAt;
    const openA = snapA?.peers[0]?.channelsOpenAt;
    const openB = snapB?.peers[0]?.channelsOpenAt;
    if (start == null || welcomed == null || openA == null || openB == null) {
      throw new Error("missing timestamps");
    }
    const bothOpen = Math.max(openA, openB);
    return { join: welcomed - start, connect: bothOpen - welcomed, total: bothOpen - start };
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
    { name: "edgeplay Lobby (wrangler dev)", url: edge.url, samples: [] as Phases[] },
    { name: "bare Node ws relay (floor)", url: bare.url, samples: [] as Phases[] },
  ];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const target of targets) {
      const phases = await measureOnce(browser, target.url);
      if (run >= WARMUP) target.samples.push(phases);
    }
    process.stderr.write(`run ${run + 1}/${WARMUP + RUNS}\r`);
  }
  const phaseNames: [keyof Phases, string][] = [
    ["total", "join -> both channels open"],
    ["join", "join -> welcome"],
    ["connect", "welcome -> both channels open"],
  ];
  console.log("\nTime for a second player to join and connect, 2 Chromium pages (ms)\n");
  const rows = phaseNames.flatMap(([phase, label]) =>
    targets.map((t) => ({
      name: `${label}: ${t.name}`,
      ...summarize(t.samples.map((s) => s[phase])),
    })),
  );
  console.log(formatTable(rows));
  const [edgeTarget, bareTarget] = targets;
  if (edgeTarget && bareTarget) {
    for (const [phase, label] of phaseNames) {
      const ratio =
        summarize(edgeTarget.samples.map((s) => s[phase])).median /
        summarize(bareTarget.samples.map((s) => s[phase])).median;
      console.log(`edgeplay / floor, median ${label}: ${ratio.toFixed(2)}x`);
    }
  }
  console.log(
    `\nMethod: ${RUNS} runs per target after ${WARMUP} warm-up runs, targets interleaved in one process.` +
      " Each run: a new lobby and two new browser contexts in one headless Chromium; page A joins" +
      " via /?lobby=CODE (pressing Join on its name step), then page B does. Timestamps are epoch ms (performance.timeOrigin + now) read from each page's" +
      " edgeplay.snapshot(): B's joinStartedAt, B's welcomedAt, and the later of the two pages'" +
      " channelsOpenAt (both `state` and `events` open). Both targets serve the same dist/game build; WebRTC uses" +
      " host candidates only (no STUN/TURN).",
  );
} finally {
  await browser.close();
  await Promise.all([edge.stop(), bare.stop()]);
  await rm(persistTo, { recursive: true, force: true });
}
