/** The directory's numbers, in one place so the code, the tests and docs/scaling.md agree. */

/** Most lobbies one listing shows, and most each shard returns for it. */
export const LISTING_LIMIT = 50;

/** A cached listing younger than this is served as is. */
export const LISTING_FRESH_MS = 2_000;

/**
 * A cached listing between fresh and this age is still served, while one request (the one
 * that claims the refresh) reads the shards in the background: a busy colo then sends one
 * refresh per key, not a burst of them, each time its copy goes stale. Older copies are
 * never served: the edge cache drops them.
 */
export const LISTING_STALE_LIMIT_MS = 4_000;

/** A refresh claim older than this is taken to have failed, and the next request claims again. */
export const LISTING_REFRESH_CLAIM_MS = 1_000;

/** What browsers (and any shared cache before the edge) may keep a listing for. */
export const LISTING_CLIENT_MAX_AGE_SECONDS = 1;

/**
 * A listed lobby must re-report at least this often, even when nothing changed: an entry is
 * a lease, and the lease is how the directory forgets lobbies that died without saying so.
 */
export const RENEW_INTERVAL_MS = 4 * 60_000;

/** An entry not refreshed for this long belongs to a lobby that is gone: it is dropped. */
export const ENTRY_TTL_MS = 10 * 60_000;

/**
 * An entry filed under another shard count (DIRECTORY_SHARDS changed since) stays visible
 * only this long: by then its lobby has re-reported to the shard it now belongs to.
 */
export const MOVED_ENTRY_TTL_MS = RENEW_INTERVAL_MS + 60_000;

/** How often a shard that holds entries sweeps out expired ones (an alarm, never a timer). */
export const SWEEP_INTERVAL_MS = 5 * 60_000;

/** How many of the best listed lobbies quick-join confirms (in parallel) before creating one. */
export const QUICK_JOIN_CANDIDATES = 4;
