/**
 * The lobby API (`/api` by default): create, look up, list, quick-join, socket, leave. Lobby
 * state lives in the Lobby objects, listings in the Directory shards. `handleLobbyApi` is what
 * a Worker mounts (this repository's own app is worker/index.ts).
 */
import * as v from "valibot";
import {
  ApiErrorCode,
  CreateLobbyRequestSchema,
  LeaveLobbyRequestSchema,
  type LobbyInfo,
} from "../shared/api.ts";
import { CloseCode } from "../shared/codes.ts";
import { normalizeLobbyCode } from "../shared/lobby-code.ts";
import {
  type LobbyApi,
  type LobbyApiOptions,
  modeProblem,
  resolveLobbyApi,
} from "./api-options.ts";
import { clientAddress } from "./client-address.ts";
import { corsHeaders, preflight, withCors } from "./cors.ts";
import { listLobbies, quickJoin } from "./directory/routes.ts";
import type { Env } from "./env.ts";
import { apiError, invalidBody, json, NO_SUCH_LOBBY, readJsonBody, refusedSocket } from "./http.ts";
import { createLobby } from "./lobbies.ts";
import { readSettings } from "./settings.ts";

/** Each set of options once: a Worker passes the same options object on every request. */
const resolved = new WeakMap<LobbyApiOptions, LobbyApi>();
const DEFAULTS: LobbyApiOptions = {};

/**
 * Answers a request under the API's path prefix; null for any other path, which the mounting
 * Worker answers itself. Unexpected failures become a JSON 500 without internals.
 */
