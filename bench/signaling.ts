/**
 * Benchmark: signaling round trip (p50/p99) and one-way relay throughput through the real
 * Lobby Durable Object (wrangler dev, workerd) beside a bare Node `ws` relay, in one run. The
 * clients speak the lobby protocol (`edgeplay/protocol`) on bare sockets: the kit's room paces
 * its signals under the lobby's frame limit, which would be measured instead of the relay.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROTOCOL_VERSION, parseServerMessage, type SignalData } from "edgeplay/protocol";
import { startLocalServer } from "../scripts/local-server.ts";
import { startBareRelay } from "./bare-relay.ts";
import { createLobby } from "./page-probe.ts";
import { quantile, summarize } from "./stats.ts";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const ROUND_TRIPS = 2000;
const WARMUP_TRIPS = 200;
const BLAST = 10_000;

/** A candidate-sized signal; `usernameFragment` carries the sequence number. */
function probe(seq: number) {
  return {
    kind: "candidate",
    candidate: "candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host",
    sdpMid: "0",
    sdpMLineIndex: 0,
    usernameFragment: String(seq),
  } as const;
}

/** One lobby member on a bare socket (Node's global WebSocket): it joins, signals, hears signals. */
class BenchClient {
  readonly peerId: string;
  /**
   * Rejects when the lobby refuses a frame (a limit dropped it) or closes the socket: a signal
   * that will never arrive must fail the bench, not leave it waiting.
   */
  readonly failed: Promise<never>;
  readonly #ws: WebSocket;
  #closing = false;
  onSignal: (from: string, data: SignalData) => void = () => {};

