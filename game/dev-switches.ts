/**
 * Developer switches in the page address, read once when the page loads and handed to the
 * kit as options (the kit itself never reads the address):
 * - `?ice=relay`: TURN paths only, to test them on a network where direct paths work;
 * - `?transport=edge`: every pair through the edge relay, no WebRTC at all;
 * - `?state=reliable`: the avatar stream on the reliable channel (for `bench/stall.ts`).
 */
import type { ConnectOptions } from "edgeplay/client";

export type DevSwitches = Required<
  Pick<ConnectOptions, "iceTransportPolicy" | "transport" | "streamsOverReliable">
>;

export function devSwitchesFromSearch(search: string): DevSwitches {
  const params = new URLSearchParams(search);
  return {
    iceTransportPolicy: params.get("ice") === "relay" ? "relay" : "all",
    transport: params.get("transport") === "edge" ? "edge" : "auto",
    streamsOverReliable: params.get("state") === "reliable",
  };
}
