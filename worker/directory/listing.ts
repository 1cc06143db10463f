/**
 * Reading the directory: every shard is asked, the answers merged, and the result kept in
 * this colo's edge cache for a couple of seconds, so shards see reads per colo, not per player.
 */
import type { DirectoryEntry, DirectoryListing } from "../../shared/api.ts";
import type { Env } from "../env.ts";
import {
  type CachedListing,
  listingCacheKey,
  readCachedListing,
  writeCachedListing,
} from "./edge-cache.ts";
import {
  LISTING_CLIENT_MAX_AGE_SECONDS,
  LISTING_FRESH_MS,
  LISTING_LIMIT,
  LISTING_REFRESH_CLAIM_MS,
  LISTING_STALE_LIMIT_MS,
} from "./policy.ts";
import { allShards } from "./shards.ts";

export const LISTING_CACHE_CONTROL = `public, max-age=${LISTING_CLIENT_MAX_AGE_SECONDS}`;

/** Fullest first (closest to starting), then the most recently active, then by code. */
export function compareEntries(a: DirectoryEntry, b: DirectoryEntry): number {
  return b.players - a.players || b.updatedAt - a.updatedAt || a.code.localeCompare(b.code);
}

/**
 * One entry per lobby (the newest: after the shard count changes, a lobby can sit in its old
 * shard and its new one for a while), sorted and capped.
 */
export function mergeEntries(entries: readonly DirectoryEntry[], limit: number): DirectoryEntry[] {
  const newest = new Map<string, DirectoryEntry>();
  for (const entry of entries) {
    const known = newest.get(entry.code);
    if (!known || entry.updatedAt > known.updatedAt) newest.set(entry.code, entry);
  }
  return [...newest.values()].sort(compareEntries).slice(0, limit);
}

interface Gathered {
  readonly listing: DirectoryListing;
  /** False when a shard did not answer: such a listing is served but never cached. */
  readonly complete: boolean;
}

async function gatherFromShards(env: Env, mode: string | null): Promise<Gathered> {
  const answers = await Promise.allSettled(
    allShards(env).map((shard) => shard.list(mode, LISTING_LIMIT)),
  );
  const entries: DirectoryEntry[] = [];
  let complete = true;
  for (const answer of answers) {
    if (answer.status === "fulfilled") entries.push(...answer.value);
    else {
      complete = false;
      console.error("directory: a shard did not answer", answer.reason);
    }
  }
  return {
    listing: { lobbies: mergeEntries(entries, LISTING_LIMIT), generatedAt: Date.now() },
    complete,
  };
}

function isClaimed(cached: CachedListing, nowMs: number): boolean {
  return (
    cached.refreshClaimedAt !== null && nowMs - cached.refreshClaimedAt < LISTING_REFRESH_CLAIM_MS
  );
}

/** Reads the shards and, when every shard answered, replaces the colo's copy. */
async function refresh(env: Env, key: Request, mode: string | null): Promise<void> {
  const { listing, complete } = await gatherFromShards(env, mode);
  if (complete) await writeCachedListing(key, listing, Date.now());
}

/**
 * The listing for a mode (null: every mode). A fresh copy in this colo's cache is served as
 * is. A stale one (up to LISTING_STALE_LIMIT_MS) is served too, while the first request to
 * see it claims the refresh and reads the shards in the background, so a busy colo sends one
 * refresh per key, not a burst. Otherwise the shards are read now. Without `ctx` nothing is
 * refreshed in the background or written.
 */
export async function readListing(
  env: Env,
  origin: string,
  mode: string | null,
  ctx?: ExecutionContext,
): Promise<DirectoryListing> {
  const key = listingCacheKey(origin, mode);
  const cached = await readCachedListing(key);
  const nowMs = Date.now();
  const ageMs = cached ? nowMs - cached.listing.generatedAt : Number.POSITIVE_INFINITY;
  if (cached && ageMs < LISTING_FRESH_MS) return cached.listing;
  if (cached && ctx && ageMs < LISTING_STALE_LIMIT_MS) {
    if (!isClaimed(cached, nowMs)) {
      await writeCachedListing(key, cached.listing, nowMs, nowMs);
      ctx.waitUntil(refresh(env, key, mode));
    }
    return cached.listing;
  }
  const { listing, complete } = await gatherFromShards(env, mode);
  if (complete && ctx) ctx.waitUntil(writeCachedListing(key, listing, Date.now()));
  return listing;
}
