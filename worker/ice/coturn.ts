/**
 * Time-limited TURN credentials for coturn's `use-auth-secret` mode (the "TURN REST API"
 * scheme): username = `<expiry unix seconds>:<peer id>`, credential =
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC and refuses expired
 * usernames, so the secret itself never leaves the server.
 *
 * Pure WebCrypto, no Workers types: the end-to-end tests mint with it from Node too.
 */

export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
}

export async function mintCoturnCredential(
  secret: string,
  peerId: string,
  expiresAtMs: number,
): Promise<TurnCredential> {
  const username = `${Math.floor(expiresAtMs / 1000)}:${peerId}`;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(username));
  return { username, credential: toBase64(new Uint8Array(mac)) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
