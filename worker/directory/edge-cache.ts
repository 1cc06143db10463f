/**
 * Listings in the colo's edge cache (the Workers Cache API: per data center, not replicated).
 * A cached listing carries its own age (`generatedAt`) and, while one request refreshes it,
 * the time that request claimed the refresh.
 */
import * as v from "valibot";
import { apiPaths, type DirectoryListing, DirectoryListingSchema } from "../../shared/api.ts";
import { LISTING_STALE_LIMIT_MS } from "./policy.ts";

const CLAIM_HEADER = "x-edgeplay-refresh-claimed-at";

export interface CachedListing {
  readonly listing: DirectoryListing;
  /** Epoch ms when a request took on refreshing this copy; null if none has. */
  readonly refreshClaimedAt: number | null;
}

/** One cache entry per mode (and one for all modes), whatever else the request's URL holds. */
export function listingCacheKey(origin: string, mode: string | null): Request {
  const url = new URL(apiPaths.lobbies, origin);
  if (mode !== null) url.searchParams.set("mode", mode);
  return new Request(url.href, { method: "GET" });
}

function claimTime(header: string | null): number | null {
  const value = Number(header ?? Number.NaN);
  return Number.isFinite(value) ? value : null;
}

/** A miss when nothing usable is there, or when this place has no cache (e.g. behind Access). */
export async function readCachedListing(key: Request): Promise<CachedListing | null> {
  try {
    const cached = await caches.default.match(key);
    if (!cached) return null;
    const parsed = v.safeParse(DirectoryListingSchema, await cached.json());
    if (!parsed.success) return null;
    return {
      listing: parsed.output,
      refreshClaimedAt: claimTime(cached.headers.get(CLAIM_HEADER)),
    };
  } catch (error) {
    console.error("directory: edge cache read failed", error);
    return null;
  }
}

/**
 * Stores a listing until it reaches the stale limit (by its `generatedAt`), so the cache
 * itself drops copies too old to serve. Never throws.
 */
export async function writeCachedListing(
  key: Request,
  listing: DirectoryListing,
  nowMs: number,
  refreshClaimedAt: number | null = null,
): Promise<void> {
  const lifeMs = listing.generatedAt + LISTING_STALE_LIMIT_MS - nowMs;
  if (lifeMs <= 0) return;
  const headers = new Headers({
    "content-type": "application/json; charset=utf-8",
    "cache-control": `public, max-age=${Math.max(1, Math.floor(lifeMs / 1000))}`,
  });
  if (refreshClaimedAt !== null) headers.set(CLAIM_HEADER, String(refreshClaimedAt));
  try {
    await caches.default.put(key, new Response(JSON.stringify(listing), { headers }));
  } catch (error) {
    console.error("directory: edge cache write failed", error);
  }
}
