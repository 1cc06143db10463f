/**
 * Benchmark: N lobbies × 4 kit clients sending game-like traffic for a while, through the real
 * Lobby (wrangler dev, workerd), a bare Durable Object relay (its own wrangler dev: the runtime's
 * floor) and the bare Node relay (its own process), in the same run, interleaved. Per point: delivered/sent, shed (error frames), lost (neither), one-way p50/p99,
 * server CPU per relayed message (workerd and the wrangler proxy apart), RSS per socket; then
 * the knee (largest N with p99 < 100 ms), and one lobby of 8 clients at 30 Hz.
 *
 *   BENCH_SECONDS   seconds per point (60)
 *   BENCH_LOBBIES   comma-separated N values (25,50,100,150,200)
 *   BENCH_HZ        probes per client per second (5)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalServer, PROJECT_ROOT, startLocalServer } from "../scripts/local-server.ts";
import { startBareRelayProcess } from "./bare-relay-process.ts";
import { type LoadCounters, type LoadLobby, newCounters, openLoadLobby } from "./load-lobby.ts";
import { cpuSeconds, groupProcesses, rssKiB } from "./proc-meter.ts";
import { quantile } from "./stats.ts";

const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 60);
const LOBBY_COUNTS = (process.env["BENCH_LOBBIES"] ?? "25,50,100,150,200")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const HZ = Number(process.env["BENCH_HZ"] ?? 5);
const PLAYERS = 4;
const KNEE_P99_MS = 100;
/** After the senders stop: time for what is queued to arrive (or be shed). */
const DRAIN_MS = 3000;

interface Target {
  readonly name: string;
  readonly url: string;
  /** The processes doing the relaying, metered apart. */
  readonly meters: readonly { readonly label: string; readonly pid: number }[];
}

interface Point {
  readonly target: string;
  readonly lobbies: number;
  readonly players: number;
  readonly hz: number;
  /** As they stood once the senders stopped and what was queued had drained. */
  readonly counters: LoadCounters;
  /**
   * Probes not delivered beyond the shed errors received (which answer any relay frame, the
   * kit's clock-sync pings too, so this is a lower bound): lost without a word.
   */
  readonly lost: number;
  readonly relayed: number;
  /** CPU µs per relayed frame, by meter label. */
  readonly cpuPerMessage: ReadonlyMap<string, number>;
  readonly rssPerSocketKiB: number;
}

