/**
 * The claiming player's side: notices when our own (locally predicted) avatar touches an
 * active pickup, asks the host for it once, and asks again only when an answer may have been
 * lost: while we keep touching it unanswered (or refused `not-touched`: the host's view of us
 * may just be late), and when a new host takes over (the old host may have died with the
 * claim, or with its award, unsent). The host decides each pickup id once per tenure and a new
 * host only restores a grant it missed, so asking again can never score twice. Other refusals
 * are final: we stop asking for that pickup; a respawn brings a new id.
 */

import { AVATAR_RADIUS } from "../sim/arena.ts";
import { type ClaimRejection, type Grant, MAX_PICKUPS } from "./events-wire.ts";
import type { WorldConfig } from "./world-config.ts";
import { isScoring, type WorldState } from "./world-state.ts";

/** `settled`: the pickup was taken, and whose award it was has not reached us (yet). */
export type ClaimStatus = "pending" | "won" | "lost" | "refused" | "settled";

/** A claim to send: the pickup, and our simulation tick when we touched it. */
export interface Claim {
  readonly pickupId: number;
  readonly tick: number;
}

/** What we hand a new host: open claims to send again, and grants it never heard of. */
export interface Handover {
  readonly claims: Claim[];
  readonly grants: Grant[];
}

interface Entry {
  status: ClaimStatus;
  lastSentMs: number;
  readonly touchTick: number;
  /** The epoch of the host that granted it to us, once one has. */
  grantedInEpoch?: number;
}

interface Toucher {
  readonly x: number;
  readonly y: number;
  /** Our simulation tick now; kept as the claim's touch tick. */
  readonly tick: number;
}

/** A round has a few dozen pickups; this only bounds a pathological one. */
const MAX_ENTRIES = 256;

export class ClaimLedger {
  readonly #entries = new Map<number, Entry>();
  readonly #config: WorldConfig;
  /** The round our entries belong to (0: the warm-up); a new round's pickups all have new ids. */
  #round = 0;

  constructor(config: WorldConfig) {
    this.#config = config;
  }

  status(pickupId: number): ClaimStatus | undefined {
    return this.#entries.get(pickupId)?.status;
  }

