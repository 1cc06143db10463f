/**
 * Benchmark: players told to join a lobby -> every pair's two data channels open, with 2 pages
 * (one already in, one joins) and 8 pages (all told at once). edgeplay is the real game page on
 * the real Lobby (wrangler dev); the same game page on a bare Durable Object relay (bare-do/, its
 * own wrangler dev) separates the Lobby from the page and the runtime; the floor is raw WebRTC
 * in a blank page over a bare Node `ws` relay (raw-peer.ts, bare-relay.ts). Trials of the two targets are interleaved in one run, and
 * each is broken down by when the joining pages reached each step (join-probe.ts).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOL_VERSION } from "edgeplay/protocol";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../scripts/chromium.ts";
import { PROJECT_ROOT, startLocalServer } from "../scripts/local-server.ts";
import { startBareRelay } from "./bare-relay.ts";
import {
  installJoinProbe,
  type JoinTimeline,
  readJoinTimeline,
  waitForPairs,
} from "./join-probe.ts";
import { createLobby, NO_BACKGROUNDING_ARGS } from "./page-probe.ts";
import { installRawPeer } from "./raw-peer.ts";
import { summarize } from "./stats.ts";

const TRIALS = Number(process.env["BENCH_TRIALS"] ?? 20);
const WARMUP = 1;
const SIZES = (process.env["BENCH_PEERS"] ?? "2,8").split(",").map(Number);
/** Pages are told to join only after loading has calmed down, the same wait for both targets. */
const SETTLE_MS = 1000;
const OPEN_TIMEOUT_MS = 30_000;

/** Each step, as ms after the first joining page was told to join, for the last page to reach it. */
interface Milestones {
  readonly socketCreated: number;
  readonly socketOpen: number;
  readonly welcome: number;
  readonly welcomeHandled: number;
  readonly firstOffer: number;
  readonly allOpen: number;
}
const STEPS: readonly [keyof Milestones, string][] = [
  ["socketCreated", "socket created"],
  ["socketOpen", "socket open"],
  ["welcome", "welcome"],
  ["welcomeHandled", "welcome handled"],
  ["firstOffer", "first offer set"],
  ["allOpen", "all channels open"],
];

interface Target {
  readonly name: string;
  readonly origin: string;
  /** Loads the page up to the point where it can be told to join. */
  load(page: Page, code: string): Promise<void>;
  /** Tells the page to join; resolves once it has been told (not joined). */
  join(page: Page, code: string, name: string): Promise<void>;
  /** When the page was told, epoch ms. */
  toldAt(page: Page): Promise<number>;
}

function gameTarget(name: string, origin: string): Target {
  return {
    name,
    origin,
    async load(page, code) {
      await page.goto(`${origin}/?lobby=${code}`);
      await page.waitForSelector("#join-step-submit", { state: "visible" });
    },
    async join(page) {
      // A DOM click, like the raw page's call: no per-page actionability waits in between.
      await page.evaluate(() => document.querySelector<HTMLElement>("#join-step-submit")?.click());
    },
    async toldAt(page) {
      const at = await page.evaluate(() => globalThis.edgeplay?.snapshot().joinStartedAt);
      if (at == null) throw new Error("the game page has no joinStartedAt");
      return at;
    },
  };
}

function rawTarget(origin: string): Target {
  return {
    name: "floor (raw WebRTC, bare ws relay)",
    origin,
    async load(page) {
      await installRawPeer(page);
      await page.goto(`${origin}/raw`);
    },
    async join(page, code, name) {
      await page.evaluate(([c, n, version]) => globalThis.edgeplayRawPeer?.join(c, n, version), [
        code,
        name,
        PROTOCOL_VERSION,
      ] as const);
    },
    async toldAt(page) {
      const at = await page.evaluate(() => globalThis.edgeplayRawPeer?.joinStartedAt);
      if (at == null) throw new Error("the raw page has no joinStartedAt");
      return at;
    },
  };
}

/**
 * One trial: with 2 pages, A joins and waits for `welcome`, then B is told to join; with more,
 * all are told at once. Returns the joining pages' milestones.
 */
