/**
 * Runs the shared world (`WorldSession`) for one seat in one lobby on the room: world events
 * travel as one action, the world ticks on the room's network tick with our avatar and the
 * others where the avatar stream puts them, and what it returns goes out as that action. The
 * session feeds it lobby news.
 */

import type { Action, Motion, Room, Stream } from "edgeplay/client";
import { DEFAULT_ROUNDS, type LobbyPhase } from "edgeplay/protocol";
import type { WorldSnapshot } from "../debug.ts";
import { clockLine } from "../scenes/scoreboard-text.ts";
import type { AvatarState } from "../sim/avatar.ts";
import { type GameEvent, GameEventSchema, type MatchStage } from "../world/events-wire.ts";
import type { Outgoing } from "../world/outgoing.ts";
import type { PlacedAvatar } from "../world/overlap.ts";
import { WorldSession, type WorldView } from "../world/world-session.ts";
import { EventsPathWatch } from "./events-path-watch.ts";
import { worldConfigFromSearch } from "./world-dev-config.ts";

/**
 * The world's action. Its name carries the format's version: a peer on a build whose events
 * differ sends another action, which this build drops and counts rather than misreads.
 */
export const WORLD_ACTION = "world/v5";

/** Told of each new match stage; `first` for the first world this seat sees. */
export type StageListener = (view: WorldView, first: boolean) => void;

/** Read once at load: the page address changes to the lobby's link when we join one. */
const DEV_WORLD_CONFIG = worldConfigFromSearch(
  typeof location === "undefined" ? "" : location.search,
);

/** The part of the room the world uses. */
export type WorldRoom = Pick<
  Room,
  "on" | "peers" | "reachable" | "stats" | "drops" | "phase" | "settings" | "setPhase"
>;

export type WorldAction = Action<GameEvent>;

export interface WorldAvatarSource {
  readonly state: AvatarState;
  readonly tick: number;
}

export class WorldDriver {
  readonly world = new WorldSession({ config: DEV_WORLD_CONFIG });
  readonly #selfId: string;
  readonly #player: WorldAvatarSource;
  readonly #room: WorldRoom;
  readonly #motion: Pick<Stream<Motion>, "sample">;
  readonly #action: WorldAction;
  readonly #paths = new EventsPathWatch();
  readonly #unsubscribe: readonly (() => void)[];
  readonly #onStage: StageListener;
  /** The match stage last reported (null: no world seen yet). */
  #stage: MatchStage | null = null;
  #failed = 0;
  /** The lobby phase we last asked the lobby for, and the phase it then had: asked once each. */
  #asked: { readonly phase: LobbyPhase; readonly from: LobbyPhase } | null = null;

  /** The room's world action, declared once per room (drivers come and go with seats). */
  static actionOn(room: Pick<Room, "action">): WorldAction {
    return room.action(WORLD_ACTION, GameEventSchema);
  }

