/**
 * Network tests' stage: the real worker (and optionally a real coturn) in the root network
 * namespace, one Chromium per player in a namespace of its own (scripts/netns.ts), nftables
 * rules in those namespaces for loss and blocked paths. Pages are the real game, read through
 * `edgeplay.snapshot()` with the helpers of ./harness.ts.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import * as v from "valibot";
import { expect } from "vitest";
import type { GameSnapshot, PeerSnapshot } from "../../game/debug.ts";
import { type Coturn, startCoturn } from "../../scripts/coturn.ts";
import { type LocalServer, PROJECT_ROOT, startLocalServer } from "../../scripts/local-server.ts";
import { checkNetworkSupport } from "../../scripts/net/capability.ts";
import {
  launchChromiumInNamespace,
  type NamespacedBrowser,
} from "../../scripts/net/chromium-in-netns.ts";
import { createTopology, type NetPlayer, type Topology } from "../../scripts/netns.ts";
import { CreatedLobbySchema } from "../../shared/api.ts";
import {
  bothChannelsOpen,
  type OpenPlayerOptions,
  openPlayer,
  SCREENSHOT_DIR,
  type Stage,
  screenshot,
  snapshot,
  waitForSnapshot,
} from "./harness.ts";

const support = await checkNetworkSupport();

/**
 * Whether a network suite should run. Where namespaces or nftables are missing, a developer's
 * run skips with a notice; CI runs the suite anyway, so `startNetworkStage` fails with the reason.
 */
export function networkSuiteRuns(suite: string): boolean {
  if (support.ok || process.env["CI"]) return true;
  console.warn(`SKIPPING network tests (${suite}): ${support.reason}`);
  return false;
}

export interface StagePlayer {
  readonly net: NetPlayer;
  readonly browser: NamespacedBrowser;
}

export interface NetworkStage {
  readonly topology: Topology;
  readonly server: LocalServer;
  readonly coturn: Coturn | null;
  readonly players: readonly StagePlayer[];
  stop(): Promise<void>;
}

export interface NetworkStageOptions {
  /** Start coturn on the host address and hand out TURN over this transport only. */
  readonly turn?: "udp" | "tcp";
  /** Extra flags for every player's Chromium (a fake microphone, say: see voice-wav.ts). */
  readonly chromiumArgs?: readonly string[];
  /**
   * Have Chromium treat the worker's origin as secure. The pages load from
   * `http://10.231.S.1:PORT`, which is not a secure context (only localhost and https are), and
   * browsers offer no microphone (`navigator.mediaDevices`) to insecure pages: voice needs this.
   */
  readonly secureOrigin?: boolean;
}

