/** `GET /api/lobbies` and `POST /api/lobbies/quick-join`. */
import * as v from "valibot";
import { ApiErrorCode, QuickJoinRequestSchema, type QuickJoinResult } from "../../shared/api.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import { GameModeSchema } from "../../shared/protocol.ts";
import type { Env } from "../env.ts";
import { apiError, invalidBody, json, readJsonBody } from "../http.ts";
import { createLobby, joinUrl } from "../lobbies.ts";
import { LISTING_CACHE_CONTROL, readListing } from "./listing.ts";
import { confirmFullestLobby, quickJoinPool } from "./quick-join.ts";

type ModeParam = { readonly ok: true; readonly mode: string | null } | { readonly ok: false };

/** `?mode=` left out or empty lists every mode. */
function modeParam(url: URL): ModeParam {
  const raw = url.searchParams.get("mode") ?? "";
  if (raw === "") return { ok: true, mode: null };
  const parsed = v.safeParse(GameModeSchema, raw);
  return parsed.success ? { ok: true, mode: parsed.output } : { ok: false };
}

export async function listLobbies(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
): Promise<Response> {
  const url = new URL(request.url);
  const param = modeParam(url);
  if (!param.ok) {
    return apiError(
      400,
      ApiErrorCode.InvalidRequest,
      "mode: lower-case words joined by dashes, e.g. arena",
    );
  }
  const listing = await readListing(env, url.origin, param.mode, ctx);
  return json(listing, 200, { "cache-control": LISTING_CACHE_CONTROL });
}

/**
 * Puts the player into the fullest public lobby of the mode that has a seat, or makes one.
 * With `ctx`, a listing read from the shards is also left in the edge cache.
 */
export async function quickJoin(
  request: Request,
  env: Env,
  ctx?: ExecutionContext,
): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = v.safeParse(QuickJoinRequestSchema, body.value);
  if (!parsed.success) return invalidBody(parsed.issues);
  const { mode } = parsed.output;
  const origin = new URL(request.url).origin;

  const listing = await readListing(env, origin, mode, ctx);
  const pool = await quickJoinPool(env, listing.lobbies, mode);
  const code = await confirmFullestLobby(env, pool, mode);
  if (code !== null) {
    const joined: QuickJoinResult = { code, joinUrl: joinUrl(code, origin), created: false };
    return json(joined);
  }
  const created = await createLobby(
    env,
    { maxPlayers: MAX_PLAYERS, visibility: "public", mode },
    origin,
  );
  if (!created)
    return apiError(503, ApiErrorCode.NoFreeCode, "Could not find a free lobby code; try again.");
  const result: QuickJoinResult = { code: created.code, joinUrl: created.joinUrl, created: true };
  return json(result);
}
