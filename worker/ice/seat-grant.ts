/**
 * ICE servers for one seat, minted at most at the rate the per-address TURN limit allows. A
 * seat the limit refuses gets STUN only for now and is asked about again after TURN_RETRY_MS
 * (the lobby's alarm refreshes it then, and the player receives `ice-servers`).
 */
import type { Env } from "../env.ts";
import { type IceEnv, readIceConfig } from "./config.ts";
import { grantIceServers, type IceGrant, refreshDueAt } from "./grant.ts";

/** How long a seat the TURN limit refused waits before its credentials are tried again. */
export const TURN_RETRY_MS = 60_000;

export interface SeatGrant {
  readonly grant: IceGrant;
  /** Epoch ms when the seat needs fresh credentials; null when nothing expires. */
  readonly refreshAt: number | null;
}

export type SeatGrantEnv = IceEnv & Pick<Env, "TURN_RATE_LIMITER">;

export async function mintSeatGrant(
  env: SeatGrantEnv,
  peerId: string,
  address: string,
  nowMs: number,
): Promise<SeatGrant> {
  const config = readIceConfig(env);
  if ((config.cloudflare !== null || config.coturn !== null) && !(await mayMint(env, address))) {
    const stun = config.stunUrls.length > 0 ? [{ urls: [...config.stunUrls] }] : [];
    return { grant: { iceServers: stun, expiresAt: null }, refreshAt: nowMs + TURN_RETRY_MS };
  }
  const grant = await grantIceServers(env, peerId, nowMs);
  const ttlMs = grant.expiresAt === null ? 0 : grant.expiresAt - nowMs;
  return { grant, refreshAt: refreshDueAt(grant.expiresAt, ttlMs) };
}

/** Whether the address is within its TURN budget. A limiter that fails says no: joining goes on. */
async function mayMint(env: SeatGrantEnv, address: string): Promise<boolean> {
  try {
    const { success } = await env.TURN_RATE_LIMITER.limit({ key: address });
    if (!success)
      console.warn("ice: TURN credential limit reached for an address; STUN only for now");
    return success;
  } catch (error) {
    console.error("ice: the TURN rate limiter failed; STUN only for now", error);
    return false;
  }
}
