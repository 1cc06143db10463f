import { describe, expect, it } from "vitest";
import { channelOfPacket } from "../../game/kit/mesh/transport.ts";
import { transportModeFromSearch } from "../../game/kit/mesh/transport-mode.ts";
import { encodeStateChannelPacket } from "../../game/kit/wire/state-channel.ts";
import { encodeEvent } from "../../game/world/events-wire.ts";

describe("telling relayed packets apart", () => {
  it("puts state, ping and pong on the state channel and events on the events channel", () => {
    const state = encodeStateChannelPacket({
      kind: "state",
      seq: 1,
      tick: 2,
      x: 10,
      y: 20,
      vx: 0,
      vy: 0,
    });
    expect(channelOfPacket(state)).toBe("state");
    expect(channelOfPacket(encodeStateChannelPacket({ kind: "ping", id: 1, sentAt: 5 }))).toBe(
      "state",
    );
    const pong = encodeStateChannelPacket({
      kind: "pong",
      id: 1,
      pingSentAt: 5,
      receivedAt: 6,
      sentAt: 7,
    });
    expect(channelOfPacket(pong)).toBe("state");
    const event = encodeEvent({
      type: "score",
      hostEpoch: 1,
      version: 9,
      tick: 9,
      peerId: "K83fZr_-KI",
      score: 3,
    });
    expect(channelOfPacket(event)).toBe("events");
  });
});

describe("?transport=edge", () => {
  it("forces the edge relay only when asked exactly", () => {
    expect(transportModeFromSearch("?transport=edge")).toBe("edge");
    expect(transportModeFromSearch("?lobby=ABC234&transport=edge")).toBe("edge");
    expect(transportModeFromSearch("")).toBe("auto");
    expect(transportModeFromSearch("?transport=direct")).toBe("auto");
  });
});