  /**
   * Starts at once: the world ticks with the room's network tick (a timer, so a host in a
   * background tab keeps answering claims and respawning pickups).
   */
  constructor(
    selfId: string,
    player: WorldAvatarSource,
    room: WorldRoom,
    motion: Pick<Stream<Motion>, "sample">,
    action: WorldAction,
    onStage: StageListener = () => {},
  ) {
    this.#onStage = onStage;
    this.#selfId = selfId;
    this.#player = player;
    this.#room = room;
    this.#motion = motion;
    this.#action = action;
    this.#unsubscribe = [
      room.on("tick", (now) => this.#guarded(() => this.#tick(now))),
      action.on((event, from) => this.#guarded(() => this.#receive(event, from))),
    ];
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  /** From `welcome` and every `host-changed`; stale news is ignored by the world. */
  hostChanged(hostId: string, hostEpoch: number): void {
    this.#guarded(() => {
      this.world.onHostChanged(hostId, hostEpoch, this.#selfId, performance.now());
      // A new host's first world goes out now rather than at the next tick.
      this.#send(this.world.drain());
    });
  }

  peerLeft(peerId: string): void {
    this.#guarded(() => {
      this.world.onPeerLeft(peerId, performance.now());
      this.#send(this.world.drain());
    });
  }

  #receive(event: GameEvent, from: string): void {
    const now = performance.now();
    const rttMs = this.#room.stats(from)?.rttMs ?? null;
    this.world.onEvent(from, event, now, rttMs === null ? 0 : rttMs / 2);
    // Only what is ready (a claim re-sent to a new host): the packet's own work, no tick, so
    // a peer flooding us costs a decode and a queue check per packet.
    this.#send(this.world.drain());
  }

  /** The host's command: the running round ends now. False unless we are host. */
  endRound(): boolean {
    let done = false;
    this.#guarded(() => {
      done = this.world.endRound(performance.now());
      this.#send(this.world.drain());
    });
    return done;
  }

  /** The lobby's phase and rounds go to the world every tick: as host it follows them. */
  #followLobby(): void {
    const room = this.#room;
    this.world.onLobbyPhase(room.phase, room.settings?.rounds ?? DEFAULT_ROUNDS);
    const wanted = this.world.lobbyPhaseWanted;
    if (wanted === null) {
      this.#asked = null;
      return;
    }
    const asked = this.#asked;
    if (asked !== null && asked.phase === wanted && asked.from === room.phase) return;
    // Once per lobby phase: the lobby's answer (or its refusal) comes as news.
    this.#asked = { phase: wanted, from: room.phase };
    room.setPhase(wanted);
  }

  #tick(now: number): void {
    this.#followLobby();
    const peers = this.#room.peers;
    const opened = this.#paths.update(
      peers.map((id) => ({
        id,
        reachable: this.#room.reachable(id),
        // Direct and TURN are one connection: only a switch to or from the edge relay can lose
        // what was in flight.
        route: this.#room.stats(id)?.path === "edge" ? "edge" : "direct",
      })),
    );
    for (const peerId of opened) this.world.onPeerConnected(peerId, now);
    const others: PlacedAvatar[] = peers.flatMap((id) => {
      const sample = this.#motion.sample(id, now);
      return sample === null ? [] : [{ id, x: sample.x, y: sample.y }];
    });
    const { state, tick } = this.#player;
    this.#send(this.world.tick(now, { x: state.x, y: state.y, tick }, others));
    const stage = this.world.world?.match.stage ?? null;
    if (stage !== null && stage !== this.#stage) {
      const first = this.#stage === null;
      this.#stage = stage;
      this.#onStage(this.world.view(now), first);
    }
  }

  /** The match stage as this seat's world has it; null before the first world arrives. */
  get stage(): MatchStage | null {
    return this.#stage;
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
      pickups: (this.world.world?.pickups ?? []).map(({ id, x, y, value, active }) => ({
        id,
        x,
        y,
        value,
        active,
      })),
      scores: view.scores.map(({ peerId, score, total }) => ({ peerId, score, total })),
      stage: view.stage,
      round: view.round,
      rounds: view.rounds,
      stageRemainingMs: view.stageRemainingMs,
      scoring: view.scoring,
      clockLine: clockLine(view),
      droppedEvents: {
        ...this.#room.drops.reliable,
        ...(this.#failed > 0 ? { failed: this.#failed } : {}),
      },
      counts: { ...this.world.counts },
    };
  }

  /** A bug here must cost one packet or one tick, not the room's tick or the other listeners. */
  #guarded(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#failed++;
      // The first one is logged: later ones are most likely the same bug again.
      if (this.#failed === 1) console.error("edgeplay: the world failed", error);
    }
  }

  #send(outgoing: readonly Outgoing[]): void {
    for (const out of outgoing) {
      // One event the wire refuses (a bug) must not cost the others. A lost event heals by
      // itself (periodic snapshots, claims asked again), so a refused send needs no retry.
      this.#guarded(() => {
        this.#action.send(out.event, out.to === "all" ? {} : { to: out.peerId });
      });
    }
  }
}
