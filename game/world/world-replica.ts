/**
 * A peer's copy of the host's world. Every update carries its own stamp (host epoch, world
 * version) and is ordered by it, epoch first; the lobby's news says which peer is host of which
 * epoch, and only that peer's updates of that epoch are applied. A change is applied only on
 * top of the version just before it, so the copy is always exactly the host's world at some
 * version: a late packet from a deposed host, a duplicate or a reordered one can never roll it
 * back or skip a change.
 */
import {
  applyChange,
  type ChangeEvent,
  compareStamps,
  type HostEvent,
  stampOf,
  type WorldEvent,
  type WorldState,
  withoutPeer,
  worldFromSnapshot,
} from "./world-state.ts";

/** An update that changed our copy; `firstOfEpoch` marks the first world from a new host. */
export interface Applied {
  readonly event: HostEvent;
  readonly firstOfEpoch: boolean;
  /** A first world that follows an earlier host's world: a new host took over from it. */
  readonly tookOver: boolean;
  /** Our copy right after this update (later ones in the same batch may change it again). */
  readonly world: WorldState;
}

export interface ReplicaCounts {
  readonly applied: number;
  /** Not newer than what we have: duplicates, and packets of a deposed host's epoch. */
  readonly stale: number;
  /** Stamped with an epoch the lobby has not announced yet; applied if it names the sender. */
  readonly early: number;
  /** Changes that arrived before the versions ahead of them. */
  readonly held: number;
  /** Stamped with the current epoch by a peer the lobby did not name: never applied. */
  readonly notHost: number;
}

interface Arrival {
  readonly event: HostEvent;
  readonly receivedAtMs: number;
  readonly oneWayDelayMs: number;
}

/** Bounds for what we keep on behalf of others; past them the next snapshot heals everything. */
const MAX_EARLY_PER_SENDER = 32;
const MAX_HELD = 32;
const MAX_DEPARTED = 64;

export class WorldReplica {
  #world: WorldState | null = null;
  #hostId: string | null = null;
  #hostEpoch = 0;
  #held: ChangeEvent[] = [];
  readonly #early = new Map<string, Arrival[]>();
  readonly #departed = new Set<string>();
  #counts = { applied: 0, stale: 0, early: 0, held: 0, notHost: 0 };

  get world(): WorldState | null {
    return this.#world;
  }

  get hostId(): string | null {
    return this.#hostId;
  }

  get hostEpoch(): number {
    return this.#hostEpoch;
  }

