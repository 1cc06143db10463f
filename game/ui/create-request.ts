/** The create form's lobby settings, checked with the lobby's own rules before any request. */

import {
  type CreateLobbyRequest,
  GameModeSchema,
  LobbyNameSchema,
  MAX_LOBBY_NAME_CHARS,
  MAX_PLAYERS,
  MAX_ROUNDS,
  MaxPlayersSchema,
  MIN_PLAYERS,
  MIN_ROUNDS,
  RoundsSchema,
  type Visibility,
  type VoiceRange,
} from "edgeplay/protocol";
import * as v from "valibot";

export interface LobbySettingsInput {
  readonly lobbyName: string;
  readonly maxPlayers: number;
  readonly visibility: Visibility;
  readonly mode: string;
  readonly rounds: number;
  readonly voice: VoiceRange;
}

export type CreateRequestCheck =
  | { readonly ok: true; readonly request: CreateLobbyRequest }
  | { readonly ok: false; readonly message: string };

export function checkCreateRequest(input: LobbySettingsInput): CreateRequestCheck {
  const request: CreateLobbyRequest = { visibility: input.visibility, voice: input.voice };
  if (input.lobbyName.trim() !== "") {
    const name = v.safeParse(LobbyNameSchema, input.lobbyName);
    if (!name.success) {
      return {
        ok: false,
        message: `Lobby names are up to ${MAX_LOBBY_NAME_CHARS} characters of plain text (or leave it empty).`,
      };
    }
    request.name = name.output;
  }
  if (!v.is(MaxPlayersSchema, input.maxPlayers)) {
    return { ok: false, message: `Pick ${MIN_PLAYERS} to ${MAX_PLAYERS} players.` };
  }
  request.maxPlayers = input.maxPlayers;
  if (!v.is(GameModeSchema, input.mode)) return { ok: false, message: "Pick a game mode." };
  request.mode = input.mode;
  if (!v.is(RoundsSchema, input.rounds)) {
    return { ok: false, message: `Pick ${MIN_ROUNDS} to ${MAX_ROUNDS} rounds.` };
  }
  request.rounds = input.rounds;
  return { ok: true, request };
}
