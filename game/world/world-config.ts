/** The shared world's tunables. One object, so a test or a game mode can change any of them. */
import { MAX_PICKUP_VALUE, MAX_PICKUPS, MAX_ROUND_MS } from "./events-wire.ts";

export interface WorldConfig {
  /** Pickups on the field at once (active plus those waiting to respawn). */
  readonly pickupCount: number;
  /** World units; an avatar touches a pickup when their discs overlap. */
  readonly pickupRadius: number;
  /** How long a claimed pickup stays away before a new one (new id) appears. */
  readonly respawnMs: number;
  /** The 3-2-1 before each round; 0 starts rounds at once. */
  readonly countdownMs: number;
  readonly roundMs: number;
  /** How long each round's results show before the next countdown (or the podium). */
  readonly resultsMs: number;
  /** The chance that a new pickup is a star, worth `starValue` points instead of 1. */
  readonly starChance: number;
  readonly starValue: number;
  /** The host re-sends the whole world this often, which heals anything a peer missed. */
  readonly snapshotIntervalMs: number;
  /**
   * A claim still unanswered while its player keeps touching the pickup is sent again this
   * often (an answer can be lost with a host that leaves, or a claim with a renewed channel).
   */
  readonly claimRetryMs: number;
  /**
   * How long the host holds a claim it cannot grant yet before deciding it: one whose claimant
   * it has not yet drawn at the pickup, rather than refusing it `not-touched` at once.
   */
  readonly claimWaitMs: number;
  /**
   * A new host holds fresh claims of the pickups it inherited until every player has handed over
   * what it may have missed (`handover-done`), or this long after its promotion at most: the
   * bound for a player whose path to it is broken.
   */
  readonly handoverWaitMs: number;
  /**
   * Extra reach the host allows when it checks a claim against its own view of the claimant.
   * That view runs up to ~250 ms behind (interpolation delay), which is ~65 units at top speed.
   */
  readonly touchSlack: number;
}

export const DEFAULT_WORLD_CONFIG: WorldConfig = {
  pickupCount: 5,
  pickupRadius: 12,
  respawnMs: 3_000,
  countdownMs: 3_000,
  roundMs: 60_000,
  resultsMs: 6_000,
  starChance: 1 / 6,
  starValue: 3,
  snapshotIntervalMs: 5_000,
  claimRetryMs: 1_000,
  claimWaitMs: 500,
  handoverWaitMs: 2_000,
  touchSlack: 64,
};

/** The defaults with `overrides` applied; throws a RangeError for values the wire cannot carry. */
export function worldConfig(overrides: Partial<WorldConfig> = {}): WorldConfig {
  const config: WorldConfig = { ...DEFAULT_WORLD_CONFIG, ...overrides };
  const positive = [
    config.pickupRadius,
    config.respawnMs,
    config.roundMs,
    config.snapshotIntervalMs,
    config.claimRetryMs,
  ];
  if (!positive.every((value) => Number.isFinite(value) && value > 0)) {
    throw new RangeError("world config: radii and durations must be positive");
  }
  if (!(Number.isInteger(config.pickupCount) && config.pickupCount >= 1)) {
    throw new RangeError("world config: pickupCount must be a whole number of at least 1");
  }
  // Waiting pickups travel in the snapshot too, so the count is bounded by the wire's list.
  if (config.pickupCount > MAX_PICKUPS) {
    throw new RangeError(`world config: at most ${MAX_PICKUPS} pickups fit in a snapshot`);
  }
  const stages = [config.countdownMs, config.roundMs, config.resultsMs];
  if (!stages.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= MAX_ROUND_MS)) {
    throw new RangeError(`world config: countdown, round and results last 0..${MAX_ROUND_MS} ms`);
  }
  if (!(config.starChance >= 0 && config.starChance <= 1)) {
    throw new RangeError("world config: starChance is a probability, 0..1");
  }
  if (!(Number.isInteger(config.starValue) && config.starValue >= 1)) {
    throw new RangeError("world config: starValue must be a whole number of points");
  }
  if (config.starValue > MAX_PICKUP_VALUE) {
    throw new RangeError(`world config: a pickup is worth at most ${MAX_PICKUP_VALUE} points`);
  }
  if (!(config.touchSlack >= 0)) throw new RangeError("world config: touchSlack must be >= 0");
  if (!(config.claimWaitMs >= 0)) throw new RangeError("world config: claimWaitMs must be >= 0");
  if (!(config.handoverWaitMs >= 0)) {
    throw new RangeError("world config: handoverWaitMs must be >= 0");
  }
  return config;
}
