/** Random identifiers, from the Workers runtime's CSPRNG. */
import { LOBBY_CODE_LENGTH, lobbyCodeFromBytes } from "../shared/lobby-code.ts";

const PEER_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PEER_ID_LENGTH = 10;

export function newLobbyCode(): string {
  return lobbyCodeFromBytes(crypto.getRandomValues(new Uint8Array(LOBBY_CODE_LENGTH)));
}

/** 60 random bits: unique within a lobby, and not guessable from another lobby. */
export function newPeerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(PEER_ID_LENGTH));
  let id = "";
  for (const byte of bytes) id += PEER_ID_ALPHABET[byte % PEER_ID_ALPHABET.length];
  return id;
}

/** 128 random bits, URL-safe: a resume token is a bearer secret for one seat. */
export function newResumeToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let token = "";
  for (const byte of bytes) token += byte.toString(16).padStart(2, "0");
  return token;
}
