/**
 * Benchmark: upstream bytes per second of each player with 2, 4 and 8 players in one lobby,
 * the game's wire format beside the very same packets written as JSON text (measured in the
 * same run from copies of what each page sent), plus what WebRTC's transport put on the wire.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { AVATAR_CODEC } from "../game/session/avatar-stream.ts";
import { launchChromium } from "../scripts/chromium.ts";
import { startLocalServer } from "../scripts/local-server.ts";
import { readStatePacket, type StatePacketRead } from "./kit-packets.ts";
import {
  closeAll,
  createLobby,
  median,
  moveUntil,
  NO_BACKGROUNDING_ARGS,
  openPlayers,
  type ProbeReading,
  readProbe,
  setCapture,
  snapshotOf,
  takeCaptured,
  waitForMesh,
} from "./page-probe.ts";

const SIZES = (process.env["BENCH_PLAYERS"] ?? "2,4,8").split(",").map(Number);
const WINDOW_S = Number(process.env["BENCH_WINDOW_S"] ?? 10);
const WARMUP_MS = 2000;

interface PageFigures {
  readonly mover: boolean;
  /** Median over the window of the per-second sum of `bytesPerSecondOut` over peers. */
  readonly snapshotBps: number;
  readonly snapshotPps: number;
  /** Bytes handed to RTCDataChannel.send (state + events), per second. */
  readonly payloadBps: number;
  readonly payloadPps: number;
  /** The same state-channel packets, decoded and written as JSON text, plus events as sent. */
  readonly jsonBps: number;
  /** `bytesSent` of the ICE transports (DTLS records: SCTP + data, and STUN), per second. */
  readonly wireBps: number;
  readonly wirePps: number;
}

