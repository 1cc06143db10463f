/**
 * The host's side of the shared world: decides claims, respawns pickups, runs the round clock
 * and says what to send. Pure apart from its own fields: time comes in as `nowMs`, randomness
 * through the `random` it was given, and messages go out as return values.
 */
import type { Outgoing } from "./outgoing.ts";
import { PickupSpawner } from "./pickup-spawner.ts";
import type { TouchLog } from "./touch-log.ts";
import type { WorldConfig } from "./world-config.ts";
import {
  applyChange,
  type ChangeEvent,
  canAddScore,
  findPickup,
  hasScore,
  isRoundOver,
  nextVersion,
  scoreOf,
  snapshotOf,
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
export type ClaimOutcome =
  | "awarded"
  /** The pickup is already claimed (a duplicate, or someone was first). */
  | "taken"
  /** No such pickup: an old id from before a respawn or a new round, or junk. */
  | "unknown"
  /** This host never saw the claimant's avatar reach the pickup while it was active. */
  | "not-touched"
  | "round-over"
  /** The scoreboard is full (more players than the wire's score list holds). */
  | "no-seat";

export interface ClaimDecision {
  readonly pickupId: number;
  readonly by: string;
  readonly outcome: ClaimOutcome;
  readonly atMs: number;
}

interface QueuedClaim {
  readonly from: string;
  readonly pickupId: number;
  readonly receivedAtMs: number;
}

const KEPT_DECISIONS = 64;

export class WorldHost {
  readonly #ctx: HostContext;
  readonly #spawner: PickupSpawner;
  /** When each waiting (claimed) pickup may be replaced by a new one. */
  readonly #respawnAtMs = new Map<number, number>();
  readonly #decisions: ClaimDecision[] = [];
  #world: WorldState;
  #claims: QueuedClaim[] = [];
  #endAnnounced: boolean;
  #nextRoundAtMs: number | null = null;
  #lastSnapshotAtMs: number;
  #out: Outgoing[] = [];

  private constructor(world: WorldState, ctx: HostContext, nowMs: number) {
    this.#ctx = ctx;
    this.#spawner = new PickupSpawner(ctx.epoch, ctx.config, ctx.random);
    this.#world = world;
    this.#endAnnounced = isRoundOver(world, nowMs);
    this.#lastSnapshotAtMs = nowMs;
  }

  /** The first host of a lobby (or one with no world to go on): a new round starts now. */
  static startFresh(ctx: HostContext, nowMs: number): WorldHost {
    const empty: WorldState = {
      stamp: { epoch: ctx.epoch, version: 0 },
      pickups: [],
      scores: [],
      roundEndsAtMs: nowMs,
    };
    const host = new WorldHost(empty, ctx, nowMs);
    host.startRound(nowMs);
    return host;
  }

  /**
   * A new host carrying on from the last world it received as a replica: same pickup ids and
   * claimed flags, same scores, same round end. Its stamp moves to its own epoch, so every
   * replica prefers it to anything the old host still has in flight.
   */
  static continueFrom(world: WorldState, ctx: HostContext, nowMs: number): WorldHost {
    const restamped: WorldState = {
      ...world,
      stamp: { epoch: ctx.epoch, version: nextVersion(world.stamp.version) },
    };
    const host = new WorldHost(restamped, ctx, nowMs);
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

  /** A claim from a player (or from ourselves); decided at the next `tick`, in arrival order. */
  enqueueClaim(from: string, pickupId: number, nowMs: number): void {
    this.#claims.push({ from, pickupId, receivedAtMs: nowMs });
  }

  /** A player's `events` channel opened: they get a score line and the whole world. */
  peerConnected(peerId: string, nowMs: number): void {
    if (peerId === this.#ctx.selfId) return;
    if (!hasScore(this.#world, peerId)) this.#ensureScore(peerId);
    this.#out.push({ to: "peer", peerId, event: snapshotOf(this.#world, nowMs) });
  }

  /** A player left the lobby: their score goes and everyone gets the world without it. */
  peerLeft(peerId: string, nowMs: number): void {
    this.#claims = this.#claims.filter((claim) => claim.from !== peerId);
    if (!hasScore(this.#world, peerId)) return;
    this.#replace(withoutPeer(this.#world, peerId), nowMs);
  }

  /**
   * Starts a round now (the host's command, or the end of the intermission): fresh pickups
   * with new ids, every score back to 0, the full round on the clock.
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
    for (const claim of this.#claims) this.#decide(claim, "round-over", nowMs);
    this.#claims = [];
    this.#endAnnounced = false;
    this.#nextRoundAtMs = null;
    this.#replace(
      { ...this.#world, pickups, scores, roundEndsAtMs: nowMs + config.roundMs },
      nowMs,
    );
  }

  /** Decides queued claims, respawns, runs the round clock; returns what to send. */
  tick(nowMs: number, touches: TouchLog): Outgoing[] {
    this.#decideClaims(nowMs, touches);
    if (!isRoundOver(this.#world, nowMs)) {
      this.#respawnDue(nowMs);
    } else if (!this.#endAnnounced) {
      this.#endRound(nowMs);
    }
    if (this.#nextRoundAtMs !== null && nowMs >= this.#nextRoundAtMs) this.startRound(nowMs);
    if (nowMs - this.#lastSnapshotAtMs >= this.#ctx.config.snapshotIntervalMs) {
      this.#broadcastSnapshot(nowMs);
    }
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #adopt(nowMs: number): void {
    const { config, selfId } = this.#ctx;
    // The old host's respawn times are not on the wire: waiting pickups get a full delay.
    for (const pickup of this.#world.pickups) {
      if (!pickup.active) this.#respawnAtMs.set(pickup.id, nowMs + config.respawnMs);
    }
    let world = this.#world;
    while (world.pickups.length < config.pickupCount) {
      world = { ...world, pickups: [...world.pickups, this.#spawner.spawn(world.pickups)] };
    }
    if (canAddScore(world, selfId) && !hasScore(world, selfId)) {
      world = { ...world, scores: [...world.scores, { peerId: selfId, score: 0 }] };
    }
    if (this.#endAnnounced && config.intermissionMs !== null) {
      this.#nextRoundAtMs = Math.max(nowMs, world.roundEndsAtMs + config.intermissionMs);
    }
    this.#world = world;
    // Every replica learns of the new host's world at once, and claimants re-send to it.
    this.#broadcastSnapshot(nowMs);
  }

  #decideClaims(nowMs: number, touches: TouchLog): void {
    const claims = this.#claims;
    this.#claims = [];
    for (const claim of claims) this.#decide(claim, this.#judge(claim, touches), nowMs);
  }

  #judge(claim: QueuedClaim, touches: TouchLog): ClaimOutcome {
    // Arrival time, not decision time: a claim that reached us before the end still counts.
    if (isRoundOver(this.#world, claim.receivedAtMs)) return "round-over";
    const pickup = findPickup(this.#world, claim.pickupId);
    if (pickup === undefined) return "unknown";
    if (!pickup.active) return "taken";
    if (!touches.has(pickup.id, claim.from)) return "not-touched";
    if (!canAddScore(this.#world, claim.from)) return "no-seat";
    return "awarded";
  }

  #decide(claim: QueuedClaim, outcome: ClaimOutcome, nowMs: number): void {
    if (outcome === "awarded") {
      const { pickupId, from } = claim;
      this.#change((tick) => ({ type: "pickup-claimed", pickupId, by: from, tick }));
      const score = scoreOf(this.#world, from);
      this.#change((tick) => ({ type: "score", peerId: from, score, tick }));
      this.#respawnAtMs.set(pickupId, nowMs + this.#ctx.config.respawnMs);
    }
    this.#decisions.push({ pickupId: claim.pickupId, by: claim.from, outcome, atMs: nowMs });
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
      this.#change((tick) => ({ type: "pickup-spawned", pickupId: id, x, y, tick }));
    }
  }

  #endRound(nowMs: number): void {
    this.#endAnnounced = true;
    const { intermissionMs } = this.#ctx.config;
    if (intermissionMs !== null) this.#nextRoundAtMs = this.#world.roundEndsAtMs + intermissionMs;
    // Replicas see the end from their own clock already; this pins it to the host's.
    this.#broadcastSnapshot(nowMs);
  }

  #ensureScore(peerId: string): void {
    if (!canAddScore(this.#world, peerId)) return;
    this.#change((tick) => ({ type: "score", peerId, score: 0, tick }));
  }

  /** Makes one change through the same transition replicas apply, and broadcasts it. */
  #change(make: (version: number) => ChangeEvent): void {
    const event = make(nextVersion(this.#world.stamp.version));
    this.#world = applyChange(this.#world, event, this.#ctx.epoch);
    this.#out.push({ to: "all", event });
  }

  /** A change with no incremental event: a new version, told to everyone as a snapshot. */
  #replace(world: WorldState, nowMs: number): void {
    this.#world = {
      ...world,
      stamp: { epoch: this.#ctx.epoch, version: nextVersion(this.#world.stamp.version) },
    };
    this.#broadcastSnapshot(nowMs);
  }

  #broadcastSnapshot(nowMs: number): void {
    this.#lastSnapshotAtMs = nowMs;
    this.#out.push({ to: "all", event: snapshotOf(this.#world, nowMs) });
  }
}
