/** The /api routes. Lobby state lives in the Lobby objects; this layer only routes. */
import { type CreatedLobby, joinPath } from "../shared/api.ts";
import { normalizeLobbyCode } from "../shared/lobby-code.ts";
import type { Env } from "./env.ts";
import { apiError, json } from "./http.ts";
import { newLobbyCode } from "./ids.ts";

/** 2^30 codes: a collision is rare, several in a row means something else is wrong. */
const CREATE_ATTEMPTS = 5;

const LOBBY_ROUTE = /^\/api\/lobbies\/([^/]+)(\/ws)?$/;

export async function handleApi(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/api/lobbies") {
    if (request.method !== "POST") return methodNotAllowed("POST");
    return createLobby(url, env);
  }
  const match = LOBBY_ROUTE.exec(url.pathname);
  if (!match) return apiError(404, "not-found", "No such API endpoint.");
  // Codes are plain ASCII, so a percent-encoded segment can never be one: no decoding needed.
  const code = normalizeLobbyCode(match[1] ?? "");
  if (match[2]) return openSocket(request, code, env);
  if (request.method !== "GET") return methodNotAllowed("GET");
  return lobbyInfo(code, env);
}

async function createLobby(url: URL, env: Env): Promise<Response> {
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const code = newLobbyCode();
    if (await env.LOBBY.getByName(code).create(code)) {
      const body: CreatedLobby = { code, joinUrl: new URL(joinPath(code), url.origin).href };
      return json(body, 201);
    }
  }
  return apiError(503, "no-free-code", "Could not find a free lobby code; try again.");
}

async function lobbyInfo(code: string | null, env: Env): Promise<Response> {
  const info = code ? await env.LOBBY.getByName(code).info() : null;
  if (!info) return lobbyNotFound();
  return json(info);
}

async function openSocket(request: Request, code: string | null, env: Env): Promise<Response> {
  if (request.method !== "GET") return methodNotAllowed("GET");
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return apiError(426, "upgrade-required", "Open this endpoint as a WebSocket.");
  }
  if (!code) return lobbyNotFound();
  return env.LOBBY.getByName(code).fetch(request);
}

function lobbyNotFound(): Response {
  return apiError(404, "lobby-not-found", "No lobby with that code.");
}

function methodNotAllowed(allowed: string): Response {
  const response = apiError(405, "method-not-allowed", `Use ${allowed}.`);
  response.headers.set("allow", allowed);
  return response;
}
