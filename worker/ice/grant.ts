/**
 * The ICE servers one peer gets in `welcome` (and later in `ice-servers`): the configured
 * STUN URLs plus freshly minted TURN credentials. TURN comes from a Cloudflare TURN key when
 * one is configured, else from a coturn shared secret; when Cloudflare's API fails, the
 * coturn secret (if any) stands in, else the peer gets STUN only. Joining never fails
 * because of TURN (and waits on Cloudflare's API at most `CLOUDFLARE_TIMEOUT_MS`), and
 * nothing but the minted credential itself reaches the client.
 */
import type { IceServer } from "../../shared/protocol.ts";
import {
  CLOUDFLARE_MAX_TTL_SECONDS,
  CloudflareTurnError,
  fetchCloudflareIceServers,
} from "./cloudflare.ts";
import { type CoturnSecret, type IceEnv, readIceConfig } from "./config.ts";
import { mintCoturnCredential } from "./coturn.ts";

export interface IceGrant {
  readonly iceServers: IceServer[];
  /** Epoch ms when the TURN credentials expire; null when there are none. */
  readonly expiresAt: number | null;
}

export interface GrantOptions {
  /** How long to wait for Cloudflare's API before handing out what works without it. */
  readonly cloudflareTimeoutMs?: number;
}

/** A join waits on this at most: a slow TURN API must not make joining feel broken. */
export const CLOUDFLARE_TIMEOUT_MS = 3000;
/** Refresh when this share of a credential's lifetime has passed. */
export const REFRESH_AT_FRACTION = 0.8;

/** ICE servers for one peer: configured STUN URLs plus freshly minted TURN credentials. */
export async function grantIceServers(
  env: IceEnv,
  peerId: string,
  nowMs: number,
  options: GrantOptions = {},
): Promise<IceGrant> {
  const config = readIceConfig(env);
  for (const problem of config.problems) console.warn(`ice: ${problem}`);
  const stun: IceServer[] = config.stunUrls.length > 0 ? [{ urls: [...config.stunUrls] }] : [];

  if (config.cloudflare !== null) {
    const ttlSeconds = Math.min(config.ttlSeconds, CLOUDFLARE_MAX_TTL_SECONDS);
    try {
      const minted = await fetchCloudflareIceServers(
        config.cloudflare,
        ttlSeconds,
        options.cloudflareTimeoutMs ?? CLOUDFLARE_TIMEOUT_MS,
      );
      return { iceServers: [...stun, ...minted], expiresAt: nowMs + ttlSeconds * 1000 };
    } catch (error) {
      const fallback = config.coturn !== null ? "coturn credentials" : "STUN only";
      console.error(
        `ice: Cloudflare TURN unavailable (${describe(error)}); handing out ${fallback}`,
      );
    }
  }
  if (config.coturn !== null) {
    return grantCoturn(config.coturn, config.ttlSeconds, stun, peerId, nowMs);
  }
  return { iceServers: stun, expiresAt: null };
}

async function grantCoturn(
  coturn: CoturnSecret,
  ttlSeconds: number,
  stun: IceServer[],
  peerId: string,
  nowMs: number,
): Promise<IceGrant> {
  // coturn compares whole seconds, so the expiry we report is the one it enforces.
  const expiresAt = Math.floor((nowMs + ttlSeconds * 1000) / 1000) * 1000;
  const { username, credential } = await mintCoturnCredential(coturn.secret, peerId, expiresAt);
  return { iceServers: [...stun, { urls: [...coturn.urls], username, credential }], expiresAt };
}

/**
 * When to push fresh credentials: after `REFRESH_AT_FRACTION` of the lifetime `ttlMs`
 * (for a grant made at `nowMs`, `ttlMs = expiresAt - nowMs`), so peers that are still
 * gathering or restarting ICE never hold an expired credential. Null when nothing expires.
 */
export function refreshDueAt(expiresAt: number | null, ttlMs: number): number | null {
  if (expiresAt === null) return null;
  return expiresAt - Math.max(0, ttlMs) * (1 - REFRESH_AT_FRACTION);
}

function describe(error: unknown): string {
  // Our own messages are safe to log; anything else is reduced to its name.
  if (error instanceof CloudflareTurnError) return error.message;
  return error instanceof Error ? error.name : "unknown error";
}
