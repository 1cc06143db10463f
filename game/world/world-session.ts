/**
 * The shared world for one player in one lobby: the facade the game wires in. Feed it lobby
 * news, channel events and decoded `events` packets; call `tick` every frame and send what it
 * returns; draw `view`. It is host or replica as the lobby says, and carries the world across
 * a change of host. No timers, no clock reads, no I/O: time and randomness come in as inputs.
 */

import { assertNever, DEFAULT_ROUNDS, type LobbyPhase } from "edgeplay/protocol";
import { AVATAR_RADIUS } from "../sim/arena.ts";
import {
  type GameEvent,
  type Grant,
  MAX_COUNTER,
  type MatchStage,
  type Pickup,
  type Score,
} from "./events-wire.ts";
import type { Outgoing } from "./outgoing.ts";
import type { PlacedAvatar } from "./overlap.ts";
import { type Claim, ClaimLedger } from "./pickup-claims.ts";
import { TouchLog } from "./touch-log.ts";
import { type WorldConfig, worldConfig } from "./world-config.ts";
import { type ClaimDecision, type HostCounts, WorldHost } from "./world-host.ts";
import { type Applied, type ReplicaCounts, WorldReplica } from "./world-replica.ts";
import { activePickups, isScoring, stageRemainingMs, type WorldState } from "./world-state.ts";

export interface WorldSessionOptions {
  readonly config?: Partial<WorldConfig>;
  /** Values in [0, 1) for pickup spots when we are host; seeded in tests. */
  readonly random?: () => number;
}

/** Our own avatar as simulated here: the predicted position, not what others see. */
export interface OwnAvatar {
  readonly x: number;
  readonly y: number;
  /** Our simulation tick; a claim carries the tick of its touch. */
  readonly tick: number;
}

/** Packets the session dropped because of who sent them or when, by reason. */
export interface SessionCounts {
  /** A `claim-pickup` or `handover-done` reached us while we are not host. */
  readonly claimsToNonHost: number;
  /** A `claim-rejected` from a peer the lobby does not name as host, or for another epoch. */
  readonly refusalsNotFromHost: number;
}

/** A pickup the host gave someone, as this peer learnt of it (for effects and sounds). */
export interface Award {
  readonly pickupId: number;
  readonly by: string;
  readonly x: number;
  readonly y: number;
  readonly value: number;
  /** When this peer learnt of it, on its own clock. */
  readonly atMs: number;
}

/** Awards kept for the view: more than can be taken in the time an effect shows. */
const KEPT_AWARDS = 16;

/** Everything the world counted: replica ordering, the host's input checks, our own drops. */
export type WorldCounts = ReplicaCounts & HostCounts & SessionCounts;

/** What the scene draws. */
export interface WorldView {
  /** False until the host's first world has arrived. */
  readonly ready: boolean;
  readonly isHost: boolean;
  readonly hostId: string | null;
  readonly hostEpoch: number;
  readonly version: number;
  /** Pickups to draw (active ones). */
  readonly pickups: readonly Pickup[];
  /**
   * This round's points, highest first, then the match's; ties by peer id so every screen lists
   * them alike.
   */
  readonly scores: readonly Score[];
  /** The match's points, highest first, then this round's; ties by peer id. */
  readonly standings: readonly Score[];
  /** `warmup` until the host's first world has arrived. */
  readonly stage: MatchStage;
  /** The round counted down to, played or just over, from 1; 0 in the warm-up. */
  readonly round: number;
  readonly rounds: number;
  /** Time left in a countdown, round or results (0 when due); null in the warm-up and podium. */
  readonly stageRemainingMs: number | null;
  /** A round is running here: claims are made and points count. */
  readonly scoring: boolean;
  /** Pickups we asked the host for and have no answer to yet. */
  readonly pendingClaims: readonly number[];
  /** The latest awards, oldest first (at most 16). */
  readonly awards: readonly Award[];
}

