/**
 * ICE server URLs (RFC 7064 `stun:`/`stuns:`, RFC 7065 `turn:`/`turns:`). A URL a browser
 * cannot parse makes `new RTCPeerConnection()` throw, so nothing unchecked reaches a client.
 */

const ICE_URL =
  /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(\?transport=(?:udp|tcp))?$/;

interface ParsedIceUrl {
  readonly scheme: "stun" | "stuns" | "turn" | "turns";
  readonly port: number | null;
}

export function parseIceUrl(url: string): ParsedIceUrl | null {
  const match = ICE_URL.exec(url);
  if (!match) return null;
  const scheme = match[1];
  if (scheme !== "stun" && scheme !== "stuns" && scheme !== "turn" && scheme !== "turns") {
    return null;
  }
  // RFC 7064 has no query for STUN URLs; only TURN takes `?transport=`.
  if (match[4] !== undefined && !scheme.startsWith("turn")) return null;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  return { scheme, port };
}

export function isStunUrl(url: string): boolean {
  return parseIceUrl(url)?.scheme.startsWith("stun") === true;
}

export function isTurnUrl(url: string): boolean {
  return parseIceUrl(url)?.scheme.startsWith("turn") === true;
}
