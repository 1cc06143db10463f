/**
 * A developer switch: `?transport=edge` in the page address sends every pair's packets
 * through the edge relay (the lobby socket) and skips WebRTC entirely, so the relay path can
 * be tried and tested on a network where direct paths always work.
 */

export type TransportMode = "auto" | "edge";

const TRANSPORT_PARAM = "transport";

export function transportModeFromSearch(search: string): TransportMode {
  return new URLSearchParams(search).get(TRANSPORT_PARAM) === "edge" ? "edge" : "auto";
}
