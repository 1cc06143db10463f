/** The ICE servers the lobby hands out (STUN plus short-lived TURN credentials), for WebRTC. */
import type { IceServer } from "../../../shared/protocol.ts";

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
