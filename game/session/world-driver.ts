/**
 * Runs the shared world (`WorldSession`) for one seat in one lobby: decodes `events` packets
 * into it, ticks it on a timer with our avatar and the others where we draw them, and sends
 * what it returns through the mesh. The session feeds it lobby news.
 */
import { decodeEventPacket, type EventDropReason, encodeEvent } from "../../shared/wire/events.ts";
import type { WorldSnapshot } from "../debug.ts";
import type { Mesh } from "../net/mesh.ts";
import { clockLine } from "../scenes/scoreboard-text.ts";
import type { AvatarState } from "../sim/avatar.ts";
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
const DEV_WORLD_CONFIG = worldConfigFromSearch(location.search);

export interface WorldAvatarSource {
  readonly state: AvatarState;
  readonly tick: number;
}

export class WorldDriver {
  readonly world = new WorldSession({ config: DEV_WORLD_CONFIG });
  readonly #selfId: string;
  readonly #player: WorldAvatarSource;
  readonly #mesh: Mesh;
  readonly #paths = new EventsPathWatch();
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #dropped = new Map<EventDropReason | "failed", number>();

  constructor(selfId: string, player: WorldAvatarSource, mesh: Mesh) {
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
    this.world.onHostChanged(hostId, hostEpoch, this.#selfId, performance.now());
    this.#flush();
  }

  peerLeft(peerId: string): void {
    this.world.onPeerLeft(peerId, performance.now());
    this.#flush();
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
    const now = performance.now();
    const rttMs = this.#mesh.link(from)?.snapshot(now).rttMs ?? null;
    try {
      this.world.onEvent(from, decoded.event, now, rttMs === null ? 0 : rttMs / 2);
    } catch (error) {
      // A bug here must cost one packet, not the world's timer or the mesh's message handler.
      this.#countDrop("failed", `events packet from ${from} failed: ${String(error)}`);
      return;
    }
    this.#flush();
  }

  tick(): void {
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
    };
  }

  /**
   * Lobby news and packets can make the world want to send (a new host's snapshot, a claim
   * re-sent to it): a tick with no time passed hands that over now rather than next tick.
   */
  #flush(): void {
    this.tick();
  }

  #countDrop(reason: EventDropReason | "failed", message: string): void {
    const count = (this.#dropped.get(reason) ?? 0) + 1;
    this.#dropped.set(reason, count);
    if (count > 1) return;
    if (reason === "failed") console.error(message);
    else console.warn(message);
  }

  #send(outgoing: readonly Outgoing[]): void {
    for (const out of outgoing) {
      const packet = encodeEvent(out.event);
      // A lost events packet heals by itself (periodic snapshots, claims asked again), so a
      // refused send needs no retry queue.
      if (out.to === "all") this.#mesh.broadcastEvent(packet);
      else this.#mesh.sendEvent(out.peerId, packet);
    }
  }
}
