/**
 * Helpers for the benches that play with several real game pages: an observation-only probe
 * installed before the game loads (it records every RTCPeerConnection the page makes and counts
 * the bytes the page hands to each data channel, optionally keeping copies of them), joining N
 * pages into one lobby, waiting for the full mesh, and holding arrow keys on one page.
 */

import { CreatedLobbySchema } from "edgeplay/protocol";
import type { Browser, BrowserContext, Page } from "playwright-core";
import * as v from "valibot";
import type { GameSnapshot } from "../game/debug.ts";

/** Headless pages of one browser must not throttle each other's timers while others render. */
export const NO_BACKGROUNDING_ARGS = [
  "--disable-renderer-backgrounding",
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
] as const;

export interface BenchProbe {
  readonly connections: RTCPeerConnection[];
  /** Bytes and packets handed to `RTCDataChannel.send`, by channel label. */
  readonly sentBytes: Record<string, number>;
  readonly sentPackets: Record<string, number>;
  /** While true, copies of every packet sent on the `state` channel go to `captured`. */
  capture: boolean;
  readonly captured: number[][];
}

declare global {
  var edgeplayBenchProbe: BenchProbe | undefined;
}

/** Observation only: the game's connections and sends behave exactly as without it. */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: BenchProbe = {
      connections: [],
      sentBytes: {},
      sentPackets: {},
      capture: false,
      captured: [],
    };
    globalThis.edgeplayBenchProbe = probe;
    const Original = RTCPeerConnection;
    class Recorded extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        probe.connections.push(this);
      }
    }
    globalThis.RTCPeerConnection = Recorded;
    const originalSend = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (
      this: RTCDataChannel,
      data: string | Blob | ArrayBuffer | ArrayBufferView<ArrayBuffer>,
    ): void {
      Reflect.apply(originalSend, this, [data]);
      const size =
        typeof data === "string"
          ? new TextEncoder().encode(data).byteLength
          : data instanceof Blob
            ? data.size
            : data.byteLength;
      probe.sentBytes[this.label] = (probe.sentBytes[this.label] ?? 0) + size;
      probe.sentPackets[this.label] = (probe.sentPackets[this.label] ?? 0) + 1;
      if (probe.capture && this.label === "state" && ArrayBuffer.isView(data)) {
        probe.captured.push(
          Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
        );
      }
    };
  });
}

export interface ProbeReading {
  /** performance.now() on the page. */
  readonly atMs: number;
  readonly sentBytes: Readonly<Record<string, number>>;
  readonly sentPackets: Readonly<Record<string, number>>;
  /** Sum of `bytesSent` of the `transport` stats of every open RTCPeerConnection. */
  readonly transportBytesSent: number;
  readonly transportPacketsSent: number;
  /** Sum of `bytesSent` of each connection's nominated `candidate-pair`. */
  readonly pairBytesSent: number;
}

export async function readProbe(page: Page): Promise<ProbeReading> {
  return page.evaluate(async () => {
    const probe = globalThis.edgeplayBenchProbe;
    let transportBytesSent = 0;
    let transportPacketsSent = 0;
    let pairBytesSent = 0;
    const numberField = (value: object, key: string): number => {
      const field: unknown = Reflect.get(value, key);
      return typeof field === "number" ? field : 0;
    };
    for (const pc of probe?.connections ?? []) {
      if (pc.connectionState === "closed") continue;
      const report = await pc.getStats();
      report.forEach((entry: unknown) => {
        if (typeof entry !== "object" || entry === null) return;
        const type: unknown = Reflect.get(entry, "type");
        if (type === "transport") {
          transportBytesSent += numberField(entry, "bytesSent");
          transportPacketsSent += numberField(entry, "packetsSent");
        } else if (type === "candidate-pair" && Reflect.get(entry, "nominated") === true) {
          pairBytesSent += numberField(entry, "bytesSent");
        }
      });
    }
    return {
      atMs: performance.now(),
      sentBytes: { ...(probe?.sentBytes ?? {}) },
      sentPackets: { ...(probe?.sentPackets ?? {}) },
      transportBytesSent,
      transportPacketsSent,
      pairBytesSent,
    };
  });
}

export async function setCapture(page: Page, on: boolean): Promise<void> {
  await page.evaluate((capture) => {
    const probe = globalThis.edgeplayBenchProbe;
    if (probe) probe.capture = capture;
  }, on);
}

export async function takeCaptured(page: Page): Promise<Uint8Array[]> {
  const packets = await page.evaluate(() => {
    const probe = globalThis.edgeplayBenchProbe;
    return probe ? probe.captured.splice(0) : [];
  });
  return packets.map((bytes) => Uint8Array.from(bytes));
}

export async function snapshotOf(page: Page): Promise<GameSnapshot> {
  const snap = await page.evaluate(() => globalThis.edgeplay?.snapshot());
  if (snap === undefined) throw new Error("the page has no edgeplay.snapshot()");
  return snap;
}

export async function createLobby(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/lobbies`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ maxPlayers: 8 }),
  });
  if (response.status !== 201) throw new Error(`creating a lobby: HTTP ${response.status}`);
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Opens a lobby link and joins with the name its step offers (the arena asks for one first). */
export async function joinByLink(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.click("#join-step-submit");
}

/** One new context per page (they share nothing but the network); joins one after another. */
export async function openPlayers(
  browser: Browser,
  url: string,
  count: number,
  probe = true,
): Promise<OpenedPage[]> {
  const opened: OpenedPage[] = [];
  for (let i = 0; i < count; i++) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 640 } });
    const page = await context.newPage();
    if (probe) await installProbe(page);
    await joinByLink(page, url);
    await page.waitForFunction(() => globalThis.edgeplay?.snapshot().peerId != null, undefined, {
      timeout: 30_000,
    });
    opened.push({ context, page });
  }
  return opened;
}

/** Every page has `peers` peers, each with both channels open and state arriving. */
export async function waitForMesh(pages: readonly Page[], peers: number): Promise<void> {
  await Promise.all(
    pages.map((page) =>
      page.waitForFunction(
        (expected) => {
          const snap = globalThis.edgeplay?.snapshot();
          return (
            snap !== undefined &&
            snap.peers.length === expected &&
            snap.peers.every(
              (p) =>
                p.path === "direct" &&
                p.lastState !== null &&
                p.channels.every((c) => c.readyState === "open"),
            )
          );
        },
        peers,
        { polling: 200, timeout: 60_000 },
      ),
    ),
  );
}

/**
 * Holds ArrowLeft and ArrowRight in turns (first towards the middle) until `stopAt` (Date.now()),
 * legs of `legMs`, so the avatar keeps moving and never rests at a wall.
 */
export async function moveUntil(page: Page, stopAt: number, legMs = 600): Promise<void> {
  const { x } = (await snapshotOf(page)).local;
  const keys = x > 480 ? ["ArrowLeft", "ArrowRight"] : ["ArrowRight", "ArrowLeft"];
  for (let leg = 0; Date.now() < stopAt; leg++) {
    const key = keys[leg % 2] ?? "ArrowRight";
    await page.keyboard.down(key);
    await page.waitForTimeout(Math.min(legMs, Math.max(0, stopAt - Date.now())));
    await page.keyboard.up(key);
  }
}

export async function closeAll(opened: readonly OpenedPage[]): Promise<void> {
  await Promise.all(opened.map((o) => o.context.close().catch(() => undefined)));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] ?? Number.NaN) + (sorted[Math.ceil(mid)] ?? Number.NaN)) / 2;
}
