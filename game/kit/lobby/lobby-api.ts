/**
 * The lobby service's HTTP API, for a client on any origin: create, look up, list, quick-join
 * and leave lobbies, and the address of a lobby's socket. Every answer is checked against its
 * schema in `edgeplay/protocol`; failures come back as codes a game can word as it likes.
 */
import * as v from "valibot";
import {
  ApiErrorSchema,
  type CreatedLobby,
  CreatedLobbySchema,
  type CreateLobbyRequest,
  DEFAULT_API_PREFIX,
  type DirectoryListing,
  DirectoryListingSchema,
  type LeaveLobbyRequest,
  type LobbyInfo,
  LobbyInfoSchema,
  lobbyApiPaths,
  type QuickJoinResult,
  QuickJoinResultSchema,
} from "../../../shared/api.ts";
import { RESUME_PEER_PARAM } from "../../../shared/protocol.ts";
import { globalFetch } from "../platform/platform.ts";

/**
 * Why a request failed, besides the server's own error codes (`lobby-not-found`,
 * `lobby-full`, ... from docs/protocol.md):
 * - `network`: the server could not be reached; `timeout`: it did not answer in time;
 * - `rate-limited`: HTTP 429 (see `retryAfterMs`);
 * - `http`: an error status without the API's error body (a proxy, an outage);
 * - `bad-response`: an answer that does not match its schema (another version of the server);
 * - `invalid-request`, `bad-json`: the server could not read the request (another version).
 */
export const ApiFailureCode = {
  Network: "network",
  Timeout: "timeout",
  RateLimited: "rate-limited",
  Http: "http",
  BadResponse: "bad-response",
} as const;
export type ApiFailureCode = (typeof ApiFailureCode)[keyof typeof ApiFailureCode];

export interface ApiFailure {
  readonly ok: false;
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  /** An `ApiFailureCode`, or the server's error code (`ApiErrorCode` in edgeplay/protocol). */
  readonly error: string;
  /** The server's own words, for developers (never meant for players). */
  readonly detail?: string;
  /** With `rate-limited`: how long the server asks us to wait, when it said. */
  readonly retryAfterMs?: number;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | ApiFailure;

/** How long the check behind a dropped socket waits for an answer before it stops counting. */
export const LOBBY_CHECK_TIMEOUT_MS = 3000;

export interface LobbyApiOptions {
  /** The service's origin (or any URL on it), e.g. `https://play.example.com`. */
  readonly server: string | URL;
  /** Where the API is mounted on that origin (default `/api`). */
  readonly apiPrefix?: string;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export class LobbyApi {
  readonly #origin: URL;
  readonly #paths: ReturnType<typeof lobbyApiPaths>;
  readonly #fetch: typeof fetch;

  constructor(options: LobbyApiOptions) {
    this.#origin = new URL(options.server);
    this.#paths = lobbyApiPaths(options.apiPrefix ?? DEFAULT_API_PREFIX);
    this.#fetch = options.fetch ?? globalFetch;
  }

  createLobby(request: CreateLobbyRequest): Promise<ApiResult<CreatedLobby>> {
    return this.#request(this.#paths.lobbies, postJson(request), CreatedLobbySchema);
  }

  getLobbyInfo(code: string, signal: AbortSignal | null = null): Promise<ApiResult<LobbyInfo>> {
    return this.#request(this.#paths.lobby(code), { method: "GET", signal }, LobbyInfoSchema);
  }

  /**
   * Whether the lobby still exists: false when the server says it is gone, null when it cannot
   * tell (no network, an error, or no answer within `timeoutMs`: a dead network must not stall
   * the reconnect behind a request that hangs).
   */
  async lobbyExists(code: string, timeoutMs = LOBBY_CHECK_TIMEOUT_MS): Promise<boolean | null> {
    const info = await this.getLobbyInfo(code, AbortSignal.timeout(timeoutMs));
    if (info.ok) return true;
    return info.status === 404 ? false : null;
  }

  /** Public lobbies with a free seat, optionally of one game mode. */
  listPublicLobbies(mode?: string): Promise<ApiResult<DirectoryListing>> {
    const query = mode === undefined ? "" : `?${new URLSearchParams({ mode })}`;
    return this.#request(
      `${this.#paths.lobbies}${query}`,
      { method: "GET" },
      DirectoryListingSchema,
    );
  }

  /** A seat in some public lobby of this mode; the server makes a lobby when none has room. */
  quickJoin(mode: string): Promise<ApiResult<QuickJoinResult>> {
    return this.#request(this.#paths.quickJoin, postJson({ mode }), QuickJoinResultSchema);
  }

  /**
   * Gives up our seat through the HTTP API, for when the socket cannot carry `leave` (it is
   * down, or being replaced). `keepalive` lets the request finish while a page unloads. Best
   * effort: a seat we fail to free is still released when its grace window ends.
   */
  async leaveLobby(code: string, resumeToken: string): Promise<boolean> {
    const body: LeaveLobbyRequest = { resumeToken };
    try {
      const response = await this.#fetch(this.#url(this.#paths.leave(code)), {
        ...postJson(body),
        keepalive: true,
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /**
   * The `ws:`/`wss:` address of a lobby's socket; to take a held seat back it names the seat's
   * peer id (never its token: that goes in `hello`).
   */
  socketUrl(code: string, seatPeerId: string | null = null): string {
    const url = this.#url(this.#paths.socket(code));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (seatPeerId !== null) url.searchParams.set(RESUME_PEER_PARAM, seatPeerId);
    return url.href;
  }

  #url(path: string): URL {
    return new URL(path, this.#origin);
  }

  async #request<T>(
    path: string,
    init: RequestInit,
    schema: v.GenericSchema<unknown, T>,
  ): Promise<ApiResult<T>> {
    let response: Response;
    try {
      // Asking for JSON keeps dev servers from answering unknown paths with index.html.
      const headers = new Headers(init.headers);
      headers.set("accept", "application/json");
      response = await this.#fetch(this.#url(path), { ...init, headers });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      return { ok: false, status: 0, error: timedOut ? "timeout" : "network" };
    }
    const body = await readJson(response);
    if (response.status === 429) {
      const retryAfterMs = retryAfter(response.headers.get("retry-after"));
      return {
        ok: false,
        status: 429,
        error: "rate-limited",
        ...(retryAfterMs === null ? {} : { retryAfterMs }),
      };
    }
    if (!response.ok) {
      const apiError = v.safeParse(ApiErrorSchema, body);
      if (!apiError.success) return { ok: false, status: response.status, error: "http" };
      const { error, message } = apiError.output;
      return { ok: false, status: response.status, error, detail: message };
    }
    const parsed = v.safeParse(schema, body);
    if (!parsed.success) return { ok: false, status: response.status, error: "bad-response" };
    return { ok: true, value: parsed.output };
  }
}

function postJson(body: unknown): RequestInit {
  return {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  };
}

function retryAfter(header: string | null): number | null {
  const seconds = Number(header);
  return header !== null && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