/** Everything started is stopped by `stop()`, also when starting fails half way. */
export async function startNetworkStage(options: NetworkStageOptions = {}): Promise<NetworkStage> {
  if (!support.ok) throw new Error(`network tests cannot run on this machine: ${support.reason}`);
  if (!existsSync(join(PROJECT_ROOT, "dist/game/index.html"))) {
    throw new Error("the game is not built: run `npm run build` first");
  }
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0)
      throw new Error(`stopping the stage: ${failures.map(String).join("; ")}`);
  };
  try {
    const topology = await createTopology({ players: 2 });
    cleanups.push(() => topology.destroy());
    const coturn = options.turn ? await startCoturn({ host: topology.hostAddress }) : null;
    if (coturn) cleanups.push(() => coturn.stop());
    const persistTo = await mkdtemp(join(tmpdir(), "edgeplay-net-"));
    cleanups.push(() => rm(persistTo, { recursive: true, force: true }));
    const turnUrl = options.turn === "udp" ? coturn?.udpUrl : coturn?.tcpUrl;
    const vars = coturn && turnUrl ? { TURN_URLS: turnUrl, TURN_SECRET: coturn.secret } : {};
    const server = await startLocalServer({ persistTo, vars, ip: topology.hostAddress });
    cleanups.push(() => server.stop());
    const players: StagePlayer[] = [];
    for (const net of topology.players) {
      const secure = options.secureOrigin
        ? [`--unsafely-treat-insecure-origin-as-secure=${server.url}`]
        : [];
      const browser = await launchChromiumInNamespace(net.namespace, {
        args: [...secure, ...(options.chromiumArgs ?? [])],
      });
      cleanups.push(() => browser.close());
      players.push({ net, browser });
    }
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    return { topology, server, coturn, players, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Creates a lobby over HTTP (from the root namespace) and returns its code. */
export async function createLobby(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  if (response.status !== 201) throw new Error(`creating a lobby: HTTP ${response.status}`);
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

export interface JoinedPlayer {
  readonly page: Page;
  readonly id: string;
  readonly net: NetPlayer;
}

export interface JoinOptions extends OpenPlayerOptions {
  /** More of the page address after `?lobby=CODE`, e.g. `&ice=relay` (game/dev-switches.ts). */
  readonly query?: string;
}

/** Both players open `/?lobby=CODE` in their own namespace's browser and get a peer id. */
export async function joinBoth(
  stage: NetworkStage,
  options: JoinOptions = {},
): Promise<readonly [JoinedPlayer, JoinedPlayer]> {
  const code = await createLobby(stage.server.url);
  const joined = await Promise.all(
    stage.players.map(async ({ net, browser }) => {
      // openPlayer only needs a browser and the server's URL.
      const playerStage: Stage = { server: stage.server, browser: browser.browser, stop: noop };
      const page = await openPlayer(playerStage, `/?lobby=${code}${options.query ?? ""}`, options);
      const welcomed = await waitForSnapshot(
        page,
        (s) => s.lobby === code && s.peerId !== null,
        `player ${net.index} welcomed into ${code}`,
      );
      return { page, id: welcomed.peerId ?? "", net };
    }),
  );
  const [first, second] = joined;
  if (!first || !second) throw new Error("expected two players");
  return [first, second];
}

async function noop(): Promise<void> {}

/** Waits until each page has both channels open to the other and state arriving from it. */
export async function waitForOpenChannels(
  players: readonly JoinedPlayer[],
  timeoutMs = 20_000,
): Promise<void> {
  await Promise.all(
    players.map((player) =>
      waitForSnapshot(
        player.page,
        (s) =>
          s.peers.length === 1 &&
          s.peers.every((peer) => bothChannelsOpen(peer) && peer.lastState !== null),
        `player ${player.net.index}'s channels open and state arriving`,
        timeoutMs,
      ),
    ),
  );
}

export function peerIn(snap: GameSnapshot, peerId: string): PeerSnapshot | undefined {
  return snap.peers.find((peer) => peer.id === peerId);
}

/**
 * Holds ArrowLeft and ArrowRight in turns (first towards the middle of the arena, so it never
 * stops at a wall) for about `durationMs`, then lets go.
 */
export async function moveBackAndForth(page: Page, durationMs: number): Promise<void> {
  const { x } = (await snapshot(page)).local;
  const keys = x > 480 ? ["ArrowLeft", "ArrowRight"] : ["ArrowRight", "ArrowLeft"];
  const legMs = 600;
  for (let leg = 0; leg * legMs < durationMs; leg++) {
    const key = keys[leg % 2] ?? "ArrowRight";
    await page.keyboard.down(key);
    await page.waitForTimeout(legMs);
    await page.keyboard.up(key);
  }
}

/** The local avatar once it has come to rest (it glides on for a moment after a key is let go). */
export async function restingPosition(page: Page): Promise<{ x: number; y: number }> {
  let last = (await snapshot(page)).local;
  for (;;) {
    await page.waitForTimeout(150);
    const now = (await snapshot(page)).local;
    if (now.x === last.x && now.y === last.y) return now;
    last = now;
  }
}

/** What a receiver saw of one sender at one moment. */
export interface RemoteSample {
  readonly at: number;
  readonly x: number | null;
  readonly seq: number | null;
  readonly received: number;
  readonly connectionState: string | null;
}

export async function sampleRemote(receiver: Page, senderId: string): Promise<RemoteSample> {
  const peer = peerIn(await snapshot(receiver), senderId);
  return {
    at: Date.now(),
    x: peer?.lastState?.x ?? null,
    seq: peer?.lastState?.seq ?? null,
    received: peer?.statePacketsReceived ?? 0,
    connectionState: peer?.connectionState ?? null,
  };
}

/** Samples every `everyMs` until `until` settles; returns the samples in order. */
export async function sampleRemoteWhile(
  receiver: Page,
  senderId: string,
  until: Promise<unknown>,
  everyMs = 200,
): Promise<RemoteSample[]> {
  let done = false;
  const finished = until.finally(() => {
    done = true;
  });
  const samples: RemoteSample[] = [];
  while (!done) {
    samples.push(await sampleRemote(receiver, senderId));
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, everyMs))]);
  }
  await finished;
  samples.push(await sampleRemote(receiver, senderId));
  return samples;
}

/** Share of consecutive samples between which the observed remote position changed. */
/**
 * Share of 200 ms samples in which a moving remote avatar must have moved. A frozen avatar
 * scores ~0; a healthy one ~1. Below 1 to leave room for a starved 2-core CI machine, where a
 * sample can land in a late timer or a slow frame.
 */
export const MIN_MOVING_SHARE = 0.7;

/**
 * Each player moves in turn while the other watches: the watcher must see the avatar move
 * (not freeze), receive a steady stream of state, and end where the mover stopped.
 * Returns, per mover, what the watcher's snapshot says about that peer afterwards.
 */
