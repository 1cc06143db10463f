/**
 * Who this peer has seen touching which pickup while it was active. Every peer keeps it, so a
 * peer that becomes host can check claims sent before it was host against what it saw then.
 *
 * "Ever touched while active" rather than "touching now": a claim travels on the reliable
 * channel while the claimant's position travels on the lossy one and is drawn ~100-250 ms late,
 * and a claim re-sent to a new host may arrive seconds after the touch.
 */
import type { PlacedAvatar } from "./overlap.ts";
import type { WorldPickup } from "./world-state.ts";

export class TouchLog {
  readonly #touched = new Map<number, Set<string>>();

  /**
   * Notes every avatar within `reach` of an active pickup, and forgets pickups that are no
   * longer active (a respawn comes with a new id, so its log starts empty).
   */
  record(pickups: readonly WorldPickup[], avatars: readonly PlacedAvatar[], reach: number): void {
    const active = new Set<number>();
    for (const pickup of pickups) {
      if (!pickup.active) continue;
      active.add(pickup.id);
      for (const avatar of avatars) {
        if (Math.hypot(avatar.x - pickup.x, avatar.y - pickup.y) > reach) continue;
        const peers = this.#touched.get(pickup.id) ?? new Set<string>();
        peers.add(avatar.id);
        this.#touched.set(pickup.id, peers);
      }
    }
    for (const id of this.#touched.keys()) {
      if (!active.has(id)) this.#touched.delete(id);
    }
  }

  has(pickupId: number, peerId: string): boolean {
    return this.#touched.get(pickupId)?.has(peerId) ?? false;
  }

  forgetPeer(peerId: string): void {
    for (const peers of this.#touched.values()) peers.delete(peerId);
  }

  clear(): void {
    this.#touched.clear();
  }
}