export class WorldSession {
  readonly #config: WorldConfig;
  readonly #random: () => number;
  readonly #replica = new WorldReplica();
  readonly #touches = new TouchLog();
  readonly #ledger: ClaimLedger;
  /** Peers whose `events` path has opened (and who have not left): a new host waits for them. */
  readonly #connected = new Set<string>();
  #selfId: string | null = null;
  #host: WorldHost | null = null;
  /** Our latest simulation tick: events we make as host carry it. */
  #simTick = 0;
  #out: Outgoing[] = [];
  #counts = { claimsToNonHost: 0, refusalsNotFromHost: 0 };
  /** The epoch of the host we last sent `handover-done`, to send it again on a new path. */
  #handedOverIn = 0;
  /** What the lobby says (null before its first word): as host, the match follows it. */
  #lobbyPhase: LobbyPhase | null = null;
  #rounds = DEFAULT_ROUNDS;
  #awards: Award[] = [];
  #lastTickMs = 0;
  /** The last host's counts, kept when we step down. */
  #hostCounts: HostCounts = {
    grantsTakenAsFresh: 0,
    duplicateClaims: 0,
    claimsOverCap: 0,
    unexpectedHandovers: 0,
  };

  constructor(options: WorldSessionOptions = {}) {
    this.#config = worldConfig(options.config);
    this.#random = options.random ?? Math.random;
    this.#ledger = new ClaimLedger(this.#config);
  }

  /** The tunables in use (the scene draws pickups with `pickupRadius`). */
  get config(): WorldConfig {
    return this.#config;
  }

  get isHost(): boolean {
    return this.#host !== null;
  }

  /** Our current world: the host's own, or our replica of it. */
  get world(): WorldState | null {
    return this.#host?.world ?? this.#replica.world;
  }

  /** The host's latest claim decisions (empty unless we are host). */
  get decisions(): readonly ClaimDecision[] {
    return this.#host?.decisions ?? [];
  }

  get replicaCounts(): ReplicaCounts {
    return this.#replica.counts;
  }

  get counts(): WorldCounts {
    return {
      ...this.#replica.counts,
      ...(this.#host?.counts ?? this.#hostCounts),
      ...this.#counts,
    };
  }

  /**
   * Lobby news: from `welcome` (its hostId, hostEpoch and peerId) and from every
   * `host-changed`. News not newer than what we know is ignored, so calling it again with the
   * same values is harmless.
   */
  onHostChanged(hostId: string, hostEpoch: number, selfId: string, nowMs: number): void {
    // A new peer id means a new seat (a rejoin after the old one expired): a new player.
    if (this.#selfId !== null && this.#selfId !== selfId) this.#ledger.clear();
    this.#selfId = selfId;
    if (!(hostEpoch > this.#replica.hostEpoch)) return;
    if (this.#host !== null) {
      // We were host and no longer are: what we had is the best world until the new host's.
      this.#replica.adopt(this.#host.world);
      this.#hostCounts = this.#host.counts;
      this.#host = null;
    }
    const applied = this.#replica.setHost(hostId, hostEpoch) ?? [];
    if (hostId === selfId) {
      this.#becomeHost(selfId, hostEpoch, nowMs);
    } else {
      this.#observe(applied, nowMs);
    }
  }

  /** The `events` channel to `peerId` opened (first time, or again after a renewal or relay). */
  onPeerConnected(peerId: string, nowMs: number): void {
    if (peerId !== this.#selfId) this.#connected.add(peerId);
    if (this.#host !== null) {
      this.#host.peerConnected(peerId, nowMs);
      return;
    }
    const world = this.#replica.world;
    if (peerId !== this.#replica.hostId || world === null) return;
    // What we sent on the old path may be lost: our open claims, and (if this host took over
    // and we have answered that already) our `handover-done` with its grants.
    const { hostEpoch } = this.#replica;
    const { claims, grants } = this.#ledger.handover(world, hostEpoch, nowMs);
    this.#sendClaims(claims, nowMs);
    if (this.#handedOverIn === hostEpoch) this.#sendHandoverDone(hostEpoch, grants);
  }

  /** The lobby's `peer-left` (not `peer-disconnected`: a dropped player keeps their seat). */
  onPeerLeft(peerId: string, nowMs: number): void {
    this.#connected.delete(peerId);
    this.#replica.peerLeft(peerId);
    this.#touches.forgetPeer(peerId);
    this.#host?.peerLeft(peerId, nowMs);
  }

  /**
   * A decoded `events` packet from `from` (the peer at the other end of the channel).
   * `oneWayDelayMs` is half the round trip to them, if known; it lines up the round clock.
   */
  onEvent(from: string, event: GameEvent, nowMs: number, oneWayDelayMs = 0): void {
    if (from === this.#selfId) return;
    switch (event.type) {
      case "claim-pickup":
        // Only the host decides. A claim that reaches us before we know we are host is
        // dropped: the claimant sends it again when our first world reaches it.
        if (this.#host === null) this.#counts.claimsToNonHost++;
        else this.#host.enqueueClaim(from, event, nowMs);
        return;
      case "handover-done":
        if (this.#host === null) this.#counts.claimsToNonHost++;
        else this.#host.handoverDone(from, event.hostEpoch, event.grants, nowMs);
        return;
      case "claim-rejected":
        // Only the current host's answer counts; a deposed host's late refusal does not.
        if (this.#host === null && this.#isCurrentHost(from, event.hostEpoch)) {
          this.#ledger.rejected(event.pickupId, event.reason);
        } else {
          this.#counts.refusalsNotFromHost++;
        }
        return;
      case "pickup-claimed":
        this.#noteGrantToUs(from, event);
        this.#observe(this.#replica.receive(from, event, nowMs, oneWayDelayMs), nowMs);
        return;
      case "world":
      case "pickup-spawned":
      case "score":
        this.#observe(this.#replica.receive(from, event, nowMs, oneWayDelayMs), nowMs);
        return;
      default:
        assertNever(event, "world event");
    }
  }

  /**
   * The current host's grant to us counts as soon as it arrives, even while the replica holds
   * it back for an earlier update that is still on its way: if that host dies before the gap
   * fills, the replica drops the held packets, but the grant was made and we hand it over.
   */
  #noteGrantToUs(from: string, event: Extract<GameEvent, { type: "pickup-claimed" }>): void {
    const selfId = this.#selfId;
    if (selfId === null || event.by !== selfId) return;
    if (!this.#isCurrentHost(from, event.hostEpoch)) return;
    this.#ledger.claimed(event.pickupId, event.by, selfId, event.hostEpoch);
  }

  /** The peer the lobby names host, speaking in the epoch the lobby gave it. */
  #isCurrentHost(from: string, hostEpoch: number): boolean {
    return from === this.#replica.hostId && hostEpoch === this.#replica.hostEpoch;
  }

  /**
   * The lobby's phase, and its rounds per match (from `welcome` and every phase change). As
   * host, the match follows it at the next tick: `waiting` is the warm-up, `playing` starts a
   * match from the warm-up, `finished` ends one on the podium.
   */
  onLobbyPhase(phase: LobbyPhase, rounds: number): void {
    this.#lobbyPhase = phase;
    this.#rounds = rounds;
  }

  /**
   * As host, the phase the lobby should be told: `finished` once the match has reached its
   * podium while the lobby still says `playing`. Null otherwise (and whenever we are not host).
   */
  get lobbyPhaseWanted(): LobbyPhase | null {
    const stage = this.#host?.world.match.stage;
    return stage === "podium" && this.#lobbyPhase === "playing" ? "finished" : null;
  }

  /** The host's command: the running round ends now. False (and nothing happens) unless host. */
  endRound(nowMs: number): boolean {
    this.#host?.endRound(nowMs);
    return this.#host !== null;
  }

  /** As host, brings the match in line with the lobby's phase. */
  #followLobby(host: WorldHost, nowMs: number): void {
    const { stage } = host.world.match;
    switch (this.#lobbyPhase) {
      case null:
        return;
      case "waiting":
        if (stage !== "warmup") host.warmUp(nowMs);
        return;
      case "playing":
        // From the podium it is the lobby that is behind: `lobbyPhaseWanted` says so.
        if (stage === "warmup") host.startMatch(this.#rounds, nowMs);
        return;
      case "finished":
        host.endMatch(nowMs);
        return;
      default:
        assertNever(this.#lobbyPhase, "lobby phase");
    }
  }

  /**
   * Once per frame (or simulation step), after moving our avatar. `others` are the other
   * avatars where this peer draws them. Returns the events to send now.
   */
  tick(nowMs: number, own: OwnAvatar, others: readonly PlacedAvatar[]): Outgoing[] {
    const tick = Number.isInteger(own.tick) ? Math.min(Math.max(own.tick, 0), MAX_COUNTER) : 0;
    this.#simTick = tick;
    this.#lastTickMs = nowMs;
    const selfId = this.#selfId;
    const world = this.world;
    if (world !== null && selfId !== null) {
      const avatars = [
        { id: selfId, x: own.x, y: own.y },
        ...others.filter((other) => other.id !== selfId),
      ];
      const reach = this.#config.pickupRadius + AVATAR_RADIUS + this.#config.touchSlack;
      this.#touches.record(world.pickups, avatars, reach);
      this.#sendClaims(this.#ledger.touches(world, { x: own.x, y: own.y, tick }, nowMs), nowMs);
    }
    if (this.#host !== null) {
      this.#followLobby(this.#host, nowMs);
      this.#route(this.#host.tick(nowMs, this.#touches, tick), nowMs);
    }
    return this.drain();
  }

  /**
   * What is ready to send now without a tick: answers to lobby news or to a packet just handled
   * (a claim re-sent to a new host, a snapshot for a player whose path opened). Cheap, so it
   * can run after every packet; claims are decided at the next `tick`.
   */
  drain(): Outgoing[] {
    // Awards are made at a tick, so what is left here is stamped with the last one's time.
    if (this.#host !== null) this.#route(this.#host.takeOutgoing(), this.#lastTickMs);
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /** The host's messages: what it says to everyone or to us also answers our own claims. */
  #route(messages: readonly Outgoing[], nowMs: number): void {
    const selfId = this.#selfId;
    for (const message of messages) {
      const toSelf = message.to === "peer" && message.peerId === selfId;
      if (selfId !== null && (message.to === "all" || toSelf)) {
        this.#observeOwn(message.event, selfId, nowMs);
      }
      // The host's answers to our own claims are for us alone.
      if (!toSelf) this.#out.push(message);
    }
  }

  view(nowMs: number): WorldView {
    const world = this.world;
    return {
      ready: world !== null,
      isHost: this.#host !== null,
      hostId: this.#replica.hostId,
      hostEpoch: this.#replica.hostEpoch,
      version: world?.stamp.version ?? 0,
      pickups:
        world === null
          ? []
          : activePickups(world).map(({ id, x, y, value, active }) => ({
              id,
              x,
              y,
              value,
              active,
            })),
      scores: world === null ? [] : rank(world, byRound),
      standings: world === null ? [] : rank(world, byMatch),
      stage: world?.match.stage ?? "warmup",
      round: world?.match.round ?? 0,
      rounds: world?.match.rounds ?? this.#rounds,
      stageRemainingMs: world === null ? null : stageRemainingMs(world, nowMs),
      scoring: world !== null && isScoring(world, nowMs),
      pendingClaims: this.#ledger.pending,
      awards: this.#awards,
    };
  }

  #becomeHost(selfId: string, epoch: number, nowMs: number): void {
    const world = this.#replica.world;
    const context = { selfId, epoch, config: this.#config, random: this.#random };
    // Anyone who may hold a grant we never heard of: every player with a score line (the old
    // host gave them one) and everyone whose path to us is open.
    const handoverFrom = new Set([
      ...this.#connected,
      ...(world?.scores.map((line) => line.peerId) ?? []),
    ]);
    const host =
      world === null
        ? WorldHost.startFresh(context, nowMs, this.#simTick)
        : WorldHost.continueFrom(world, context, nowMs, this.#simTick, handoverFrom);
    this.#host = host;
    // Our own unanswered claims (to the old host) and grants go to ourselves, as others' come.
    const { claims, grants } = this.#ledger.handover(host.world, epoch, nowMs);
    host.handoverDone(selfId, epoch, grants, nowMs);
    for (const claim of claims) host.enqueueClaim(selfId, claim, nowMs);
  }

  /**
   * Updates from the host that changed our replica, in order, each with our copy right after
   * it: answers to our claims, and a new host's first world, on which we hand over to it.
   */
  #observe(applied: readonly Applied[], nowMs: number): void {
    const selfId = this.#selfId;
    if (selfId === null) return;
    for (const { event, firstOfEpoch, tookOver, world } of applied) {
      if (event.type === "pickup-claimed") {
        this.#ledger.claimed(event.pickupId, event.by, selfId, event.hostEpoch);
        this.#noteAward(world, event.pickupId, event.by, nowMs);
      } else if (!firstOfEpoch) {
        this.#ledger.world(world, selfId);
      } else {
        const { claims, grants } = this.#ledger.handover(world, event.hostEpoch, nowMs);
        // Our grants first: the new host holds fresh claims until it has everyone's.
        if (tookOver) this.#sendHandoverDone(event.hostEpoch, grants);
        this.#sendClaims(claims, nowMs);
      }
    }
  }

  #sendHandoverDone(hostEpoch: number, grants: Grant[]): void {
    const hostId = this.#replica.hostId;
    if (hostId === null || this.#host !== null) return;
    this.#handedOverIn = hostEpoch;
    const event: GameEvent = { type: "handover-done", hostEpoch, grants };
    this.#out.push({ to: "peer", peerId: hostId, event });
  }

  #noteAward(world: WorldState, pickupId: number, by: string, nowMs: number): void {
    const pickup = world.pickups.find((candidate) => candidate.id === pickupId);
    if (pickup === undefined) return;
    const { x, y, value } = pickup;
    this.#awards = [...this.#awards, { pickupId, by, x, y, value, atMs: nowMs }].slice(
      -KEPT_AWARDS,
    );
  }

  /** As host, our own decisions answer our own claims the same way. */
  #observeOwn(event: GameEvent, selfId: string, nowMs: number): void {
    const world = this.#host?.world;
    if (event.type === "pickup-claimed") {
      this.#ledger.claimed(event.pickupId, event.by, selfId, event.hostEpoch);
      if (world !== undefined) this.#noteAward(world, event.pickupId, event.by, nowMs);
    } else if (event.type === "claim-rejected") {
      this.#ledger.rejected(event.pickupId, event.reason);
    } else if (event.type === "world" && world !== undefined) {
      this.#ledger.world(world, selfId);
    }
  }

  #sendClaims(claims: readonly Claim[], nowMs: number): void {
    const selfId = this.#selfId;
    const hostId = this.#replica.hostId;
    if (selfId === null || hostId === null) return;
    for (const claim of claims) {
      if (this.#host !== null) {
        this.#host.enqueueClaim(selfId, claim, nowMs);
      } else {
        this.#out.push({ to: "peer", peerId: hostId, event: { type: "claim-pickup", ...claim } });
      }
    }
  }
}

function rank(world: WorldState, order: (a: Score, b: Score) => number): Score[] {
  return world.scores
    .map(({ peerId, score, total }) => ({ peerId, score, total }))
    .sort((a, b) => order(a, b) || byCodeUnits(a.peerId, b.peerId));
}

function byRound(a: Score, b: Score): number {
  return b.score - a.score || b.total - a.total;
}

function byMatch(a: Score, b: Score): number {
  return b.total - a.total || b.score - a.score;
}

/** Code-unit order, the same on every peer whatever its locale. */
function byCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
