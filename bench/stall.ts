/**
 * Benchmark: stalls in a remote avatar's rendered motion under UDP loss, the game's unreliable
 * `state` channel + interpolation beside the same state packets sent over the reliable, ordered
 * `events` channel (`?state=reliable`), measured in the same run.
 *
 * Two players, each Chromium in a network namespace of its own (scripts/netns.ts); nftables
 * random loss on the watcher's input hook only. Each condition gets a new lobby with just its two
 * pages, closed afterwards (stall-run.ts); the mode order turns over with every loss level and
 * repetition, and repetitions are pooled (stall-report.ts). What a stall is: stall-frames.ts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "../scripts/local-server.ts";
import { checkNetworkSupport } from "../scripts/net/capability.ts";
import {
  launchChromiumInNamespace,
  type NamespacedBrowser,
} from "../scripts/net/chromium-in-netns.ts";
import { createTopology } from "../scripts/netns.ts";
import { NO_BACKGROUNDING_ARGS } from "./page-probe.ts";
import { LEG_MS } from "./stall-loop.ts";
import { formatComparison, formatRun, formatTable, type Pooled, pool } from "./stall-report.ts";
import { type Mode, type RunResult, type RunSetup, runCondition } from "./stall-run.ts";

const LOSSES = (process.env["BENCH_LOSS"] ?? "0,10,20").split(",").map(Number);
const WINDOW_MS = Number(process.env["BENCH_WINDOW_MS"] ?? 15_000);
const REPETITIONS = Number(process.env["BENCH_REPS"] ?? 4);
const SETTLE_MS = 2000;
const MODES: readonly Mode[] = ["unreliable", "reliable"];

/** Both orders equally often, so neither mode always runs first after a page has started. */
function modeOrder(repetition: number, lossIndex: number): readonly Mode[] {
  return (repetition + lossIndex) % 2 === 0 ? MODES : [...MODES].reverse();
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
  const setup: RunSetup = {
    origin: server.url,
    browserA: browserA.browser,
    browserB: browserB.browser,
    netB,
    settleMs: SETTLE_MS,
    windowMs: WINDOW_MS,
  };

  const runs: RunResult[] = [];
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    for (const [lossIndex, loss] of LOSSES.entries()) {
      for (const mode of modeOrder(repetition, lossIndex)) {
        const run = await runCondition(setup, mode, loss);
        process.stderr.write(`run ${repetition + 1}/${REPETITIONS}, ${formatRun(run)}\n`);
        runs.push(run);
      }
    }
  }

  const rows = LOSSES.flatMap((loss) =>
    MODES.map((mode) => pool(runs, mode, loss)).filter((p): p is Pooled => p !== null),
  );
  console.log("\nStalls in A's rendered motion on B's screen, pooled over repetitions\n");
  console.log(formatTable(rows));
  console.log(`\n${formatComparison(rows)}`);
  console.log(
    `\nMethod: two network namespaces on one bridge (scripts/netns.ts), wrangler dev in the root namespace, one headless Chromium per namespace (renderer backgrounding off). Per condition a new lobby with only its two pages (A in one browser, B in the other), both opened with ?state=reliable in reliable mode (stream, ping and pong packets go on the reliable ordered 'events' channel; the receiver routes them by first byte into the same state path); the pages are closed after the condition. ${REPETITIONS} repetitions of every loss level, the order of the two modes alternating per loss level and repetition. Loss: nftables 'numgen random' drop of that share of UDP on B's input hook (A->B data is lost; B's SACKs back are not), set once the channels are open. A goes round an octagon, turning 45 degrees every ${LEG_MS} ms by pressing or releasing one arrow key, so its velocity never passes through zero (the slowest speed A sent in each window, and the intervals between its sends, are read from copies of its avatar stream packets: a starved sender leaves gaps no channel can fill); after ${SETTLE_MS / 1000} s, a ${WINDOW_MS / 1000} s window. On B, every requestAnimationFrame is recorded, and a probe around CanvasRenderingContext2D.fill ties each fill of A's disc colour to its frame with its translation (getTransform e, f). Per rendered frame A's disc is 'moved' or 'unchanged' against the previous frame that drew it. A stall runs from the last moved frame to the next one, counted only when at least one frame in between drew the disc unchanged (a stall still running at a window edge is cut there). Frames in which B simply did not draw are B's frame interval, reported apart. 'load' is the machine's 1-minute load average (2 cores, shared). 'state loss' is 1 - received / (seq span) as B's snapshot counts them (over the reliable channel nothing is lost, only late).`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
