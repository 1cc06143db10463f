/**
 * The host's side of the shared world: decides claims, respawns pickups, runs the round clock
 * and says what to send. Pure apart from its own fields: time comes in as `nowMs`, randomness
 * through the `random` it was given, and messages go out as return values.
 */
import type { ClaimRejection, Grant } from "./events-wire.ts";
import type { Outgoing } from "./outgoing.ts";
import { PickupSpawner } from "./pickup-spawner.ts";
import type { TouchLog } from "./touch-log.ts";
import type { WorldConfig } from "./world-config.ts";
import {
  applyChange,
  type ChangeEvent,
  canAddScore,
  findPickup,
  type HostHeader,
  hasScore,
  isRoundOver,
  saturatingNext,
  scoreOf,
  snapshotOf,
  type WorldEvent,
  type WorldPickup,
  type WorldState,
  withoutPeer,
} from "./world-state.ts";

export interface HostContext {
  readonly selfId: string;
  /** The lobby's host epoch that made us host. */
  readonly epoch: number;
  readonly config: WorldConfig;
  /** Values in [0, 1) for pickup spots. */
  readonly random: () => number;
}

/** Why a claim was or was not granted; kept for the debug view and tests. */
export type ClaimOutcome = "awarded" | ClaimRejection;

export interface ClaimDecision {
  readonly pickupId: number;
  readonly by: string;
  readonly outcome: ClaimOutcome;
  readonly atMs: number;
}

/** A claim as the host received it. */
export interface ClaimRequest {
  readonly pickupId: number;
}

interface QueuedClaim extends ClaimRequest {
  readonly from: string;
  readonly receivedAtMs: number;
  /** A grant an earlier host made, handed over to us in time: decided before fresh claims. */
  readonly regrant: boolean;
}

/** Input the host dropped or did not take at its word, by reason (for the debug view). */
export interface HostCounts {
  /**
   * A grant handed over outside the handover, for a pickup we did not inherit, or naming an
   * epoch outside the one we inherited from up to ours: decided as a fresh claim.
   */
  readonly grantsTakenAsFresh: number;
  /** A claim of a pickup the same player already has queued. */
  readonly duplicateClaims: number;
  /** A claim over a player's queue cap. */
  readonly claimsOverCap: number;
  /** `handover-done` from a player we were not waiting for, or for another epoch. */
  readonly unexpectedHandovers: number;
}

const KEPT_DECISIONS = 64;
/**
 * Claims queued per player. A player has at most one per pickup, and only pickups on the field
 * (`pickupCount`, 5 by default) can wait; the cap bounds what a misbehaving peer can pile up.
 */
const MAX_QUEUED_PER_PEER = 16;

export class WorldHost {
  readonly #ctx: HostContext;
  readonly #spawner: PickupSpawner;
  /** When each waiting (claimed) pickup may be replaced by a new one. */
  readonly #respawnAtMs = new Map<number, number>();
  readonly #decisions: ClaimDecision[] = [];
  /** Pickups we took over from the previous host, whose grants we may never have heard of. */
  readonly #inherited = new Set<number>();
  /** The epoch of the world we continued from; null for a first host. */
  readonly #inheritedEpoch: number | null;
  /** Players who have not yet said `handover-done` to us; fresh claims of inherited pickups wait. */
  readonly #awaitingHandover = new Set<string>();
  /** The handover ends by then even if some player never answers (a broken path). */
  #handoverUntilMs = 0;
  #counts = { grantsTakenAsFresh: 0, duplicateClaims: 0, claimsOverCap: 0, unexpectedHandovers: 0 };
  #world: WorldState;
  #claims: QueuedClaim[] = [];
  #endAnnounced: boolean;
  #lastSnapshotAtMs: number;
  /** Our simulation tick, which every event we make carries. */
  #simTick: number;
  #out: Outgoing[] = [];

