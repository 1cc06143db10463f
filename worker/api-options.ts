/**
 * How a Worker mounts the lobby API (`handleLobbyApi`'s options), checked once: a mistake in
 * them is the host's, so it throws at the first request rather than answering players oddly.
 */
import * as v from "valibot";
import { DEFAULT_API_PREFIX, joinPath } from "../shared/api.ts";
import { DEFAULT_MODE } from "../shared/limits.ts";
import { GameModeSchema } from "../shared/protocol.ts";

export interface LobbyApiOptions {
  /** The path the API lives under, e.g. `/games/api`; no trailing slash. Default `/api`. */
  readonly pathPrefix?: string;
  /** The game modes lobbies may have. Left out: every well-formed mode. */
  readonly modes?: readonly string[];
  /** The mode of lobbies (and quick-joins) that name none. Default `arena`. */
  readonly defaultMode?: string;
  /** The page that joins a lobby, for `joinUrl` in answers. Default `ORIGIN/?lobby=CODE`. */
  readonly joinUrl?: (code: string, origin: string) => string;
}

export interface LobbyApi {
  readonly prefix: string;
  /** `PREFIX/lobbies/:code`, `…/ws`, `…/leave`. */
  readonly lobbyRoute: RegExp;
  readonly modes: ReadonlySet<string> | null;
  readonly defaultMode: string;
  readonly joinUrl: (code: string, origin: string) => string;
}

const PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

export function resolveLobbyApi(options: LobbyApiOptions = {}): LobbyApi {
  const prefix = options.pathPrefix ?? DEFAULT_API_PREFIX;
  if (!PREFIX.test(prefix)) {
    throw new RangeError(
      `pathPrefix must look like /api or /games/api, not ${JSON.stringify(prefix)}`,
    );
  }
  const modes = options.modes === undefined ? null : new Set(options.modes);
  for (const mode of modes ?? []) {
    if (!v.is(GameModeSchema, mode))
      throw new RangeError(`not a game mode: ${JSON.stringify(mode)}`);
  }
  const defaultMode = options.defaultMode ?? [...(modes ?? [DEFAULT_MODE])][0] ?? DEFAULT_MODE;
  if (!v.is(GameModeSchema, defaultMode) || (modes !== null && !modes.has(defaultMode))) {
    throw new RangeError(`defaultMode ${JSON.stringify(defaultMode)} is not one of the modes`);
  }
  return {
    prefix,
    lobbyRoute: new RegExp(`^${prefix.replaceAll(".", "\\.")}/lobbies/([^/]+)(?:/(ws|leave))?$`),
    modes,
    defaultMode,
    joinUrl: options.joinUrl ?? ((code, origin) => new URL(joinPath(code), origin).href),
  };
}

/** Why this server takes no lobbies of `mode`, for a 400; null when it does. */
export function modeProblem(api: LobbyApi, mode: string): string | null {
  if (api.modes === null || api.modes.has(mode)) return null;
  return `mode: not one of this server's modes (${[...api.modes].join(", ")})`;
}
