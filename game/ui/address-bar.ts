/** The `?lobby=CODE` part of the address: how links join a lobby and how reload rejoins. */
import { joinPath } from "edgeplay/protocol";

const LOBBY_PARAM = "lobby";

/** The raw lobby parameter of the current address, if there is one. */
export function lobbyParam(): string | null {
  return new URLSearchParams(location.search).get(LOBBY_PARAM);
}

/** Shows the lobby in the address bar without a navigation, or removes it (null). */
export function showLobbyInAddress(code: string | null): void {
  const url = new URL(location.href);
  if (code === null) url.searchParams.delete(LOBBY_PARAM);
  else url.search = new URL(joinPath(code), location.origin).search;
  history.replaceState(history.state, "", url);
}

/** This page's own link to a lobby: the share link until the server's (on its advertised origin) is known. */
export function linkHere(code: string): string {
  return new URL(joinPath(code), location.origin).href;
}
