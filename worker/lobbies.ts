/** Creating lobbies: shared by `POST /api/lobbies` and quick-join. */
import type { CreatedLobby } from "../shared/api.ts";
import type { LobbySettings } from "../shared/protocol.ts";
import type { Env } from "./env.ts";
import { newLobbyCode } from "./ids.ts";

/** 2^30 codes: a collision is rare, several in a row means something else is wrong. */
const CREATE_ATTEMPTS = 5;

/** Lobby settings as asked for: without a name, the lobby is named after its code. */
export type LobbyRequest = Omit<LobbySettings, "name"> & { readonly name?: string | undefined };

/** Claims a fresh code for a new lobby; null if no free code was found. */
export async function createLobby(
  env: Env,
  request: LobbyRequest,
  joinUrl: (code: string) => string,
): Promise<CreatedLobby | null> {
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const code = newLobbyCode();
    const settings: LobbySettings = { ...request, name: request.name ?? defaultLobbyName(code) };
    if (await env.LOBBY.getByName(code).create(code, settings)) {
      return { code, joinUrl: joinUrl(code), settings };
    }
  }
  return null;
}

/** A readable default name for a lobby nobody named. */
export function defaultLobbyName(code: string): string {
  return `Lobby ${code}`;
}
