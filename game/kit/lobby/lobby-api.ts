/** The lobby HTTP API (`/api/lobbies`), with every response body validated before use. */
import * as v from "valibot";
import {
  ApiErrorSchema,
  apiPaths,
  type CreatedLobby,
  CreatedLobbySchema,
  type CreateLobbyRequest,
  type DirectoryListing,
  DirectoryListingSchema,
  type LeaveLobbyRequest,
  type LobbyInfo,
  LobbyInfoSchema,
  type QuickJoinResult,
  QuickJoinResultSchema,
} from "../../../shared/api.ts";

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** HTTP status, or 0 when the server could not be reached at all. */
      readonly status: number;
      /** Machine-readable reason from the server, or a local one ("network", "bad-response"). */
      readonly error: string;
      readonly message: string;
    };

export function createLobby(request: CreateLobbyRequest): Promise<ApiResult<CreatedLobby>> {
  return requestJson(apiPaths.lobbies, postJson(request), CreatedLobbySchema);
}

/** How long the check behind a dropped socket waits for an answer before it stops counting. */
export const LOBBY_CHECK_TIMEOUT_MS = 3000;

export function getLobbyInfo(
  code: string,
  signal: AbortSignal | null = null,
): Promise<ApiResult<LobbyInfo>> {
  return requestJson(apiPaths.lobby(code), { method: "GET", signal }, LobbyInfoSchema);
}

/**
 * Whether the lobby still exists: false when the server says it is gone, null when it cannot
 * tell (no network, an error, or no answer within `timeoutMs`: a dead network must not stall
 * the reconnect behind a request that hangs).
 */
export async function lobbyExists(
  code: string,
  timeoutMs = LOBBY_CHECK_TIMEOUT_MS,
): Promise<boolean | null> {
  const info = await getLobbyInfo(code, AbortSignal.timeout(timeoutMs));
  if (info.ok) return true;
  return info.status === 404 ? false : null;
}

/** Public lobbies with a free seat, optionally of one game mode. */
export function listPublicLobbies(mode?: string): Promise<ApiResult<DirectoryListing>> {
  const query = mode === undefined ? "" : `?${new URLSearchParams({ mode })}`;
  return requestJson(`${apiPaths.lobbies}${query}`, { method: "GET" }, DirectoryListingSchema);
}

/** A seat in some public lobby of this mode; the server makes a lobby when none has room. */
export function quickJoin(mode: string): Promise<ApiResult<QuickJoinResult>> {
  return requestJson(apiPaths.quickJoin, postJson({ mode }), QuickJoinResultSchema);
}

/**
 * Gives up our seat through the HTTP API, for when the socket cannot carry `leave` (it is down,
 * or being replaced). `keepalive` lets the request finish while the page unloads (`pagehide`).
 * Best effort: a seat we fail to free is still released when its grace window ends.
 */
export async function leaveLobby(code: string, resumeToken: string): Promise<boolean> {
  const body: LeaveLobbyRequest = { resumeToken };
  try {
    const response = await fetch(apiPaths.leave(code), { ...postJson(body), keepalive: true });
    return response.ok;
  } catch {
    return false;
  }
}

function postJson(body: unknown): RequestInit {
  return {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  };
}

async function requestJson<T>(
  path: string,
  init: RequestInit,
  schema: v.GenericSchema<unknown, T>,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    // Asking for JSON keeps dev servers from answering unknown paths with index.html.
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return failure(
        0,
        "timeout",
        "The lobby server did not answer in time. Check your connection.",
      );
    }
    return failure(0, "network", "Could not reach the lobby server. Check your connection.");
  }
  const body = await readJson(response);
  if (response.status === 429) {
    return failure(429, "rate-limited", rateLimitedMessage(response.headers.get("retry-after")));
  }
  if (!response.ok) {
    const apiError = v.safeParse(ApiErrorSchema, body);
    if (apiError.success) {
      const { error, message } = apiError.output;
      return failure(response.status, error, playerMessageFor(error, message));
    }
    const message =
      response.status >= 500
        ? `The lobby server is unavailable right now (HTTP ${response.status}). Try again in a moment.`
        : `The lobby server gave an unexpected answer (HTTP ${response.status}). Reload the page and try again.`;
    return failure(response.status, "http", message);
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    return failure(response.status, "bad-response", "The lobby server sent an unexpected answer.");
  }
  return { ok: true, value: parsed.output };
}

/** Codes for a request the server could not read: our fault, not the player's. */
const REQUEST_FAULTS: ReadonlySet<string> = new Set(["invalid-request", "bad-json"]);

/**
 * The server's own sentence, except where it names a field for developers (a page from an
 * older build sending a request this server reads differently): the detail goes to the console.
 */
function playerMessageFor(error: string, serverMessage: string): string {
  if (!REQUEST_FAULTS.has(error)) return serverMessage;
  console.warn(`lobby server refused the request (${error}): ${serverMessage}`);
  return "The lobby server could not read this page's request. Reload the page (it may have been updated) and try again.";
}

function rateLimitedMessage(retryAfter: string | null): string {
  const seconds = Number(retryAfter);
  const wait =
    Number.isFinite(seconds) && seconds > 0 ? `about ${Math.ceil(seconds)} s` : "a minute";
  return `The lobby server is busy with too many requests from your network. Wait ${wait} and try again.`;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function failure(status: number, error: string, message: string): ApiResult<never> {
  return { ok: false, status, error, message };
}