let addressSeq = 0;
/** A fresh client address per lobby: per-address limits then see players, not the bench. */
function nextAddress(): string {
  const n = addressSeq++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

async function runPoint(
  target: Target,
  lobbies: number,
  players: number,
  hz: number,
): Promise<Point> {
  const counters = newCounters();
  const rssBefore = target.meters.reduce((sum, m) => sum + rssKiB(m.pid), 0);
  const opened: LoadLobby[] = [];
  for (let i = 0; i < lobbies; i++) {
    opened.push(await openLoadLobby(target.url, nextAddress(), players, counters));
  }
  const rssAfter = target.meters.reduce((sum, m) => sum + rssKiB(m.pid), 0);
  const relayedBefore = counters.relayIn;
  const cpuBefore = target.meters.map((m) => cpuSeconds(m.pid));
  for (const lobby of opened) lobby.start(hz);
  await sleep(SECONDS * 1000);
  for (const lobby of opened) lobby.stop();
  await sleep(DRAIN_MS);
  const cpuAfter = target.meters.map((m) => cpuSeconds(m.pid));
  const relayed = counters.relayIn - relayedBefore;
  // Counted before anyone leaves: frames in flight to a peer that has left are lost by design.
  const settled = { ...counters, latencies: [...counters.latencies] };
  const lost = Math.max(0, counters.sent - counters.delivered - counters.shed);
  const cpuPerMessage = new Map(
    target.meters.map((m, i) => [
      m.label,
      (((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) * 1e6) / Math.max(1, relayed),
    ]),
  );
  for (const lobby of opened) lobby.leave();
  await sleep(1000);
  return {
    target: target.name,
    lobbies,
    players,
    hz,
    counters: settled,
    lost,
    relayed,
    cpuPerMessage,
    rssPerSocketKiB: (rssAfter - rssBefore) / (lobbies * players),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function p(sorted: readonly number[], q: number): string {
  return sorted.length === 0 ? "-" : quantile(sorted, q).toFixed(1);
}

function row(point: Point): string {
  const c = point.counters;
  const sorted = [...c.latencies].sort((a, b) => a - b);
  const cpu = [...point.cpuPerMessage.entries()]
    .map(([label, us]) => `${label} ${us.toFixed(0)}`)
    .join(", ");
  const errors = [...c.errors.entries()].map(([code, n]) => `${code} ${n}`).join(", ");
  return (
    `| ${point.target} | ${point.lobbies} × ${point.players} @ ${point.hz} Hz | ${c.sent} | ` +
    `${((c.delivered / Math.max(1, c.sent)) * 100).toFixed(2)}% | ${c.refused} | ${c.shed} | ` +
    `${point.lost} | ${p(sorted, 0.5)} | ${p(sorted, 0.99)} | ${cpu} | ` +
    `${point.rssPerSocketKiB.toFixed(0)} | ${errors || "-"} |`
  );
}

const HEADER =
  "| target | lobbies × players @ rate | probes sent | delivered/sent | refused by kit | shed (error frames) | probes lost silently | one-way p50 ms | p99 ms | server CPU µs per relayed frame | RSS per socket KiB | other errors |\n" +
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|";

/** wrangler dev runs two workerd: the worker's own (with the inspector) and a proxy in front. */
function workerdMeters(server: LocalServer): Target["meters"] {
  const group = server.groupId === undefined ? [] : groupProcesses(server.groupId);
  const workerds = group.filter((proc) => /\/workerd serve /.test(proc.args));
  const workerd = workerds.find((proc) => proc.args.includes("--inspector-addr"));
  const proxy = workerds.find((proc) => proc !== workerd);
  if (!workerd || !proxy) throw new Error(`no workerd pair in ${JSON.stringify(group)}`);
  return [
    { label: "workerd", pid: workerd.pid },
    { label: "proxy", pid: proxy.pid },
  ];
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-load-"));
const [edge, bareObject, bare] = await Promise.all([
  startLocalServer({ persistTo }),
  startLocalServer({
    persistTo: join(persistTo, "bare-do"),
    config: join(PROJECT_ROOT, "bench/bare-do/wrangler.toml"),
  }),
  startBareRelayProcess(),
]);
try {
  const targets: Target[] = [
    { name: "edgeplay Lobby (wrangler dev)", url: edge.url, meters: workerdMeters(edge) },
    {
      name: "bare Durable Object (wrangler dev)",
      url: bareObject.url,
      meters: workerdMeters(bareObject),
    },
    { name: "bare Node ws relay", url: bare.url, meters: [{ label: "relay", pid: bare.pid }] },
  ];
  const points: Point[] = [];
  for (const lobbies of LOBBY_COUNTS) {
    for (const target of targets) {
      const point = await runPoint(target, lobbies, PLAYERS, HZ);
      points.push(point);
      process.stderr.write(`${row(point)}\n`);
    }
  }
  const game: Point[] = [];
  for (const target of targets) {
    const point = await runPoint(target, 1, 8, 30);
    game.push(point);
    process.stderr.write(`${row(point)}\n`);
  }
  console.log(`\nLoad: N lobbies × ${PLAYERS} kit clients, ${HZ} probes/s each, ${SECONDS} s\n`);
  console.log(HEADER);
  for (const point of points) console.log(row(point));
  console.log("\nKnee (largest N with p99 < 100 ms):");
  for (const target of targets) {
    const under = points.filter(
      (pt) =>
        pt.target === target.name &&
        quantile(
          [...pt.counters.latencies].sort((a, b) => a - b),
          0.99,
        ) < KNEE_P99_MS,
    );
    const knee = Math.max(0, ...under.map((pt) => pt.lobbies));
    console.log(`- ${target.name}: ${knee === 0 ? "none measured" : `N = ${knee}`}`);
  }
  console.log("\nOne lobby, 8 kit clients × 30 Hz over the edge relay\n");
  console.log(HEADER);
  for (const point of game) console.log(row(point));
} finally {
  await Promise.all([edge.stop(), bareObject.stop(), bare.stop()]);
  await rm(persistTo, { recursive: true, force: true });
}