  get pending(): number[] {
    return [...this.#entries].filter(([, entry]) => entry.status === "pending").map(([id]) => id);
  }

  /**
   * Pickups to claim now: active ones our avatar touches that we have not claimed yet, and
   * unanswered ones we still touch after `claimRetryMs` (an answer may be lost, or the host
   * refused `not-touched` because it had not yet drawn us there).
   */
  touches(world: WorldState, own: Toucher, nowMs: number): Claim[] {
    this.#enterRound(world);
    if (!isScoring(world, nowMs)) {
      // No round runs: nothing to claim. Wins stay until the next round, in case a new host
      // takes over during the results without having heard of them.
      for (const [id, entry] of this.#entries) if (entry.status !== "won") this.#entries.delete(id);
      return [];
    }
    const reach = this.#config.pickupRadius + AVATAR_RADIUS;
    const due: Claim[] = [];
    for (const pickup of world.pickups) {
      if (!pickup.active || Math.hypot(own.x - pickup.x, own.y - pickup.y) > reach) continue;
      const entry = this.#entries.get(pickup.id);
      if (entry === undefined) {
        this.#entries.set(pickup.id, { status: "pending", lastSentMs: nowMs, touchTick: own.tick });
        due.push({ pickupId: pickup.id, tick: own.tick });
      } else if (
        entry.status === "pending" &&
        nowMs - entry.lastSentMs >= this.#config.claimRetryMs
      ) {
        entry.lastSentMs = nowMs;
        due.push(claimOf(pickup.id, entry));
      }
    }
    this.#trim();
    return due;
  }

  /** The award of a pickup by the host of `hostEpoch`, to us or to someone else. */
  claimed(pickupId: number, by: string, selfId: string, hostEpoch: number): void {
    const entry = this.#entries.get(pickupId);
    if (entry === undefined) return;
    entry.status = by === selfId ? "won" : "lost";
    if (by === selfId) entry.grantedInEpoch = hostEpoch;
  }

  /**
   * The host refused our claim. Only an open claim changes: a refusal of a repeat that crossed
   * the award (`taken`, after we won it) must not undo the win. `not-touched` leaves it open, to
   * be asked again in `claimRetryMs` if we still touch the pickup.
   */
  rejected(pickupId: number, reason: ClaimRejection): void {
    const entry = this.#entries.get(pickupId);
    if (entry?.status !== "pending" || reason === "not-touched") return;
    entry.status = "refused";
  }

  /**
   * The first world from a host that took over (or our own, when we do): it shows what that
   * host inherited. Every claim of ours it shows still open goes to it: ones in flight to the
   * old host, and grants from earlier hosts it never heard of. Run on that world itself, not
   * on what later updates make of it: those are the new host's own decisions, possibly made
   * before our grants reached it.
   */
  handover(inherited: WorldState, hostEpoch: number, nowMs: number): Handover {
    this.#enterRound(inherited);
    const active = activeIds(inherited);
    const claims: Claim[] = [];
    const grants: Grant[] = [];
    for (const [id, entry] of this.#entries) {
      if (!active.has(id)) {
        // Taken or gone: decided, whoever got it. Won claims stay, for a later new host.
        if (entry.status !== "won") this.#entries.delete(id);
      } else if (entry.status === "lost") {
        // The new host missed that award: the pickup is open again, like any other.
        this.#entries.delete(id);
      } else if (entry.status === "pending" || entry.status === "settled") {
        // Settled but open again: the new host never heard of that award, which may be ours.
        entry.status = "pending";
        entry.lastSentMs = nowMs;
        claims.push(claimOf(id, entry));
      } else if (
        entry.status === "won" &&
        entry.grantedInEpoch !== undefined &&
        entry.grantedInEpoch < hostEpoch
      ) {
        grants.push({ pickupId: id, grantedInEpoch: entry.grantedInEpoch });
      }
    }
    return { claims, grants: grants.slice(0, MAX_PICKUPS) };
  }

  /**
   * Any later world from the host: forget claims that are decided, and learn the outcome of
   * ours from the world itself (`takenBy`) when its award has not reached us: a snapshot can
   * overtake the award, or arrive when the award never will (its host died mid path switch).
   */
  world(world: WorldState, selfId: string): void {
    this.#enterRound(world);
    const pickups = new Map(world.pickups.map((pickup) => [pickup.id, pickup]));
    for (const [id, entry] of this.#entries) {
      const pickup = pickups.get(id);
      if (pickup === undefined) {
        // Gone (respawned under a new id). Wins stay, for a later new host that missed them.
        if (entry.status !== "won") this.#entries.delete(id);
      } else if (pickup.active) {
        // A lost pickup shown open again only comes from a new host that missed the award.
        if (entry.status === "lost") this.#entries.delete(id);
        else if (entry.status === "settled") entry.status = "pending";
      } else if (entry.status === "pending" || entry.status === "settled") {
        if (pickup.takenBy === undefined) entry.status = "settled";
        else this.claimed(id, pickup.takenBy, selfId, world.stamp.epoch);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  #enterRound(world: WorldState): void {
    const { stage, round } = world.match;
    const current = stage === "warmup" ? 0 : round;
    if (current === this.#round) return;
    this.#round = current;
    this.#entries.clear();
  }

  #trim(): void {
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) return;
      this.#entries.delete(id);
    }
  }
}

function activeIds(world: WorldState): Set<number> {
  return new Set(world.pickups.filter((pickup) => pickup.active).map((pickup) => pickup.id));
}

function claimOf(pickupId: number, entry: Entry): Claim {
  return { pickupId, tick: entry.touchTick };
}