  get counts(): ReplicaCounts {
    return { ...this.#counts };
  }

  /**
   * Lobby news of the host. Returns null for news not newer than what we know; otherwise the
   * updates the new host sent (stamped with this epoch) before we heard of it, now applied.
   */
  setHost(hostId: string, hostEpoch: number): Applied[] | null {
    if (!(hostEpoch > this.#hostEpoch)) return null;
    this.#hostId = hostId;
    this.#hostEpoch = hostEpoch;
    // Held changes belong to the previous host's numbering; the new host starts with a snapshot.
    this.#held = [];
    const confirmed = (this.#early.get(hostId) ?? []).filter(
      (arrival) => arrival.event.hostEpoch === hostEpoch,
    );
    // A peer is host for one unbroken epoch (the lobby never gives a seat's role back), so
    // only what others stamped with a later epoch than this news can still become current.
    this.#early.delete(hostId);
    for (const [sender, queue] of this.#early) {
      const later = queue.filter((arrival) => arrival.event.hostEpoch > hostEpoch);
      if (later.length === 0) this.#early.delete(sender);
      else this.#early.set(sender, later);
    }
    return confirmed.flatMap((arrival) => this.#accept(arrival));
  }

  /** An update from `from`. Returns what changed our copy (possibly several held changes). */
  receive(from: string, event: HostEvent, receivedAtMs: number, oneWayDelayMs = 0): Applied[] {
    if (this.#departed.has(from) || event.hostEpoch < this.#hostEpoch) {
      this.#counts.stale++;
      return [];
    }
    const arrival: Arrival = { event, receivedAtMs, oneWayDelayMs };
    if (event.hostEpoch > this.#hostEpoch) {
      // The new host's world can outrun the lobby's news of it. Only the lobby says who is
      // host, so it waits for that news rather than trusting the epoch a peer wrote.
      this.#keepEarly(from, arrival);
      return [];
    }
    if (from !== this.#hostId) {
      this.#counts.notHost++;
      return [];
    }
    return this.#accept(arrival);
  }

  /** A player left the lobby: never host again, and their score goes from our copy. */
  peerLeft(peerId: string): void {
    this.#departed.add(peerId);
    if (this.#departed.size > MAX_DEPARTED) {
      const oldest = this.#departed.values().next();
      if (!oldest.done) this.#departed.delete(oldest.value);
    }
    this.#early.delete(peerId);
    if (this.#world !== null) this.#world = withoutPeer(this.#world, peerId);
  }

  /** Takes `world` as our copy: a host stepping down keeps what it had until the next host's. */
  adopt(world: WorldState): void {
    this.#world = world;
    this.#held = [];
  }

  #keepEarly(from: string, arrival: Arrival): void {
    const queue = this.#early.get(from) ?? [];
    queue.push(arrival);
    if (queue.length > MAX_EARLY_PER_SENDER) {
      // Keep the latest world: it is what the changes after it build on, and a new host's first
      // world is what makes us hand our claims over to it. The oldest other packet goes.
      const latestWorld = queue.findLastIndex((kept) => kept.event.type === "world");
      queue.splice(latestWorld === 0 ? 1 : 0, 1);
    }
    this.#early.set(from, queue);
    this.#counts.early++;
  }

  #accept(arrival: Arrival): Applied[] {
    const { event } = arrival;
    return event.type === "world"
      ? this.#acceptSnapshot(event, arrival.receivedAtMs, arrival.oneWayDelayMs)
      : this.#acceptChange(event);
  }

  #acceptSnapshot(event: WorldEvent, receivedAtMs: number, oneWayDelayMs: number): Applied[] {
    const world = this.#world;
    const stamp = stampOf(event);
    // Equal is accepted: a periodic snapshot repeats the version and refreshes the clock.
    if (world !== null && compareStamps(stamp, world.stamp) < 0) {
      this.#counts.stale++;
      return [];
    }
    const firstOfEpoch = world === null || stamp.epoch > world.stamp.epoch;
    const tookOver = world !== null && stamp.epoch > world.stamp.epoch;
    const next = this.#withoutDeparted(worldFromSnapshot(event, receivedAtMs, oneWayDelayMs));
    this.#world = next;
    this.#counts.applied++;
    return [{ event, firstOfEpoch, tookOver, world: next }, ...this.#drainHeld()];
  }

  #acceptChange(event: ChangeEvent): Applied[] {
    const world = this.#world;
    const sameEpoch = world !== null && world.stamp.epoch === event.hostEpoch;
    if (sameEpoch && event.version <= world.stamp.version) {
      this.#counts.stale++;
      return [];
    }
    if (sameEpoch && event.version === world.stamp.version + 1) {
      return [this.#apply(world, event), ...this.#drainHeld()];
    }
    // A gap, or this host's first snapshot has not arrived: wait for what comes before.
    if (!this.#held.some((held) => held.version === event.version)) {
      this.#held = [...this.#held, event].sort((a, b) => a.version - b.version);
      if (this.#held.length > MAX_HELD) this.#held = this.#held.slice(0, MAX_HELD);
      this.#counts.held++;
    }
    return [];
  }

  #drainHeld(): Applied[] {
    const applied: Applied[] = [];
    for (;;) {
      const world = this.#world;
      if (world === null || world.stamp.epoch !== this.#hostEpoch) return applied;
      this.#held = this.#held.filter((held) => held.version > world.stamp.version);
      const next = this.#held[0];
      if (next === undefined || next.version !== world.stamp.version + 1) return applied;
      this.#held = this.#held.slice(1);
      applied.push(this.#apply(world, next));
    }
  }

  #apply(world: WorldState, event: ChangeEvent): Applied {
    const next = this.#withoutDeparted(applyChange(world, event));
    this.#world = next;
    this.#counts.applied++;
    return { event, firstOfEpoch: false, tookOver: false, world: next };
  }

  #withoutDeparted(world: WorldState): WorldState {
    let kept = world;
    for (const peerId of this.#departed) kept = withoutPeer(kept, peerId);
    return kept;
  }
}
