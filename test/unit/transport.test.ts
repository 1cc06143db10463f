import { describe, expect, it } from "vitest";
import { channelOfPacket } from "../../game/kit/mesh/transport.ts";
import {
  encodeActionPacket,
  encodeStateChannelPacket,
  recordIdOf,
} from "../../game/kit/wire/state-channel.ts";

describe("telling relayed packets apart", () => {
  it("puts stream, ping and pong packets on the state channel", () => {
    const stream = encodeStateChannelPacket({
      kind: "stream",
      stream: 3,
      seq: 1,
      tick: 2,
      hz: 30,
      data: new Uint8Array([1, 2, 3]),
    });
    expect(channelOfPacket(stream)).toBe("state");
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
  });

  it("puts action packets (first byte 0x43) on the reliable events channel", () => {
    const action = encodeActionPacket({ kind: "action", action: 9, body: new Uint8Array([0x80]) });
    expect(action[0]).toBe(0x43);
    expect(recordIdOf("action")).toBe(0x43);
    expect(channelOfPacket(action)).toBe("events");
  });

  it("leaves anything that is not a state-channel packet to the events channel", () => {
    expect(channelOfPacket(new Uint8Array([]))).toBe("events");
    expect(channelOfPacket(new Uint8Array([0x80]))).toBe("events");
  });
});