export async function expectMovementSeenBothWays(
  players: readonly [JoinedPlayer, JoinedPlayer],
): Promise<(PeerSnapshot | undefined)[]> {
  const [first, second] = players;
  const seen: (PeerSnapshot | undefined)[] = [];
  for (const [mover, watcher] of [
    [first, second],
    [second, first],
  ] as const) {
    const from = await sampleRemote(watcher.page, mover.id);
    const samples = await sampleRemoteWhile(
      watcher.page,
      mover.id,
      moveBackAndForth(mover.page, 2400),
    );
    expect(movingShare(samples)).toBeGreaterThanOrEqual(MIN_MOVING_SHARE);
    // A steady stream, nearly all of which arrived (these paths lose nothing): counted against
    // the sequence numbers the mover used meanwhile, so a starved machine cannot fail it.
    const last = samples.at(-1);
    const sent = (last?.seq ?? 0) - (from.seq ?? 0);
    expect(sent).toBeGreaterThan(10);
    expect((last?.received ?? 0) - from.received).toBeGreaterThanOrEqual(0.8 * sent);
    const moverAt = await restingPosition(mover.page);
    await waitForSnapshot(
      watcher.page,
      (s) => Math.abs((peerIn(s, mover.id)?.lastState?.x ?? Number.NaN) - moverAt.x) <= 1 / 16,
      `player ${watcher.net.index} to see where player ${mover.net.index} stopped`,
      5000,
    );
    seen.push(peerIn(await snapshot(watcher.page), mover.id));
  }
  return seen;
}

export function movingShare(samples: readonly RemoteSample[]): number {
  let moved = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]?.x !== samples[i - 1]?.x) moved++;
  }
  return samples.length > 1 ? moved / (samples.length - 1) : 0;
}

export interface Delivery {
  /** Sequence numbers the sender used between the two samples (the packets it sent). */
  readonly sent: number;
  readonly received: number;
  /** 1 - received / sent */
  readonly loss: number;
}

/**
 * Loss measured from the sender's own sequence numbers: the game sends one state packet per
 * tick with seq + 1, so the seq span between two samples is what was sent, and the growth of
 * `statePacketsReceived` is what arrived.
 */
export function deliveryBetween(first: RemoteSample, last: RemoteSample): Delivery {
  if (first.seq === null || last.seq === null) throw new Error("no state packet seen yet");
  const sent = last.seq - first.seq;
  const received = last.received - first.received;
  return { sent, received, loss: sent > 0 ? 1 - received / sent : Number.NaN };
}

/**
 * The path the game says our packets to a peer take: `direct`, `turn`, `relay` (the edge relay)
 * or `none`. The field is new (game/debug.ts `path`), so builds without it give null.
 */
export function reportedPath(peer: PeerSnapshot | undefined): string | null {
  if (peer === undefined || !("path" in peer)) return null;
  const path: unknown = peer.path;
  return typeof path === "string" ? path : null;
}

/**
 * Connected with both channels open on the direct path. `unreportedCounts`: a page that does
 * not report its path yet counts as direct.
 */
export function directAndOpen(peer: PeerSnapshot | undefined, unreportedCounts = false): boolean {
  if (peer === undefined || peer.connectionState !== "connected" || !bothChannelsOpen(peer)) {
    return false;
  }
  const path = reportedPath(peer);
  return path === "direct" || (unreportedCounts && path === null);
}

/**
 * Saves one screenshot per player, named after the scenario, with the game's network HUD
 * (path, RTT, loss per peer) shown when the build has one.
 */
export async function screenshotAll(
  scenario: string,
  players: readonly JoinedPlayer[],
): Promise<void> {
  for (const player of players) {
    await showNetworkHud(player.page);
    await screenshot(player.page, `network-${scenario}-player${player.net.index}`);
  }
}

/** The HUD toggles with H in the arena; `hudVisible` is a newer snapshot field. */
export async function showNetworkHud(page: Page): Promise<void> {
  const hudShown = (snap: GameSnapshot): boolean | null =>
    "hudVisible" in snap && typeof snap.hudVisible === "boolean" ? snap.hudVisible : null;
  if (hudShown(await snapshot(page)) !== false) return;
  await page.keyboard.press("h");
  await waitForSnapshot(page, (s) => hudShown(s) === true, "the network HUD", 2000);
}

declare global {
  /** Set by `observeIceSessions`: every local ICE username fragment the page has used. */
  var edgeplayTestIceUfrags: string[] | undefined;
}

/**
 * Makes the page record the local ICE ufrag of every description it sets. A new ufrag is a
 * new ICE session: an ICE restart (or a new connection), whichever way the game asked for it.
 * Observation only: the descriptions are passed on unchanged. Use as `beforeLoad`.
 */
export async function observeIceSessions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const ufrags: string[] = [];
    globalThis.edgeplayTestIceUfrags = ufrags;
    // The promise overload of the method; the old callback overload is never used.
    const original: (
      this: RTCPeerConnection,
      description?: RTCLocalSessionDescriptionInit,
    ) => Promise<void> = RTCPeerConnection.prototype.setLocalDescription;
    RTCPeerConnection.prototype.setLocalDescription = async function (
      this: RTCPeerConnection,
      description?: RTCLocalSessionDescriptionInit,
    ): Promise<void> {
      await original.call(this, description);
      const ufrag = /a=ice-ufrag:(\S+)/.exec(this.localDescription?.sdp ?? "")?.[1];
      if (ufrag !== undefined && !ufrags.includes(ufrag)) ufrags.push(ufrag);
    };
  });
}

/** How many ICE sessions the page has started so far (see `observeIceSessions`). */
export async function iceSessions(page: Page): Promise<number> {
  return page.evaluate(() => globalThis.edgeplayTestIceUfrags?.length ?? 0);
}
