/** The HTTP API under /api: request paths and response bodies, checked on both ends. */
import * as v from "valibot";
import { isLobbyCode } from "./lobby-code.ts";

export const LobbyCodeSchema = v.pipe(v.string(), v.check(isLobbyCode, "not a lobby code"));

/** 201 from `POST /api/lobbies`. */
export const CreatedLobbySchema = v.object({
  code: LobbyCodeSchema,
  /** Open this page to join directly. */
  joinUrl: v.string(),
});
export type CreatedLobby = v.InferOutput<typeof CreatedLobbySchema>;

/** 200 from `GET /api/lobbies/:code`. */
export const LobbyInfoSchema = v.object({
  code: LobbyCodeSchema,
  players: v.pipe(v.number(), v.integer(), v.minValue(0)),
  maxPlayers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  full: v.boolean(),
});
export type LobbyInfo = v.InferOutput<typeof LobbyInfoSchema>;

/** Body of every non-2xx API response. */
export const ApiErrorSchema = v.object({ error: v.string(), message: v.string() });
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;

export const apiPaths = {
  lobbies: "/api/lobbies",
  lobby: (code: string) => `/api/lobbies/${code}`,
  socket: (code: string) => `/api/lobbies/${code}/ws`,
} as const;

/** The page that joins a lobby directly, relative to the site's origin. */
export function joinPath(code: string): string {
  return `/?lobby=${code}`;
}
