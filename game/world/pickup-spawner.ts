/**
 * New pickups: a fresh id and a free spot. Ids are split by host epoch (64 blocks of 1024), so
 * hosts of nearby epochs never hand out the same id for different pickups: a peer that saw the
 * old host's pickup 1025 does not mistake the new host's first pickup for it, and a claim of the
 * old one cannot land on the new one. Blocks repeat every 64 epochs, and a block wraps after
 * 1024 spawns in one tenure; by then any claim of the earlier holder of an id is long decided.
 * A host also never hands out an id still on its field. What a pickup is worth is drawn here
 * too, by the host, and travels with it: every peer shows and counts the same value.
 */
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../sim/arena.ts";
import { discTouchesRect, KEEP_OUT_AREAS } from "../sim/scoreboard-area.ts";
import type { WorldConfig } from "./world-config.ts";
import type { WorldPickup } from "./world-state.ts";

/** 64 epoch blocks of 1024 ids fill the wire's 16-bit pickup id exactly. */
const EPOCH_BLOCKS = 64;
const IDS_PER_EPOCH = 1024;
/** Tries for a spot away from the other pickups before taking the last one anyway. */
const PLACEMENT_TRIES = 8;
/** Draws for a spot clear of the scoreboard and banner; they cover ~20% of the arena. */
const VISIBLE_SPOT_DRAWS = 64;

export class PickupSpawner {
  readonly #firstId: number;
  readonly #config: WorldConfig;
  readonly #random: () => number;
  #next = 0;

  /** `random` returns values in [0, 1); tests pass a seeded one. */
  constructor(epoch: number, config: WorldConfig, random: () => number) {
    this.#firstId = (epoch % EPOCH_BLOCKS) * IDS_PER_EPOCH;
    this.#config = config;
    this.#random = random;
  }

  /**
   * A new active pickup whose id is not in `present` and whose spot keeps clear of them; one in
   * `1 / starChance` is a star worth `starValue`.
   */
  spawn(present: readonly WorldPickup[]): WorldPickup {
    const id = this.#takeId(present);
    const spot = this.#place(present);
    const { starChance, starValue } = this.#config;
    const value = this.#random() < starChance ? starValue : 1;
    return { id, ...spot, value, active: true };
  }

  #takeId(present: readonly WorldPickup[]): number {
    const used = new Set(present.map((pickup) => pickup.id));
    // The block wraps after 1024 spawns in one host's tenure (many rounds); the touch log of a
    // reused id starts afresh, since it forgets ids that leave the field.
    for (let tries = 0; tries < IDS_PER_EPOCH; tries++) {
      const id = this.#firstId + (this.#next % IDS_PER_EPOCH);
      this.#next++;
      if (!used.has(id)) return id;
    }
    throw new RangeError("no free pickup id");
  }

  #place(present: readonly WorldPickup[]): { x: number; y: number } {
    // Far enough from each other that one avatar cannot touch two pickups at once.
    const spacing = 2 * (this.#config.pickupRadius + AVATAR_RADIUS);
    const margin = this.#config.pickupRadius + AVATAR_RADIUS;
    let spot = { x: margin, y: margin };
    for (let tries = 0; tries < PLACEMENT_TRIES; tries++) {
      spot = this.#visibleSpot(margin);
      const clear = present.every(
        (other) => !other.active || Math.hypot(other.x - spot.x, other.y - spot.y) >= spacing,
      );
      if (clear) break;
    }
    return spot;
  }

  /** A random spot whose pickup is not hidden under the scoreboard or the banner. */
  #visibleSpot(margin: number): { x: number; y: number } {
    for (let draw = 0; draw < VISIBLE_SPOT_DRAWS; draw++) {
      const spot = {
        x: Math.round(margin + this.#random() * (ARENA_WIDTH - 2 * margin)),
        y: Math.round(margin + this.#random() * (ARENA_HEIGHT - 2 * margin)),
      };
      const radius = this.#config.pickupRadius;
      if (!KEEP_OUT_AREAS.some((area) => discTouchesRect(spot.x, spot.y, radius, area)))
        return spot;
    }
    // Only a broken random source gets here; the lower left corner is always clear of both.
    return { x: margin, y: ARENA_HEIGHT - margin };
  }
}
