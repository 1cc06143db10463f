/**
 * What the join box accepts: a lobby code as people type it (any case, spaces, dashes), or a
 * whole share link pasted in, from which the code is taken. Pure.
 */
import { normalizeLobbyCode } from "edgeplay/protocol";

/** Where a share link can carry the code: `?lobby=CODE`, else `#CODE` or the last path segment. */
const LOBBY_PARAM = "lobby";

/** The lobby code in what was typed or pasted, or null when there is none. */
export function codeFromJoinInput(input: string): string | null {
  const typed = normalizeLobbyCode(input);
  if (typed !== null) return typed;
  for (const word of input.trim().split(/\s+/)) {
    const url = parseLink(word);
    if (url === null) continue;
    const code = codeInLink(url);
    if (code !== null) return code;
  }
  return null;
}

function codeInLink(url: URL): string | null {
  const param = url.searchParams.get(LOBBY_PARAM);
  if (param !== null) return normalizeLobbyCode(param);
  const hash = normalizeLobbyCode(url.hash.slice(1));
  if (hash !== null) return hash;
  const lastSegment = url.pathname.split("/").findLast((segment) => segment !== "");
  return lastSegment === undefined ? null : normalizeLobbyCode(lastSegment);
}

/** A link with or without its scheme (`play.example.com/?lobby=…` is pasted too). */
function parseLink(word: string): URL | null {
  if (!word.includes("/") && !word.includes("?") && !word.includes("#")) return null;
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(word) ? word : `http://${word}`;
  return URL.canParse(withScheme) ? new URL(withScheme) : null;
}
