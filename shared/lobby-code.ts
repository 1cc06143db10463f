/**
 * Lobby codes: 6 symbols from Crockford's base32 (no I, L, O or U), 30 bits. Reading is
 * forgiving: case, spaces, dashes and the look-alikes O->0 and I/L->1 are normalized.
 */
export const LOBBY_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const LOBBY_CODE_LENGTH = 6;

const LOOK_ALIKES: Readonly<Record<string, string>> = { O: "0", I: "1", L: "1" };
const CANONICAL_CODE = new RegExp(`^[${LOBBY_CODE_ALPHABET}]{${LOBBY_CODE_LENGTH}}$`);

/** Turns what a person typed into a canonical code, or null when it cannot be one. */
export function normalizeLobbyCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[OIL]/g, (ch) => LOOK_ALIKES[ch] ?? ch);
  return CANONICAL_CODE.test(cleaned) ? cleaned : null;
}

export function isLobbyCode(value: string): boolean {
  return CANONICAL_CODE.test(value);
}

/** Builds a code from random bytes; 256 is a multiple of 32, so `byte % 32` stays uniform. */
export function lobbyCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < LOBBY_CODE_LENGTH) {
    throw new RangeError(`need ${LOBBY_CODE_LENGTH} random bytes, got ${bytes.length}`);
  }
  let code = "";
  for (let i = 0; i < LOBBY_CODE_LENGTH; i++) {
    code += LOBBY_CODE_ALPHABET[(bytes[i] ?? 0) % LOBBY_CODE_ALPHABET.length];
  }
  return code;
}
