/**
 * ICE settings for the peer connections: the servers the lobby hands out (STUN plus
 * short-lived TURN credentials) and a developer switch, `?ice=relay` in the page address,
 * that allows relayed (TURN) paths only, to test them on a network where direct paths work.
 */
import type { IceServer } from "../../../shared/protocol.ts";

const ICE_PARAM = "ice";

/** `relay` when the page address asks for TURN-only paths, else `all`. */
export function iceTransportPolicyFromSearch(search: string): RTCIceTransportPolicy {
  return new URLSearchParams(search).get(ICE_PARAM) === "relay" ? "relay" : "all";
}

/** The lobby's validated servers as RTCIceServer objects (fresh arrays, optional fields left out). */
export function toRtcIceServers(servers: readonly IceServer[]): RTCIceServer[] {
  return servers.map((server) => {
    const rtc: RTCIceServer = {
      urls: typeof server.urls === "string" ? server.urls : [...server.urls],
    };
    if (server.username !== undefined) rtc.username = server.username;
    if (server.credential !== undefined) rtc.credential = server.credential;
    return rtc;
  });
}

/** Every URL of the servers, for the debug snapshot (never the credentials). */
export function iceServerUrls(servers: readonly RTCIceServer[]): string[] {
  return servers.flatMap((server) =>
    typeof server.urls === "string" ? [server.urls] : server.urls,
  );
}
