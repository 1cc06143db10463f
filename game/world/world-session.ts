/**
 * The shared world for one player in one lobby: the facade the game wires in. Feed it lobby
 * news, channel events and decoded `events` packets; call `tick` every frame and send what it
 * returns; draw `view`. It is host or replica as the lobby says, and carries the world across
 * a change of host. No timers, no clock reads, no I/O: time and randomness come in as inputs.
 */

import type { GameEvent, Pickup, Score } from "../../shared/wire/events.ts";
import { MAX_COUNTER } from "../../shared/wire/state-channel.ts";
import { AVATAR_RADIUS } from "../sim/arena.ts";
import type { Outgoing } from "./outgoing.ts";
import type { PlacedAvatar } from "./overlap.ts";
import { type Claim, ClaimLedger } from "./pickup-claims.ts";
import { TouchLog } from "./touch-log.ts";
import { type WorldConfig, worldConfig } from "./world-config.ts";
import { type ClaimDecision, WorldHost } from "./world-host.ts";
import { type Applied, type ReplicaCounts, WorldReplica } from "./world-replica.ts";
import {
  activePickups,
  isRoundOver,
  nextRoundInMs,
  roundRemainingMs,
  type WorldState,
} from "./world-state.ts";

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
  /** Highest first; ties by peer id so every screen lists them alike. */
  readonly scores: readonly Score[];
  /** Counts from 1; 0 until the host's first world has arrived. */
  readonly round: number;
  readonly roundRemainingMs: number;
  /** Scores are frozen and claims refused until the next round. */
  readonly roundOver: boolean;
  /** After the round's end, until the host starts the next one; null if none is due by itself. */
  readonly nextRoundInMs: number | null;
  /** Pickups we asked the host for and have no answer to yet. */
  readonly pendingClaims: readonly number[];
}

export class WorldSession {
  readonly #config: WorldConfig;
  readonly #random: () => number;
  readonly #replica = new WorldReplica();
  readonly #touches = new TouchLog();
  readonly #ledger: ClaimLedger;
  #selfId: string | null = null;
  #host: WorldHost | null = null;
  /** Our latest simulation tick: events we make as host carry it. */
  #simTick = 0;
  #out: Outgoing[] = [];

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
    if (this.#host !== null) {
      this.#host.peerConnected(peerId, nowMs);
      return;
    }
    const world = this.#replica.world;
    if (peerId === this.#replica.hostId && world !== null) {
      this.#sendClaims(this.#ledger.resendPending(world, nowMs), nowMs);
    }
  }

  /** The lobby's `peer-left` (not `peer-disconnected`: a dropped player keeps their seat). */
  onPeerLeft(peerId: string, nowMs: number): void {
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
        this.#host?.enqueueClaim(from, event, nowMs);
        return;
      case "claim-rejected":
        // Only the current host's answer counts; a deposed host's late refusal does not.
        if (
          this.#host === null &&
          from === this.#replica.hostId &&
          event.hostEpoch === this.#replica.hostEpoch
        ) {
          this.#ledger.rejected(event.pickupId);
        }
        return;
      case "world":
      case "pickup-claimed":
      case "pickup-spawned":
      case "score":
        this.#observe(this.#replica.receive(from, event, nowMs, oneWayDelayMs), nowMs);
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** The host's command for a new round now. False (and nothing happens) unless we are host. */
  startRound(nowMs: number): boolean {
    this.#host?.startRound(nowMs);
    return this.#host !== null;
  }

  /**
   * Once per frame (or simulation step), after moving our avatar. `others` are the other
   * avatars where this peer draws them. Returns the events to send now.
   */
  tick(nowMs: number, own: OwnAvatar, others: readonly PlacedAvatar[]): Outgoing[] {
    const tick = Number.isInteger(own.tick) ? Math.min(Math.max(own.tick, 0), MAX_COUNTER) : 0;
    this.#simTick = tick;
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
    if (this.#host !== null && selfId !== null) {
      for (const message of this.#host.tick(nowMs, this.#touches, tick)) {
        const toSelf = message.to === "peer" && message.peerId === selfId;
        if (message.to === "all" || toSelf) this.#observeOwn(message.event, selfId, nowMs);
        // The host's answers to our own claims are for us alone.
        if (!toSelf) this.#out.push(message);
      }
    }
    const out = this.#out;
    this.#out = [];
    return out;
  }

  view(nowMs: number): WorldView {
    const world = this.world;
    return {
      ready: world !== null,
      isHost: this.#host !== null,
      hostId: this.#replica.hostId,
      hostEpoch: this.#replica.hostEpoch,
      version: world?.stamp.version ?? 0,
      pickups: world === null ? [] : activePickups(world).map((pickup) => ({ ...pickup })),
      scores: world === null ? [] : rank(world),
      round: world?.round ?? 0,
      roundRemainingMs: world === null ? 0 : roundRemainingMs(world, nowMs),
      roundOver: world === null || isRoundOver(world, nowMs),
      nextRoundInMs: world === null ? null : nextRoundInMs(world, nowMs),
      pendingClaims: this.#ledger.pending,
    };
  }

  #becomeHost(selfId: string, epoch: number, nowMs: number): void {
    const world = this.#replica.world;
    const context = { selfId, epoch, config: this.#config, random: this.#random };
    const host =
      world === null
        ? WorldHost.startFresh(context, nowMs, this.#simTick)
        : WorldHost.continueFrom(world, context, nowMs, this.#simTick);
    this.#host = host;
    // Our own unanswered claims (to the old host) go to ourselves, as others' come to us.
    for (const claim of this.#ledger.world(host.world, true, nowMs)) {
      host.enqueueClaim(selfId, claim, nowMs);
    }
  }

  /** Updates from the host that changed our replica: answers to our claims, a new host's world. */
  #observe(applied: readonly Applied[], nowMs: number): void {
    const selfId = this.#selfId;
    const world = this.#replica.world;
    if (selfId === null || world === null) return;
    for (const { event, firstOfEpoch } of applied) {
      if (event.type === "pickup-claimed") {
        this.#ledger.claimed(event.pickupId, event.by, selfId, event.hostEpoch);
      } else if (event.type === "world") {
        this.#sendClaims(this.#ledger.world(world, firstOfEpoch, nowMs), nowMs);
      }
    }
  }

  /** As host, our own decisions answer our own claims the same way. */
  #observeOwn(event: GameEvent, selfId: string, nowMs: number): void {
    const world = this.#host?.world;
    if (event.type === "pickup-claimed") {
      this.#ledger.claimed(event.pickupId, event.by, selfId, event.hostEpoch);
    } else if (event.type === "claim-rejected") {
      this.#ledger.rejected(event.pickupId);
    } else if (event.type === "world" && world !== undefined) {
      this.#ledger.world(world, false, nowMs);
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

function rank(world: WorldState): Score[] {
  return world.scores
    .map(({ peerId, score }) => ({ peerId, score }))
    .sort((a, b) => b.score - a.score || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0));
}