  private constructor(ws: WebSocket, peerId: string) {
    this.#ws = ws;
    this.peerId = peerId;
    let fail: (error: Error) => void = () => {};
    this.failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    // Only awaited in a race: a failure nobody waits for must not crash the process.
    this.failed.catch(() => {});
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      const parsed = parseServerMessage(event.data);
      if (!parsed.ok) return;
      if (parsed.message.type === "signal") this.onSignal(parsed.message.from, parsed.message.data);
      if (parsed.message.type === "error") {
        fail(
          new Error(
            `the lobby refused a frame: ${parsed.message.code} (${parsed.message.message})`,
          ),
        );
      }
    });
    ws.addEventListener("close", (event) => {
      if (!this.#closing)
        fail(new Error(`the lobby closed the socket: ${event.code} ${event.reason}`));
    });
  }

  static async join(origin: string, code: string, name: string): Promise<BenchClient> {
    const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/lobbies/${code}/ws`);
    const peerId = await new Promise<string>((resolve, reject) => {
      ws.addEventListener("open", () =>
        ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name })),
      );
      ws.addEventListener("error", () => reject(new Error("socket error")));
      ws.addEventListener("close", (event) =>
        reject(new Error(`closed ${event.code} ${event.reason}`)),
      );
      ws.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        const parsed = parseServerMessage(event.data);
        if (parsed.ok && parsed.message.type === "welcome") resolve(parsed.message.peerId);
      });
    });
    return new BenchClient(ws, peerId);
  }

  signal(to: string, data: SignalData): void {
    this.#ws.send(JSON.stringify({ type: "signal", to, data }));
  }

  close(): void {
    this.#closing = true;
    this.#ws.close(1000);
  }
}

async function pair(origin: string): Promise<[BenchClient, BenchClient]> {
  const code = await createLobby(origin);
  const a = await BenchClient.join(origin, code, "A");
  const b = await BenchClient.join(origin, code, "B");
  return [a, b];
}

/** A sends to B, B echoes to A: one sample per round trip, one at a time. */
async function roundTrips(origin: string): Promise<number[]> {
  const [a, b] = await pair(origin);
  b.onSignal = (from, data) => b.signal(from, data);
  const samples: number[] = [];
  for (let i = 0; i < WARMUP_TRIPS + ROUND_TRIPS; i++) {
    const start = performance.now();
    const echoed = new Promise<void>((resolve) => {
      a.onSignal = () => resolve();
    });
    a.signal(b.peerId, probe(i));
    await Promise.race([echoed, a.failed, b.failed]);
    if (i >= WARMUP_TRIPS) samples.push(performance.now() - start);
  }
  a.close();
  b.close();
  return samples;
}

/** A sends BLAST signals back to back; messages per second until B has them all. */
async function throughput(origin: string): Promise<number> {
  const [a, b] = await pair(origin);
  let received = 0;
  const start = performance.now();
  const done = new Promise<void>((resolve) => {
    b.onSignal = () => {
      received++;
      if (received === BLAST) resolve();
    };
  });
  for (let i = 0; i < BLAST; i++) a.signal(b.peerId, probe(i));
  await Promise.race([done, a.failed, b.failed]);
  const seconds = (performance.now() - start) / 1000;
  a.close();
  b.close();
  return BLAST / seconds;
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
// The socket's frame bucket (40 frames/s), the lobby's budget (800/s) and the pair's signal
// bytes (16 KiB/s) would cap a blast: lift them all to measure the relay itself.
const LIFTED = "100000000";
const noBudgets = {
  SOCKET_FRAME_BURST: LIFTED,
  SOCKET_FRAMES_PER_SECOND: LIFTED,
  LOBBY_FRAME_BURST: LIFTED,
  LOBBY_FRAMES_PER_SECOND: LIFTED,
  SIGNAL_BYTES_PER_PEER_BURST: LIFTED,
  SIGNAL_BYTES_PER_PEER_PER_SECOND: LIFTED,
};
const [edge, bare] = await Promise.all([
  startLocalServer({ persistTo, vars: noBudgets }),
  startBareRelay(),
]);
try {
  const targets = [
    {
      name: "edgeplay Lobby (wrangler dev, workerd)",
      url: edge.url,
      rtt: [] as number[],
      rates: [] as number[],
    },
    {
      name: "bare Node ws relay (floor)",
      url: bare.url,
      rtt: [] as number[],
      rates: [] as number[],
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      target.rtt.push(...(await roundTrips(target.url)));
      target.rates.push(await throughput(target.url));
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS}\r`);
  }
  console.log("\nSignaling through the lobby: round trip and relay throughput\n");
  console.log("| target | RTT p50 ms | RTT p99 ms | one-way msg/s (median of rounds) |");
  console.log("|---|---:|---:|---:|");
  for (const target of targets) {
    const sorted = [...target.rtt].sort((x, y) => x - y);
    const p50 = quantile(sorted, 0.5);
    const p99 = quantile(sorted, 0.99);
    console.log(
      `| ${target.name} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${summarize(target.rates).median.toFixed(0)} |`,
    );
  }
  const [edgeTarget, bareTarget] = targets;
  if (edgeTarget && bareTarget) {
    const ratio = (xs: number[], ys: number[], q: number) =>
      quantile(
        [...xs].sort((x, y) => x - y),
        q,
      ) /
      quantile(
        [...ys].sort((x, y) => x - y),
        q,
      );
    console.log(
      `\nedgeplay / floor: RTT p50 ${ratio(edgeTarget.rtt, bareTarget.rtt, 0.5).toFixed(2)}x, ` +
        `p99 ${ratio(edgeTarget.rtt, bareTarget.rtt, 0.99).toFixed(2)}x, throughput ` +
        `${(summarize(edgeTarget.rates).median / summarize(bareTarget.rates).median).toFixed(2)}x`,
    );
  }
  console.log(
    `\nMethod: ${ROUNDS} rounds, targets interleaved, one process. Each round per target: a new lobby with` +
      ` two Node 24 WebSocket clients; ${ROUND_TRIPS} sequential round trips (A -> lobby -> B, B echoes` +
      ` -> lobby -> A) after ${WARMUP_TRIPS} warm-up trips, pooled across rounds for p50/p99; then A sends` +
      ` ${BLAST} signals back to back and the rate is ${BLAST} / (time until B has all). Frames are` +
      " ~200-byte ICE-candidate signals. The Lobby validates every frame and stamps `from`; its frame and" +
      " signal budgets are lifted for this run (SOCKET_FRAME_*, LOBBY_FRAME_*, SIGNAL_BYTES_PER_PEER_*)," +
      " since at their defaults they, not the relay, would be measured. X_LOCAL_OBSERVABILITY=false.",
  );
} finally {
  await Promise.all([edge.stop(), bare.stop()]);
  await rm(persistTo, { recursive: true, force: true });
}