export async function handleLobbyApi(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  options: LobbyApiOptions = DEFAULTS,
): Promise<Response | null> {
  let api = resolved.get(options);
  if (!api) {
    api = resolveLobbyApi(options);
    resolved.set(options, api);
  }
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${api.prefix}/`)) return null;
  const origin = request.headers.get("Origin");
  const { allowedOrigins } = readSettings(env);
  if (request.method === "OPTIONS") return preflight(origin, allowedOrigins);
  const cors = corsHeaders(origin, allowedOrigins);
  try {
    return withCors(await route(request, url, env, ctx, api), cors);
  } catch (error) {
    console.error("api: request failed", error);
    return withCors(
      apiError(500, ApiErrorCode.Internal, "The server hit an error; nothing was changed."),
      cors,
    );
  }
}

async function route(
  request: Request,
  url: URL,
  env: Env,
  ctx: ExecutionContext,
  api: LobbyApi,
): Promise<Response> {
  const match = api.lobbyRoute.exec(url.pathname);
  // Sockets have their own per-address budget (openSocket); everything else shares one.
  if (match?.[2] !== "ws" && !(await withinRateLimit(request, env))) {
    const response = apiError(
      429,
      ApiErrorCode.RateLimited,
      "Too many requests; wait a minute and retry.",
    );
    response.headers.set("retry-after", "60");
    return response;
  }
  const joinUrl = joinUrlFor(url, env, api);
  if (url.pathname === `${api.prefix}/lobbies`) {
    if (request.method === "POST") return create(request, env, api, joinUrl);
    if (request.method === "GET") return listLobbies(request, env, ctx, api);
    return methodNotAllowed("GET, POST");
  }
  if (url.pathname === `${api.prefix}/lobbies/quick-join`) {
    if (request.method !== "POST") return methodNotAllowed("POST");
    return quickJoin(request, env, api, joinUrl, ctx);
  }
  if (!match) return apiError(404, ApiErrorCode.NotFound, "No such API endpoint.");
  // Codes are plain ASCII, so a percent-encoded segment can never be one: no decoding needed.
  const code = normalizeLobbyCode(match[1] ?? "");
  if (match[2] === "ws") return openSocket(request, code, env);
  if (match[2] === "leave") return leaveLobby(request, code, env);
  if (request.method !== "GET") return methodNotAllowed("GET");
  return lobbyInfo(code, env, joinUrl);
}

/**
 * Join links on the origin the deployment advertises (`PUBLIC_ORIGIN`: a LAN address while the
 * page is open on 127.0.0.1), else on the origin this request came to.
 */
function joinUrlFor(url: URL, env: Env, api: LobbyApi): (code: string) => string {
  const origin = readSettings(env).publicOrigin ?? url.origin;
  return (code) => api.joinUrl(code, origin);
}

async function withinRateLimit(request: Request, env: Env): Promise<boolean> {
  const { success } = await env.API_RATE_LIMITER.limit({ key: clientAddress(request) });
  return success;
}

async function create(
  request: Request,
  env: Env,
  api: LobbyApi,
  joinUrl: (code: string) => string,
): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = v.safeParse(CreateLobbyRequestSchema, body.value);
  if (!parsed.success) return invalidBody(parsed.issues);
  const mode = parsed.output.mode ?? api.defaultMode;
  const problem = modeProblem(api, mode);
  if (problem !== null) return apiError(400, ApiErrorCode.InvalidRequest, problem);
  const created = await createLobby(env, { ...parsed.output, mode }, joinUrl);
  if (!created)
    return apiError(503, ApiErrorCode.NoFreeCode, "Could not find a free lobby code; try again.");
  return json(created, 201);
}

async function lobbyInfo(
  code: string | null,
  env: Env,
  joinUrl: (code: string) => string,
): Promise<Response> {
  const status = code ? await env.LOBBY.getByName(code).info() : null;
  if (!status) return lobbyNotFound();
  const info: LobbyInfo = { ...status, joinUrl: joinUrl(status.code) };
  return json(info);
}

async function openSocket(request: Request, code: string | null, env: Env): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return apiError(426, ApiErrorCode.UpgradeRequired, "Open this endpoint as a WebSocket.");
  }
  if (!originAllowed(request, env)) {
    return apiError(403, ApiErrorCode.OriginNotAllowed, "This site may not open lobby sockets.");
  }
  if (!code) return refusedSocket(CloseCode.LobbyNotFound, NO_SUCH_LOBBY);
  // Before the lobby is even addressed: each upgrade wakes a Durable Object.
  const { success } = await env.SOCKET_RATE_LIMITER.limit({ key: clientAddress(request) });
  if (!success) {
    return refusedSocket(
      CloseCode.TryAgainLater,
      "Too many connections from your address; wait a few seconds.",
    );
  }
  return env.LOBBY.getByName(code).fetch(request);
}

/**
 * A player gives up their seat without a socket (theirs is down, or the page is closing):
 * the same as `leave` on the socket. The resume token is the proof of whose seat it is.
 */
async function leaveLobby(request: Request, code: string | null, env: Env): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed("POST");
  // Like sockets: only pages of this game may act for a player.
  if (!originAllowed(request, env)) {
    return apiError(
      403,
      ApiErrorCode.OriginNotAllowed,
      "This site may not leave lobbies for a player.",
    );
  }
  if (!code) return lobbyNotFound();
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = v.safeParse(LeaveLobbyRequestSchema, body.value);
  if (!parsed.success) return invalidBody(parsed.issues);
  switch (await env.LOBBY.getByName(code).leaveByToken(parsed.output.resumeToken)) {
    case "left":
      return new Response(null, { status: 204 });
    case "no-lobby":
      return lobbyNotFound();
    case "no-seat":
      return apiError(
        404,
        ApiErrorCode.SeatNotFound,
        "No seat in this lobby holds that resume token.",
      );
  }
}

function originAllowed(request: Request, env: Env): boolean {
  const { allowedOrigins } = readSettings(env);
  if (allowedOrigins.length === 0) return true;
  const origin = request.headers.get("Origin");
  return origin !== null && allowedOrigins.includes(origin);
}

function lobbyNotFound(): Response {
  return apiError(404, ApiErrorCode.LobbyNotFound, NO_SUCH_LOBBY);
}

function methodNotAllowed(allowed: string): Response {
  const response = apiError(405, ApiErrorCode.MethodNotAllowed, `Use ${allowed}.`);
  response.headers.set("allow", allowed);
  return response;
}