  private constructor(
    world: WorldState,
    ctx: HostContext,
    nowMs: number,
    simTick: number,
    inheritedEpoch: number | null,
  ) {
    this.#ctx = ctx;
    this.#inheritedEpoch = inheritedEpoch;
    this.#spawner = new PickupSpawner(ctx.epoch, ctx.config, ctx.random);
    this.#world = world;
    this.#endAnnounced = isRoundOver(world, nowMs);
    this.#lastSnapshotAtMs = nowMs;
    this.#simTick = simTick;
  }

  /** The first host of a lobby (or one with no world to go on): round 1 starts now. */
  static startFresh(ctx: HostContext, nowMs: number, simTick = 0): WorldHost {
    const empty: WorldState = {
      stamp: { epoch: ctx.epoch, version: 0 },
      pickups: [],
      scores: [],
      round: 0,
      roundEndsAtMs: nowMs,
      nextRoundAtMs: null,
    };
    const host = new WorldHost(empty, ctx, nowMs, simTick, null);
    host.startRound(nowMs);
    return host;
  }

  /**
   * A new host carrying on from the last world it received as a replica: same pickup ids and
   * claimed flags, same scores, same round and round end, and the same start for the next
   * round if the intermission runs. Its stamp moves to its own epoch, so every replica
   * prefers it to anything the old host still has in flight. `handoverFrom`: the players who
   * may hold grants we never heard of; fresh claims of inherited pickups wait for their
   * `handover-done` (or `handoverWaitMs`).
   */
  static continueFrom(
    world: WorldState,
    ctx: HostContext,
    nowMs: number,
    simTick = 0,
    handoverFrom: Iterable<string> = [],
  ): WorldHost {
    const restamped: WorldState = {
      ...world,
      stamp: { epoch: ctx.epoch, version: saturatingNext(world.stamp.version) },
    };
    const host = new WorldHost(restamped, ctx, nowMs, simTick, world.stamp.epoch);
    for (const peerId of handoverFrom) {
      if (peerId !== ctx.selfId) host.#awaitingHandover.add(peerId);
    }
    host.#adopt(nowMs);
    return host;
  }

  get world(): WorldState {
    return this.#world;
  }

  get epoch(): number {
    return this.#ctx.epoch;
  }

  /** The latest decisions, oldest first. */
  get decisions(): readonly ClaimDecision[] {
    return this.#decisions;
  }