function sumOf(record: Readonly<Record<string, number>>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

function jsonBytes(packets: readonly Uint8Array[]): number {
  const encoder = new TextEncoder();
  let total = 0;
  for (const bytes of packets) {
    const packet = readStatePacket(bytes);
    if (packet === null) throw new Error("captured a state-channel packet that does not read");
    total += encoder.encode(JSON.stringify(asJson(packet))).byteLength;
  }
  return total;
}

/** A packet as JSON would carry it: an avatar stream packet with its motion as numbers. */
function asJson(packet: StatePacketRead): object {
  if (packet.kind !== "stream") return packet;
  const { data, ...header } = packet;
  const motion = AVATAR_CODEC.decode(data);
  if (motion === null) throw new Error(`stream ${packet.stream}: not the arena's avatar motion`);
  return { ...header, ...motion };
}

async function perSecondSums(page: Page): Promise<{ bytes: number; packets: number }> {
  const snap = await snapshotOf(page);
  return {
    bytes: snap.peers.reduce((a, p) => a + p.bytesPerSecondOut, 0),
    packets: snap.peers.reduce((a, p) => a + p.packetsPerSecondOut, 0),
  };
}

async function measure(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  origin: string,
  players: number,
): Promise<PageFigures[]> {
  const code = await createLobby(origin);
  const opened = await openPlayers(browser, `${origin}/?lobby=${code}`, players);
  try {
    const pages = opened.map((o) => o.page);
    await waitForMesh(pages, players - 1);
    const mover = pages[0];
    if (!mover) throw new Error("no pages");
    const moving = moveUntil(mover, Date.now() + WARMUP_MS + WINDOW_S * 1000 + 1500);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    await Promise.all(pages.map((p) => setCapture(p, true)));
    const before = await Promise.all(pages.map(readProbe));
    const samples: { bytes: number; packets: number }[][] = pages.map(() => []);
    for (let s = 0; s < WINDOW_S; s++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sums = await Promise.all(pages.map(perSecondSums));
      for (const [i, sum] of sums.entries()) samples[i]?.push(sum);
    }
    const after = await Promise.all(pages.map(readProbe));
    await Promise.all(pages.map((p) => setCapture(p, false)));
    const captured = await Promise.all(pages.map(takeCaptured));
    await moving;
    return pages.map((_, i) => {
      const a: ProbeReading | undefined = before[i];
      const b: ProbeReading | undefined = after[i];
      const packets = captured[i] ?? [];
      if (!a || !b) throw new Error("missing probe reading");
      const seconds = (b.atMs - a.atMs) / 1000;
      const events = (b.sentBytes["events"] ?? 0) - (a.sentBytes["events"] ?? 0);
      const own = samples[i] ?? [];
      return {
        mover: i === 0,
        snapshotBps: median(own.map((x) => x.bytes)),
        snapshotPps: median(own.map((x) => x.packets)),
        payloadBps: (sumOf(b.sentBytes) - sumOf(a.sentBytes)) / seconds,
        payloadPps: (sumOf(b.sentPackets) - sumOf(a.sentPackets)) / seconds,
        jsonBps: (jsonBytes(packets) + events) / seconds,
        wireBps: (b.transportBytesSent - a.transportBytesSent) / seconds,
        wirePps: (b.transportPacketsSent - a.transportPacketsSent) / seconds,
      };
    });
  } finally {
    await closeAll(opened);
  }
}

const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-bench-"));
const [server, browser] = await Promise.all([
  startLocalServer({ persistTo }),
  launchChromium({ args: [...NO_BACKGROUNDING_ARGS] }),
]);
try {
  const rows: string[] = [];
  for (const players of SIZES) {
    process.stderr.write(`measuring ${players} players...\n`);
    const figures = await measure(browser, server.url, players);
    const groups: [string, PageFigures[]][] = [
      ["all pages", figures],
      ["the mover", figures.filter((f) => f.mover)],
    ];
    for (const [label, group] of groups) {
      const medianOf = (pick: (f: PageFigures) => number): number => median(group.map(pick));
      const payload = medianOf((f) => f.payloadBps);
      const json = medianOf((f) => f.jsonBps);
      const wire = medianOf((f) => f.wireBps);
      rows.push(
        `| ${players} | ${label} (${group.length}) | ${medianOf((f) => f.snapshotBps).toFixed(0)} | ${payload.toFixed(0)} | ${json.toFixed(0)} | ${(payload / json).toFixed(2)}x | ${wire.toFixed(0)} | ${(wire / payload).toFixed(2)}x | ${medianOf((f) => f.payloadPps).toFixed(0)} | ${medianOf((f) => f.wirePps).toFixed(0)} |`,
      );
    }
  }
  console.log("\nUpstream bytes per second of one player (medians over the pages of a run)\n");
  console.log(
    "| players | pages | edgeplay B/s (snapshot bytesPerSecondOut) | edgeplay B/s (data channel sends) | same packets as JSON B/s | edgeplay / JSON | wire B/s (getStats transport bytesSent) | wire / payload | packets/s sent | transport packets/s |",
  );
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  console.log(rows.join("\n"));
  console.log(
    `\nMethod: one headless Chromium (renderer backgrounding and timer throttling off), a new lobby per size on wrangler dev, one browser context per player; after the full mesh is up (every pair direct, both channels open, state arriving), page 1 holds ArrowLeft/ArrowRight in 600 ms turns, the others stand still. After ${WARMUP_MS} ms of movement, a ${WINDOW_S} s window: edgeplay.snapshot()'s bytesPerSecondOut summed over peers once a second (median of ${WINDOW_S}); bytes handed to RTCDataChannel.send counted by a probe wrapped around it before the game loads (observation only); the same state-channel packets (avatar stream, ping, pong) copied by that probe, read field by field (bench/kit-packets.ts, the avatar's motion with the arena's motionCodec) and JSON.stringify'd (quantized values, so the JSON baseline is a lower bound: raw float64 values are longer), events channel bytes counted as sent; and getStats() 'transport' bytesSent over the window (DTLS records carrying SCTP chunks and the data, plus STUN consent checks; UDP/IP headers (28 B per packet on IPv4) not included). Payload columns exclude all of SCTP/DTLS/UDP/IP.`,
  );
} finally {
  await browser.close();
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
