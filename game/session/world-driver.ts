/**
 * Runs the shared world (`WorldSession`) for one seat in one lobby: decodes `events` packets
 * into it, ticks it on a timer with our avatar and the others where we draw them, and sends
 * what it returns through the mesh. The session feeds it lobby news.
 */

import type { WorldSnapshot } from "../debug.ts";
import type { Mesh } from "../kit/mesh/mesh.ts";
import { clockLine } from "../scenes/scoreboard-text.ts";
import type { AvatarState } from "../sim/avatar.ts";
import { decodeEventPacket, type EventDropReason, encodeEvent } from "../world/events-wire.ts";
import type { Outgoing } from "../world/outgoing.ts";
import type { PlacedAvatar } from "../world/overlap.ts";
import { WorldSession, type WorldView } from "../world/world-session.ts";
import { EventsPathWatch } from "./events-path-watch.ts";
import { worldConfigFromSearch } from "./world-dev-config.ts";

/**
 * The world ticks on a timer of its own rather than with rendering: a host whose tab is in the
 * background gets no animation frames, yet must keep answering claims and respawning pickups.
 */
const WORLD_TICK_HZ = 30;
/** Read once at load: the page address changes to the lobby's link when we join one. */
const DEV_WORLD_CONFIG = worldConfigFromSearch(
  typeof location === "undefined" ? "" : location.search,
);

/** The part of the mesh the world uses. */
export type WorldMesh = Pick<Mesh, "links" | "link" | "broadcastEvent" | "sendEvent">;

/** Why the driver dropped something: an undecodable packet, or a failure of our own. */
type DropReason = EventDropReason | "failed";

export interface WorldAvatarSource {
  readonly state: AvatarState;
  readonly tick: number;
}

export class WorldDriver {
  readonly world = new WorldSession({ config: DEV_WORLD_CONFIG });
  readonly #selfId: string;
  readonly #player: WorldAvatarSource;
  readonly #mesh: WorldMesh;
  readonly #paths = new EventsPathWatch();
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #dropped = new Map<DropReason, number>();

  constructor(selfId: string, player: WorldAvatarSource, mesh: WorldMesh) {
    this.#selfId = selfId;
    this.#player = player;
    this.#mesh = mesh;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.tick(), 1000 / WORLD_TICK_HZ);
  }

  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /** From `welcome` and every `host-changed`; stale news is ignored by the world. */
  hostChanged(hostId: string, hostEpoch: number): void {
    this.#guarded(`host-changed to ${hostId}`, () => {
      this.world.onHostChanged(hostId, hostEpoch, this.#selfId, performance.now());
      // A new host's first world goes out now rather than at the next tick.
      this.#send(this.world.drain());
    });
  }

  peerLeft(peerId: string): void {
    this.#guarded(`peer-left of ${peerId}`, () => {
      this.world.onPeerLeft(peerId, performance.now());
      this.#send(this.world.drain());
    });
  }

  /**
   * An undecoded packet from the mesh. Junk and other versions are dropped and counted by
   * reason; the first drop of each kind is logged, so a peer on another build is easy to spot.
   */
  receive(from: string, packet: Uint8Array): void {
    const decoded = decodeEventPacket(packet);
    if (!decoded.ok) {
      this.#countDrop(decoded.reason, `events packet from ${from} dropped: ${decoded.detail}`);
      return;
    }
    this.#guarded(`events packet from ${from}`, () => {
      const now = performance.now();
      const rttMs = this.#mesh.link(from)?.snapshot(now).rttMs ?? null;
      this.world.onEvent(from, decoded.event, now, rttMs === null ? 0 : rttMs / 2);
      // Only what is ready (a claim re-sent to a new host): the packet's own work, no tick, so
      // a peer flooding us costs a decode and a queue check per packet.
      this.#send(this.world.drain());
    });
  }

  tick(): void {
    this.#guarded("world tick", () => this.#tick());
  }

  #tick(): void {
    const now = performance.now();
    const links = this.#mesh.links;
    const opened = this.#paths.update(
      links.map((link) => ({
        id: link.id,
        reachable: link.reachable(now),
        route: link.route(now),
      })),
    );
    for (const peerId of opened) this.world.onPeerConnected(peerId, now);
    const others: PlacedAvatar[] = links.flatMap((link) => {
      const sample = link.sample(now);
      return sample === null ? [] : [{ id: link.id, x: sample.x, y: sample.y }];
    });
    const { state, tick } = this.#player;
    this.#send(this.world.tick(now, { x: state.x, y: state.y, tick }, others));
  }

  view(nowMs: number): WorldView {
    return this.world.view(nowMs);
  }

  snapshot(): WorldSnapshot {
    const now = performance.now();
    const view = this.world.view(now);
    return {
      hostId: view.hostId,
      epoch: view.hostEpoch,
      version: view.version,
      pickups: (this.world.world?.pickups ?? []).map(({ id, x, y, active }) => ({
        id,
        x,
        y,
        active,
      })),
      scores: view.scores.map(({ peerId, score }) => ({ peerId, score })),
      round: view.round,
      roundRemainingMs: view.roundRemainingMs,
      roundOver: view.roundOver,
      nextRoundInMs: view.nextRoundInMs,
      clockLine: clockLine(view),
      droppedEvents: Object.fromEntries(this.#dropped),
      counts: { ...this.world.counts },
    };
  }

  /** A bug here must cost one packet or one tick, not the world's timer or the mesh's handler. */
  #guarded(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#countDrop("failed", `${what} failed: ${String(error)}`);
    }
  }

  #countDrop(reason: DropReason, message: string): void {
    const count = (this.#dropped.get(reason) ?? 0) + 1;
    this.#dropped.set(reason, count);
    if (count > 1) return;
    if (reason === "failed") console.error(message);
    else console.warn(message);
  }

  #send(outgoing: readonly Outgoing[]): void {
    for (const out of outgoing) {
      // One event the wire refuses (a bug) must not cost the others.
      this.#guarded(`sending ${out.event.type}`, () => {
        const packet = encodeEvent(out.event);
        // A lost events packet heals by itself (periodic snapshots, claims asked again), so a
        // refused send needs no retry queue.
        if (out.to === "all") this.#mesh.broadcastEvent(packet);
        else this.#mesh.sendEvent(out.peerId, packet);
      });
    }
  }
}
