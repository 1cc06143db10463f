/**
 * The claiming player's side: notices when our own (locally predicted) avatar touches an
 * active pickup, asks the host for it once, and asks again only when an answer may have been
 * lost: while we keep touching it unanswered, and when a new host shows a world in which it is
 * still up for grabs (the old host may have died with the claim, or with its award, unsent).
 * The host decides each pickup id once, so asking again can never score twice. A refusal
 * (`claim-rejected`) is final: we stop asking for that pickup; a respawn brings a new id.
 */
import { AVATAR_RADIUS } from "../sim/arena.ts";
import type { WorldConfig } from "./world-config.ts";
import { isRoundOver, type WorldState } from "./world-state.ts";

export type ClaimStatus = "pending" | "won" | "lost" | "refused";

/** A claim to send: the pickup, and our simulation tick when we touched it. */
export interface Claim {
  readonly pickupId: number;
  readonly tick: number;
  /** The epoch of the host that already granted it, when re-sent to a later host. */
  readonly grantedInEpoch?: number;
}

interface Entry {
  status: ClaimStatus;
  lastSentMs: number;
  readonly touchTick: number;
  /** Set when a host granted it to us. */
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
   * unanswered ones we still touch after `claimRetryMs` (the host drops a claim it cannot
   * confirm yet, for example when it has not seen us arrive).
   */
  touches(world: WorldState, own: Toucher, nowMs: number): Claim[] {
    if (isRoundOver(world, nowMs)) {
      // Scores are frozen and the next round brings new ids: nothing here matters any more.
      this.#entries.clear();
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
   * the award (`taken`, after we won it) must not undo the win.
   */
  rejected(pickupId: number): void {
    const entry = this.#entries.get(pickupId);
    if (entry?.status === "pending") entry.status = "refused";
  }

  /**
   * A world from the host. The first from a new host: every claim of ours it does not show
   * as taken goes to it, including ones the old host awarded us (it may have died before the
   * new host heard). Returns the ids to send.
   */
  world(world: WorldState, firstOfEpoch: boolean, nowMs: number): Claim[] {
    const active = new Set(world.pickups.filter((p) => p.active).map((p) => p.id));
    const due: Claim[] = [];
    for (const [id, entry] of this.#entries) {
      if (active.has(id)) {
        if (entry.status === "lost") {
          // Only a new host that missed the award shows a lost pickup up again: it is open,
          // so forget our loss and let a fresh touch claim it like any other.
          this.#entries.delete(id);
        } else if (firstOfEpoch) {
          if (entry.status === "refused") continue;
          entry.status = "pending";
          entry.lastSentMs = nowMs;
          due.push(claimOf(id, entry));
        }
      } else if (entry.status !== "won") {
        // Taken or gone: decided, whoever got it. Won claims stay, for a later new host.
        this.#entries.delete(id);
      }
    }
    return due;
  }

  /** The line to the host reopened: what was sent on the old one may be lost. */
  resendPending(world: WorldState, nowMs: number): Claim[] {
    const active = new Set(world.pickups.filter((p) => p.active).map((p) => p.id));
    const due: Claim[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.status !== "pending" || !active.has(id)) continue;
      entry.lastSentMs = nowMs;
      due.push(claimOf(id, entry));
    }
    return due;
  }

  clear(): void {
    this.#entries.clear();
  }

  #trim(): void {
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) return;
      this.#entries.delete(id);
    }
  }
}

function claimOf(pickupId: number, entry: Entry): Claim {
  const { touchTick: tick, grantedInEpoch } = entry;
  return grantedInEpoch === undefined ? { pickupId, tick } : { pickupId, tick, grantedInEpoch };
}
