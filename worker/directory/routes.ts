/** `GET /api/lobbies` and `POST /api/lobbies/quick-join`. */
import * as v from "valibot";
import { ApiErrorCode, QuickJoinRequestSchema, type QuickJoinResult } from "../../shared/api.ts";
import { DEFAULT_ROUNDS, MAX_PLAYERS } from "../../shared/limits.ts";
import { GameModeSchema } from "../../shared/protocol.ts";
import { type LobbyApi, modeProblem } from "../api-options.ts";
import type { Env } from "../env.ts";
import { apiError, invalidBody, json, readJsonBody } from "../http.ts";
import { createLobby } from "../lobbies.ts";
import { LISTING_CACHE_CONTROL, readListing } from "./listing.ts";
import { confirmFullestLobby, quickJoinPool } from "./quick-join.ts";

type ModeParam =
  | { readonly ok: true; readonly mode: string | null }
  | { readonly ok: false; readonly problem: string };

/** `?mode=` left out or empty lists every mode. */
function modeParam(url: URL, api: LobbyApi): ModeParam {
  const raw = url.searchParams.get("mode") ?? "";
  if (raw === "") return { ok: true, mode: null };
  if (!v.is(GameModeSchema, raw)) {
    return { ok: false, problem: "mode: lower-case words joined by dashes, e.g. arena" };
  }
  const problem = modeProblem(api, raw);
  return problem === null ? { ok: true, mode: raw } : { ok: false, problem };
}

export async function listLobbies(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  api: LobbyApi,
): Promise<Response> {
  const url = new URL(request.url);
  const param = modeParam(url, api);
  if (!param.ok) return apiError(400, ApiErrorCode.InvalidRequest, param.problem);
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
  api: LobbyApi,
  joinUrl: (code: string) => string,
  ctx?: ExecutionContext,
): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = v.safeParse(QuickJoinRequestSchema, body.value);
  if (!parsed.success) return invalidBody(parsed.issues);
  const mode = parsed.output.mode ?? api.defaultMode;
  const problem = modeProblem(api, mode);
  if (problem !== null) return apiError(400, ApiErrorCode.InvalidRequest, problem);
  const origin = new URL(request.url).origin;

  const listing = await readListing(env, origin, mode, ctx);
  const pool = await quickJoinPool(env, listing.lobbies, mode);
  const code = await confirmFullestLobby(env, pool, mode);
  if (code !== null) {
    const joined: QuickJoinResult = { code, joinUrl: joinUrl(code), created: false };
    return json(joined);
  }
  const created = await createLobby(
    env,
    {
      maxPlayers: MAX_PLAYERS,
      visibility: "public",
      mode,
      rounds: DEFAULT_ROUNDS,
      voice: "everyone",
    },
    joinUrl,
  );
  if (!created)
    return apiError(503, ApiErrorCode.NoFreeCode, "Could not find a free lobby code; try again.");
  const result: QuickJoinResult = { code: created.code, joinUrl: created.joinUrl, created: true };
  return json(result);
}
