/** The HTTP API under /api: request and response bodies, checked on both ends. */
import * as v from "valibot";
import { DEFAULT_ROUNDS, MAX_PLAYERS } from "./limits.ts";
import { isLobbyCode } from "./lobby-code.ts";
import {
  GameModeSchema,
  LobbyNameSchema,
  LobbyPhaseSchema,
  LobbySettingsSchema,
  MaxPlayersSchema,
  ResumeTokenSchema,
  RoundsSchema,
  VisibilitySchema,
  VoiceRangeSchema,
} from "./protocol.ts";

export const LobbyCodeSchema = v.pipe(v.string(), v.check(isLobbyCode, "not a lobby code"));

/** Body of `POST /api/lobbies`; every field may be left out (`mode`: the server's default mode). */
export const CreateLobbyRequestSchema = v.object({
  name: v.optional(LobbyNameSchema),
  maxPlayers: v.optional(MaxPlayersSchema, MAX_PLAYERS),
  visibility: v.optional(VisibilitySchema, "private"),
  mode: v.optional(GameModeSchema),
  rounds: v.optional(RoundsSchema, DEFAULT_ROUNDS),
  voice: v.optional(VoiceRangeSchema, "everyone"),
});
export type CreateLobbyRequest = v.InferInput<typeof CreateLobbyRequestSchema>;

/**
 * The page that joins a lobby directly, as an absolute URL on the origin the server advertises
 * (its `PUBLIC_ORIGIN` setting, else the origin the request came to): what a share link and
 * QR code should hold.
 */
export const JoinUrlSchema = v.pipe(v.string(), v.url());

/** 201 from `POST /api/lobbies`. */
export const CreatedLobbySchema = v.object({
  code: LobbyCodeSchema,
  joinUrl: JoinUrlSchema,
  settings: LobbySettingsSchema,
});
export type CreatedLobby = v.InferOutput<typeof CreatedLobbySchema>;

/** 200 from `GET /api/lobbies/:code`. */
export const LobbyInfoSchema = v.object({
  code: LobbyCodeSchema,
  name: v.string(),
  mode: v.string(),
  visibility: VisibilitySchema,
  phase: LobbyPhaseSchema,
  /** Seats taken, including players inside their reconnection grace window. */
  players: v.pipe(v.number(), v.integer(), v.minValue(0)),
  maxPlayers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  full: v.boolean(),
  joinUrl: JoinUrlSchema,
});
export type LobbyInfo = v.InferOutput<typeof LobbyInfoSchema>;
/** What a lobby says about itself; the API adds the join link, which depends on the request. */
export type LobbyStatus = Omit<LobbyInfo, "joinUrl">;

/** One public lobby in the directory. */
export const DirectoryEntrySchema = v.object({
  code: LobbyCodeSchema,
  name: v.string(),
  mode: v.string(),
  phase: LobbyPhaseSchema,
  players: v.pipe(v.number(), v.integer(), v.minValue(0)),
  maxPlayers: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Epoch ms of the lobby's last report. */
  updatedAt: v.number(),
});
export type DirectoryEntry = v.InferOutput<typeof DirectoryEntrySchema>;

/** 200 from `GET /api/lobbies[?mode=MODE]`: public lobbies that still have a free seat. */
export const DirectoryListingSchema = v.object({
  lobbies: v.array(DirectoryEntrySchema),
  /** Epoch ms when this listing was assembled (it may be served from a cache for a few seconds). */
  generatedAt: v.number(),
});
export type DirectoryListing = v.InferOutput<typeof DirectoryListingSchema>;

/** Body of `POST /api/lobbies/quick-join`; without `mode`, the server's default mode. */
export const QuickJoinRequestSchema = v.object({
  mode: v.optional(GameModeSchema),
});

/** 200 from `POST /api/lobbies/quick-join`. */
export const QuickJoinResultSchema = v.object({
  code: LobbyCodeSchema,
  joinUrl: JoinUrlSchema,
  /** True when no public lobby had a seat, so a new one was made. */
  created: v.boolean(),
});
export type QuickJoinResult = v.InferOutput<typeof QuickJoinResultSchema>;

/** Body of `POST /api/lobbies/:code/leave`: the seat of this resume token leaves the lobby. */
export const LeaveLobbyRequestSchema = v.object({
  resumeToken: ResumeTokenSchema,
});
export type LeaveLobbyRequest = v.InferOutput<typeof LeaveLobbyRequestSchema>;

/** The `error` of every non-2xx API answer (docs/protocol.md, section 3.1). */
export const ApiErrorCode = {
  BadJson: "bad-json",
  InvalidRequest: "invalid-request",
  OriginNotAllowed: "origin-not-allowed",
  LobbyNotFound: "lobby-not-found",
  SeatNotFound: "seat-not-found",
  NotFound: "not-found",
  MethodNotAllowed: "method-not-allowed",
  BodyTooLarge: "body-too-large",
  UpgradeRequired: "upgrade-required",
  RateLimited: "rate-limited",
  Internal: "internal",
  NoFreeCode: "no-free-code",
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/**
 * Body of every non-2xx API response. `error` is read as a free string, so a client keeps
 * working when a newer server adds a code.
 */
export const ApiErrorSchema = v.object({ error: v.string(), message: v.string() });
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;

/** Where the lobby API lives unless its host mounts it elsewhere (`handleLobbyApi`'s `pathPrefix`). */
export const DEFAULT_API_PREFIX = "/api";

/** The lobby API's paths under `prefix`. */
export function lobbyApiPaths(prefix: string = DEFAULT_API_PREFIX) {
  return {
    lobbies: `${prefix}/lobbies`,
    quickJoin: `${prefix}/lobbies/quick-join`,
    lobby: (code: string) => `${prefix}/lobbies/${code}`,
    socket: (code: string) => `${prefix}/lobbies/${code}/ws`,
    leave: (code: string) => `${prefix}/lobbies/${code}/leave`,
  } as const;
}

export const apiPaths = lobbyApiPaths();

/** The page that joins a lobby directly, relative to the site's origin. */
export function joinPath(code: string): string {
  return `/?lobby=${code}`;
}