async function trial(browser: Browser, target: Target, size: number): Promise<Milestones> {
  const code = await createLobby(target.origin);
  const contexts = await Promise.all(
    Array.from({ length: size }, () =>
      browser.newContext({ viewport: { width: 1024, height: 640 } }),
    ),
  );
  try {
    const pages = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all(pages.map((p) => installJoinProbe(p)));
    const early = size === 2 ? pages.slice(0, 1) : [];
    const joining = pages.slice(early.length);
    for (const page of early) {
      await target.load(page, code);
      await target.join(page, code, "Early");
      await page.waitForFunction(() => globalThis.edgeplayJoinProbe?.welcomeAt != null);
    }
    await Promise.all(joining.map((p) => target.load(p, code)));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await Promise.all(joining.map((p, i) => target.join(p, code, `Player ${i + 1}`)));
    await Promise.all(pages.map((p) => waitForPairs(p, size - 1, OPEN_TIMEOUT_MS)));
    const told = await Promise.all(joining.map((p) => target.toldAt(p)));
    const timelines = await Promise.all(pages.map(readJoinTimeline));
    const start = Math.min(...told);
    const joiningTimelines = timelines.slice(early.length);
    const last = (pick: (t: JoinTimeline) => number | null): number =>
      Math.max(
        ...joiningTimelines.map((t) => {
          const at = pick(t);
          if (at === null) throw new Error("a joining page skipped a step");
          return at - start;
        }),
      );
    return {
      socketCreated: last((t) => t.socketCreatedAt),
      socketOpen: last((t) => t.socketOpenAt),
      welcome: last((t) => t.welcomeAt),
      welcomeHandled: last((t) => t.welcomeHandledAt),
      firstOffer: last((t) => t.firstOfferAt),
      allOpen: Math.max(...timelines.flatMap((t) => t.pairsOpenAt)) - start,
    };
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const [edge, bareObject, bare, browser] = await Promise.all([
  startLocalServer({ persistTo }),
  startLocalServer({
    persistTo: join(persistTo, "bare-do"),
    config: join(PROJECT_ROOT, "bench/bare-do/wrangler.toml"),
  }),
  startBareRelay(),
  launchChromium({ args: [...NO_BACKGROUNDING_ARGS] }),
]);
try {
  const floor = rawTarget(bare.url);
  const targets = [
    gameTarget("edgeplay (game page, Lobby on wrangler dev)", edge.url),
    gameTarget("game page, bare Durable Object on wrangler dev", bareObject.url),
    floor,
  ];
  const samples = new Map<string, Milestones[]>();
  const failures = new Map<string, number>();
  const key = (size: number, target: Target): string => `${size}\t${target.name}`;
  for (let run = 0; run < WARMUP + TRIALS; run++) {
    for (const size of SIZES) {
      // Alternate which target goes first, so neither always runs on a machine the other warmed.
      const order = run % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        try {
          const result = await trial(browser, target, size);
          if (run >= WARMUP)
            samples.set(key(size, target), [...(samples.get(key(size, target)) ?? []), result]);
        } catch (error) {
          failures.set(key(size, target), (failures.get(key(size, target)) ?? 0) + 1);
          process.stderr.write(`\n${size} pages, ${target.name}: ${String(error)}\n`);
        }
      }
    }
    process.stderr.write(`trial ${run + 1}/${WARMUP + TRIALS}\r`);
  }
  console.log(
    "\nTold to join -> each step, for the last joining page to reach it (ms; median / p90)\n",
  );
  console.log(
    `| pages | target | trials | failed | ${STEPS.map(([, label]) => label).join(" | ")} |`,
  );
  console.log(`|---:|---|---:|---:|${STEPS.map(() => "---:").join("|")}|`);
  for (const size of SIZES) {
    for (const target of targets) {
      const runs = samples.get(key(size, target)) ?? [];
      const cells = STEPS.map(([step]) => {
        const s = summarize(runs.map((r) => r[step]));
        return `${s.median.toFixed(0)} / ${s.p90.toFixed(0)}`;
      });
      console.log(
        `| ${size} | ${target.name} | ${runs.length} | ${failures.get(key(size, target)) ?? 0} | ${cells.join(" | ")} |`,
      );
    }
  }
  console.log("\nEach target / the floor, told to join -> all channels open\n");
  console.log("| pages | target | median | floor median | ratio | p90 | floor p90 | ratio |");
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|");
  for (const size of SIZES) {
    const open = (t: Target) => summarize((samples.get(key(size, t)) ?? []).map((r) => r.allOpen));
    const f = open(floor);
    for (const target of targets.filter((t) => t !== floor)) {
      const e = open(target);
      console.log(
        `| ${size} | ${target.name} | ${e.median.toFixed(0)} | ${f.median.toFixed(0)} | ${(e.median / f.median).toFixed(2)}x | ${e.p90.toFixed(0)} | ${f.p90.toFixed(0)} | ${(e.p90 / f.p90).toFixed(2)}x |`,
      );
    }
  }
  console.log(
    `\nMethod: ${TRIALS} trials per target and size after ${WARMUP} warm-up, interleaved (the order` +
      " alternates per trial), one headless Chromium, one context per page. 2 pages: A joins and has" +
      " `welcome`, then B loads and is told to join. 8 pages: all load, then all are told at once." +
      ` Pages are told ${SETTLE_MS} ms after loading. Times are from the first page told.`,
  );
} finally {
  await browser.close();
  await Promise.all([edge.stop(), bareObject.stop(), bare.stop()]);
  await rm(persistTo, { recursive: true, force: true });
}
