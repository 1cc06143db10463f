/**
 * The host's side of the shared world: decides claims, respawns pickups, runs the match (warm-up,
 * countdown, rounds, results, podium) and says what to send. Pure apart from its own fields: time comes in as `nowMs`, randomness
 * through the `random` it was given, and messages go out as return values.
 */
import { DEFAULT_ROUNDS, MAX_ROUNDS, MIN_ROUNDS } from "edgeplay/protocol";
import type { ClaimRejection, Grant, MatchStage } from "./events-wire.ts";
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
  matchAt,
  saturatingNext,
  scoreLineOf,
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
/** Stage changes one tick may make; only a host asleep for a whole match needs more than two. */
const MAX_STAGE_STEPS = 8;

/** When claims score: from a round's start to its end, by arrival time. */
interface ScoringWindow {
  readonly fromMs: number;
  readonly untilMs: number;
}
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
  /** The round claims count in, kept through its results; null outside a match's rounds. */
  #scoring: ScoringWindow | null = null;
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
    this.#lastSnapshotAtMs = nowMs;
    this.#simTick = simTick;
  }

  /** The first host of a lobby (or one with no world to go on): the warm-up starts now. */
  static startFresh(ctx: HostContext, nowMs: number, simTick = 0): WorldHost {
    const empty: WorldState = {
      stamp: { epoch: ctx.epoch, version: 0 },
      pickups: [],
      scores: [],
      match: matchAt("warmup", 0, DEFAULT_ROUNDS, 0, nowMs),
    };
    const host = new WorldHost(empty, ctx, nowMs, simTick, null);
    host.warmUp(nowMs);
    return host;
  }

  /**
   * A new host carrying on from the last world it received as a replica: same pickup ids and
   * claimed flags, same scores, the same stage of the match ending at the same time. Its stamp moves to its own epoch, so every replica
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
   * Back to the warm-up (the lobby is waiting again): fresh pickups, every point cleared,
   * nothing scores until the next match.
   */
  warmUp(nowMs: number): void {
    this.#refuseQueued(nowMs);
    this.#scoring = null;
    const { rounds } = this.#world.match;
    this.#replace(
      {
        ...this.#world,
        pickups: this.#freshPickups(),
        scores: this.#clearedScores(),
        match: matchAt("warmup", 0, rounds, 0, nowMs),
      },
      nowMs,
    );
  }

  /** The lobby started playing: a match of `rounds` rounds, from zero, after a countdown. */
  startMatch(rounds: number, nowMs: number): void {
    this.#refuseQueued(nowMs);
    this.#scoring = null;
    const count = Math.min(Math.max(MIN_ROUNDS, Math.round(rounds)), MAX_ROUNDS);
    this.#replace(
      {
        ...this.#world,
        scores: this.#clearedScores(),
        match: matchAt("countdown", 1, count, this.#ctx.config.countdownMs, nowMs),
      },
      nowMs,
    );
  }

  /** The host's command: the running round ends now and its results show. */
  endRound(nowMs: number): void {
    if (this.#world.match.stage !== "round") return;
    this.#setStage("results", nowMs, nowMs);
  }

  /** The lobby says the match is over: straight to the podium from wherever it was. */
  endMatch(nowMs: number): void {
    const { stage } = this.#world.match;
    if (stage === "warmup" || stage === "podium") return;
    this.#setStage("podium", nowMs, nowMs);
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
    // Claims first: one that arrived before the round's end counts even if decided after it.
    this.#decideClaims(nowMs, touches);
    this.#advance(nowMs);
    if (this.#world.match.stage === "round") this.#respawnDue(nowMs);
    if (nowMs - this.#lastSnapshotAtMs >= this.#ctx.config.snapshotIntervalMs) {
      this.#broadcastSnapshot(nowMs);
    }
    return this.takeOutgoing();
  }

  /**
   * Moves the match on through every timed stage that is over. Each starts when the last was
   * due to end, not when this tick runs, so a host whose timers slowed keeps everyone's clocks.
   */
  #advance(nowMs: number): void {
    for (let step = 0; step < MAX_STAGE_STEPS; step++) {
      const { stage, round, rounds, endsAtMs } = this.#world.match;
      if (endsAtMs === null || endsAtMs > nowMs) return;
      if (stage === "countdown") this.#startRound(endsAtMs, nowMs);
      else if (stage === "round") this.#setStage("results", endsAtMs, nowMs);
      else if (round < rounds) this.#setStage("countdown", endsAtMs, nowMs, round + 1);
      else this.#setStage("podium", endsAtMs, nowMs);
    }
  }

  /** A round starts: fresh pickups (new ids, so no claim from before lands), round points 0. */
  #startRound(startsAtMs: number, nowMs: number): void {
    const { config } = this.#ctx;
    const { round, rounds } = this.#world.match;
    this.#refuseQueued(nowMs);
    this.#respawnAtMs.clear();
    this.#inherited.clear();
    this.#scoring = { fromMs: startsAtMs, untilMs: startsAtMs + config.roundMs };
    this.#replace(
      {
        ...this.#world,
        pickups: this.#freshPickups(),
        scores: this.#world.scores.map((line) => ({ ...line, score: 0 })),
        match: matchAt("round", round, rounds, config.roundMs, startsAtMs),
      },
      nowMs,
    );
  }

  /** Any other change of stage: the round number stays unless given; the pickups stay. */
  #setStage(
    stage: MatchStage,
    startsAtMs: number,
    nowMs: number,
    round = this.#world.match.round,
  ): void {
    const { config } = this.#ctx;
    const durationMs = stage === "countdown" ? config.countdownMs : config.resultsMs;
    // A round cut short (the host's command, or the lobby ending the match) stops scoring now;
    // claims that arrived before still count, as they do at a round's end on time.
    if ((stage === "results" || stage === "podium") && this.#scoring !== null) {
      this.#scoring = { ...this.#scoring, untilMs: Math.min(this.#scoring.untilMs, startsAtMs) };
    }
    if (stage === "countdown") this.#scoring = null;
    const { rounds } = this.#world.match;
    this.#replace(
      { ...this.#world, match: matchAt(stage, round, rounds, durationMs, startsAtMs) },
      nowMs,
    );
  }

  #freshPickups(): WorldPickup[] {
    const pickups: WorldPickup[] = [];
    for (let i = 0; i < this.#ctx.config.pickupCount; i++) {
      // Avoid the ids still on the field too: a late claim of one must never hit a new pickup.
      pickups.push(this.#spawner.spawn([...this.#world.pickups, ...pickups]));
    }
    return pickups;
  }

  /** Everyone's points back to 0, ourselves included. */
  #clearedScores(): WorldState["scores"] {
    const { selfId } = this.#ctx;
    const scores = this.#world.scores.map(({ peerId }) => ({ peerId, score: 0, total: 0 }));
    if (!scores.some((line) => line.peerId === selfId)) {
      scores.push({ peerId: selfId, score: 0, total: 0 });
    }
    return scores;
  }

  #refuseQueued(nowMs: number): void {
    for (const claim of this.#claims) this.#decide(claim, "no-round", nowMs);
    this.#claims = [];
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
      world = { ...world, scores: [...world.scores, { peerId: selfId, score: 0, total: 0 }] };
    }
    // Claims of this round count until its end. In its results we cannot tell when it ended:
    // fresh claims are refused then, and only handed-over grants still count.
    const { stage, endsAtMs } = world.match;
    if (stage === "round" && endsAtMs !== null) {
      this.#scoring = { fromMs: Number.NEGATIVE_INFINITY, untilMs: endsAtMs };
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

  #scores(atMs: number): boolean {
    const window = this.#scoring;
    return window !== null && atMs >= window.fromMs && atMs < window.untilMs;
  }

  #judge(claim: QueuedClaim, touches: TouchLog, nowMs: number): ClaimOutcome | "wait" {
    // Arrival time, not decision time: a claim that reached us before the end still counts.
    // A handed-over grant was made by the old host before the end, whenever it reaches us.
    if (!claim.regrant && !this.#scores(claim.receivedAtMs)) return "no-round";
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
      const { score, total } = scoreLineOf(this.#world, from);
      this.#change((header) => ({ type: "score", ...header, peerId: from, score, total }));
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
      const { id, x, y, value } = this.#spawner.spawn(this.#world.pickups);
      this.#change((header) => ({ type: "pickup-spawned", ...header, pickupId: id, x, y, value }));
    }
  }

  #ensureScore(peerId: string): void {
    if (!canAddScore(this.#world, peerId)) return;
    this.#change((header) => ({ type: "score", ...header, peerId, score: 0, total: 0 }));
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