  get counts(): HostCounts {
    return { ...this.#counts };
  }

  /**
   * A claim from a player (or from ourselves); decided at a later `tick`. One per player and
   * pickup is kept (a repeat adds nothing), and at most `MAX_QUEUED_PER_PEER` per player.
   */
  enqueueClaim(from: string, claim: ClaimRequest, nowMs: number): void {
    this.#enqueue({ from, pickupId: claim.pickupId, receivedAtMs: nowMs, regrant: false });
  }

  /**
   * A player's `handover-done` (or our own, at promotion): grants earlier hosts gave it that
   * our world shows open, and its word that it has nothing more. Trusted grants are decided
   * before fresh claims; the others like fresh claims.
   */
  handoverDone(from: string, hostEpoch: number, grants: readonly Grant[], nowMs: number): void {
    if (hostEpoch !== this.#ctx.epoch) {
      this.#counts.unexpectedHandovers++;
      return;
    }
    for (const grant of grants) {
      const regrant = this.#isTrustedGrant(grant, nowMs);
      if (!regrant) this.#counts.grantsTakenAsFresh++;
      this.#enqueue({ from, pickupId: grant.pickupId, receivedAtMs: nowMs, regrant });
    }
    if (from !== this.#ctx.selfId && !this.#awaitingHandover.delete(from)) {
      this.#counts.unexpectedHandovers++;
    }
  }

  #enqueue(queued: QueuedClaim): void {
    const { from, pickupId, regrant } = queued;
    const same = this.#claims.findIndex((c) => c.from === from && c.pickupId === pickupId);
    if (same !== -1) {
      // A handed-over grant outranks the fresh claim it repeats; anything else is a repeat.
      if (regrant && this.#claims[same]?.regrant === false) this.#claims[same] = queued;
      else this.#counts.duplicateClaims++;
      return;
    }
    if (this.#claims.filter((c) => c.from === from).length >= MAX_QUEUED_PER_PEER) {
      this.#counts.claimsOverCap++;
      return;
    }
    this.#claims.push(queued);
  }

  /** A player's `events` channel opened: they get a score line and the whole world. */
  peerConnected(peerId: string, nowMs: number): void {
    if (peerId === this.#ctx.selfId) return;
    if (!hasScore(this.#world, peerId)) this.#ensureScore(peerId);
    this.#out.push({ to: "peer", peerId, event: this.#snapshot(nowMs) });
  }

  /** A player left the lobby: their score goes and everyone gets the world without it. */
  peerLeft(peerId: string, nowMs: number): void {
    this.#claims = this.#claims.filter((claim) => claim.from !== peerId);
    this.#awaitingHandover.delete(peerId);
    if (!hasScore(this.#world, peerId)) return;
    this.#replace(withoutPeer(this.#world, peerId), nowMs);
  }

  /**
   * Starts a round now (the host's command, or the end of the intermission): the next round
   * number, fresh pickups with new ids, every score back to 0, the full round on the clock.
   */
  startRound(nowMs: number): void {
    const { config, selfId } = this.#ctx;
    const pickups: WorldPickup[] = [];
    for (let i = 0; i < config.pickupCount; i++) {
      // Avoid the ids still on the field too: a late claim of one must never hit a new pickup.
      pickups.push(this.#spawner.spawn([...this.#world.pickups, ...pickups]));
    }
    const scores = this.#world.scores.map(({ peerId }) => ({ peerId, score: 0 }));
    if (!scores.some((entry) => entry.peerId === selfId)) scores.push({ peerId: selfId, score: 0 });
    this.#respawnAtMs.clear();
    this.#inherited.clear();
    for (const claim of this.#claims) this.#decide(claim, "round-over", nowMs);
    this.#claims = [];
    this.#endAnnounced = false;
    this.#replace(
      {
        ...this.#world,
        pickups,
        scores,
        round: saturatingNext(this.#world.round),
        roundEndsAtMs: nowMs + config.roundMs,
        nextRoundAtMs: null,
      },
      nowMs,
    );
  }

  /** What is ready to send without a tick (a snapshot for a newly connected player). */
  takeOutgoing(): Outgoing[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /**
   * Decides queued claims, respawns, runs the round clock; returns what to send. `simTick` is
   * our simulation tick now, which the events carry.
   */
  tick(nowMs: number, touches: TouchLog, simTick = this.#simTick): Outgoing[] {
    this.#simTick = simTick;
    this.#decideClaims(nowMs, touches);
    if (!isRoundOver(this.#world, nowMs)) {
      this.#respawnDue(nowMs);
    } else if (!this.#endAnnounced) {
      this.#endRound(nowMs);
    }
    const { nextRoundAtMs } = this.#world;
    if (nextRoundAtMs !== null && isRoundOver(this.#world, nowMs) && nowMs >= nextRoundAtMs) {
      this.startRound(nowMs);
    }
    if (nowMs - this.#lastSnapshotAtMs >= this.#ctx.config.snapshotIntervalMs) {
      this.#broadcastSnapshot(nowMs);
    }
    return this.takeOutgoing();
  }

  #adopt(nowMs: number): void {
    const { config, selfId } = this.#ctx;
    // The old host's respawn times are not on the wire: waiting pickups get a full delay.
    for (const pickup of this.#world.pickups) {
      if (!pickup.active) this.#respawnAtMs.set(pickup.id, nowMs + config.respawnMs);
    }
    let world = this.#world;
    for (const pickup of world.pickups) if (pickup.active) this.#inherited.add(pickup.id);
    this.#handoverUntilMs = nowMs + config.handoverWaitMs;
    while (world.pickups.length < config.pickupCount) {
      world = { ...world, pickups: [...world.pickups, this.#spawner.spawn(world.pickups)] };
    }
    if (canAddScore(world, selfId) && !hasScore(world, selfId)) {
      world = { ...world, scores: [...world.scores, { peerId: selfId, score: 0 }] };
    }
    if (!isRoundOver(world, nowMs)) {
      world = { ...world, nextRoundAtMs: null };
    } else if (world.nextRoundAtMs === null && config.intermissionMs !== null) {
      // The old host's end-of-round news never reached us: time the next round ourselves.
      world = {
        ...world,
        nextRoundAtMs: Math.max(nowMs, world.roundEndsAtMs + config.intermissionMs),
      };
    }
    this.#world = world;
    // Every replica learns of the new host's world at once, and claimants re-send to it.
    this.#broadcastSnapshot(nowMs);
  }

  #decideClaims(nowMs: number, touches: TouchLog): void {
    // Grants an earlier host made go first: that host decided them before any fresh claim we
    // hold now could have been made.
    const claims = [
      ...this.#claims.filter((claim) => claim.regrant),
      ...this.#claims.filter((claim) => !claim.regrant),
    ];
    this.#claims = [];
    const waiting: QueuedClaim[] = [];
    // A pickup whose handed-over grant still waits (for our view of its winner) is not given
    // to a fresh claim meanwhile.
    const grantWaits = new Set<number>();
    for (const claim of claims) {
      const blocked = !claim.regrant && grantWaits.has(claim.pickupId);
      const outcome = blocked ? "wait" : this.#judge(claim, touches, nowMs);
      if (outcome === "wait") {
        waiting.push(claim);
        if (claim.regrant) grantWaits.add(claim.pickupId);
      } else {
        this.#decide(claim, outcome, nowMs);
      }
    }
    this.#claims = [...waiting, ...this.#claims];
  }

  /**
   * Whether to take a player's word that an earlier host granted it a pickup: only within
   * `handoverWaitMs` of our promotion, only for a pickup we inherited, and only from an epoch
   * from the world we inherited up to ours (earlier grants are in that world already). Anyone
   * else's word would let a peer jump the queue by calling every claim a grant.
   */
  #isTrustedGrant(grant: Grant, nowMs: number): boolean {
    const from = this.#inheritedEpoch;
    if (from === null || grant.grantedInEpoch < from) return false;
    if (grant.grantedInEpoch >= this.#ctx.epoch) return false;
    return this.#inherited.has(grant.pickupId) && nowMs < this.#handoverUntilMs;
  }

  /** Whether fresh claims of inherited pickups still wait for players' handed-over grants. */
  #inHandover(nowMs: number): boolean {
    return this.#awaitingHandover.size > 0 && nowMs < this.#handoverUntilMs;
  }

  #judge(claim: QueuedClaim, touches: TouchLog, nowMs: number): ClaimOutcome | "wait" {
    // Arrival time, not decision time: a claim that reached us before the end still counts.
    // A handed-over grant was made by the old host before the end, whenever it reaches us.
    if (!claim.regrant && isRoundOver(this.#world, claim.receivedAtMs)) return "round-over";
    const pickup = findPickup(this.#world, claim.pickupId);
    if (pickup === undefined) return "unknown";
    if (!pickup.active) return "taken";
    // Just after a promotion, a pickup we inherited may have been granted by the old host
    // without our hearing of it; its winner hands that grant over (`handover-done`) on our
    // first world, however late the lobby's news of us reaches it.
    if (!claim.regrant && this.#inherited.has(pickup.id) && this.#inHandover(nowMs)) return "wait";
    const mayWait = nowMs - claim.receivedAtMs < this.#ctx.config.claimWaitMs;
    // Our view of the claimant runs late: give it a moment to arrive before refusing.
    if (!touches.has(pickup.id, claim.from)) return mayWait ? "wait" : "not-touched";
    if (!canAddScore(this.#world, claim.from)) return "no-seat";
    return "awarded";
  }

  #decide(claim: QueuedClaim, outcome: ClaimOutcome, nowMs: number): void {
    const { pickupId, from } = claim;
    if (outcome === "awarded") {
      this.#change((header) => ({ type: "pickup-claimed", ...header, pickupId, by: from }));
      const score = scoreOf(this.#world, from);
      this.#change((header) => ({ type: "score", ...header, peerId: from, score }));
      this.#respawnAtMs.set(pickupId, nowMs + this.#ctx.config.respawnMs);
      this.#inherited.delete(pickupId);
    } else {
      // The claimant stops asking; our own refusals are handed back to us the same way.
      this.#out.push({
        to: "peer",
        peerId: from,
        event: { type: "claim-rejected", hostEpoch: this.#ctx.epoch, pickupId, reason: outcome },
      });
    }
    this.#decisions.push({ pickupId, by: from, outcome, atMs: nowMs });
    if (this.#decisions.length > KEPT_DECISIONS) this.#decisions.shift();
  }

  #respawnDue(nowMs: number): void {
    // Claimed pickups sit at the end of the list in claim order, and a spawn replaces the
    // first of them, so respawns go oldest claim first, matching what replicas do.
    for (;;) {
      const waiting = this.#world.pickups.find((pickup) => !pickup.active);
      if (waiting === undefined) return;
      const dueAt = this.#respawnAtMs.get(waiting.id) ?? nowMs;
      if (dueAt > nowMs) return;
      this.#respawnAtMs.delete(waiting.id);
      const { id, x, y } = this.#spawner.spawn(this.#world.pickups);
      this.#change((header) => ({ type: "pickup-spawned", ...header, pickupId: id, x, y }));
    }
  }

  #endRound(nowMs: number): void {
    this.#endAnnounced = true;
    const { intermissionMs } = this.#ctx.config;
    if (intermissionMs === null) {
      // Replicas see the end from their own clock already; this pins it to the host's.
      this.#broadcastSnapshot(nowMs);
      return;
    }
    // Scheduling the next round is a change: replicas count down to it, a new host keeps it.
    this.#replace(
      { ...this.#world, nextRoundAtMs: this.#world.roundEndsAtMs + intermissionMs },
      nowMs,
    );
  }

  #ensureScore(peerId: string): void {
    if (!canAddScore(this.#world, peerId)) return;
    this.#change((header) => ({ type: "score", ...header, peerId, score: 0 }));
  }

  /** Makes one change through the same transition replicas apply, and broadcasts it. */
  #change(make: (header: HostHeader) => ChangeEvent): void {
    const event = make({
      hostEpoch: this.#ctx.epoch,
      version: saturatingNext(this.#world.stamp.version),
      tick: this.#simTick,
    });
    this.#world = applyChange(this.#world, event);
    this.#out.push({ to: "all", event });
  }

  /** A change with no incremental event: a new version, told to everyone as a snapshot. */
  #replace(world: WorldState, nowMs: number): void {
    this.#world = {
      ...world,
      stamp: { epoch: this.#ctx.epoch, version: saturatingNext(this.#world.stamp.version) },
    };
    this.#broadcastSnapshot(nowMs);
  }

  #broadcastSnapshot(nowMs: number): void {
    this.#lastSnapshotAtMs = nowMs;
    this.#out.push({ to: "all", event: this.#snapshot(nowMs) });
  }

  #snapshot(nowMs: number): WorldEvent {
    return snapshotOf(this.#world, nowMs, this.#simTick);
  }
}
