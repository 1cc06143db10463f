import { describe, expect, it } from "vitest";
import { iceServerUrls, toRtcIceServers } from "../../game/kit/mesh/ice-config.ts";

describe("ICE servers for peer connections", () => {
  it("copies the lobby's servers, leaving absent credentials out", () => {
    const servers = toRtcIceServers([
      { urls: "stun:stun.example:3478" },
      { urls: ["turn:turn.example:3478?transport=udp"], username: "u", credential: "c" },
    ]);
    expect(servers).toEqual([
      { urls: "stun:stun.example:3478" },
      { urls: ["turn:turn.example:3478?transport=udp"], username: "u", credential: "c" },
    ]);
    expect(Object.hasOwn(servers[0] ?? {}, "username")).toBe(false);
    expect(iceServerUrls(servers)).toEqual([
      "stun:stun.example:3478",
      "turn:turn.example:3478?transport=udp",
    ]);
  });
});
