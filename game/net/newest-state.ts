/**
 * Keeps only the newest state packet from one sender. The state channel is unordered and
 * unreliable, so packets can arrive late, twice or not at all; an older one is never news.
 */
import type { StatePacket } from "../../shared/wire.ts";

export class NewestState {
  #latest: StatePacket | null = null;
  #accepted = 0;
  #stale = 0;

  get latest(): StatePacket | null {
    return this.#latest;
  }

  /** Packets taken as the newest so far. */
  get accepted(): number {
    return this.#accepted;
  }

  /** Packets dropped because one with the same or a higher seq was already taken. */
  get stale(): number {
    return this.#stale;
  }

  /** Returns whether the packet became the newest state. */
  offer(packet: StatePacket): boolean {
    if (this.#latest !== null && packet.seq <= this.#latest.seq) {
      this.#stale++;
      return false;
    }
    this.#latest = packet;
    this.#accepted++;
    return true;
  }
}
