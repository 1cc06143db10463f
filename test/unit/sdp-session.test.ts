import { describe, expect, it } from "vitest";
import { fromAnotherConnection, sdpSessionId } from "../../game/kit/mesh/sdp-session.ts";

/** The start of a Chromium data-channel offer; only the origin line matters here. */
function sdp(sessionId: string, version: number): string {
  return [
    "v=0",
    `o=- ${sessionId} ${version} IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
    "",
  ].join("\r\n");
}

describe("telling a peer's connections apart by SDP session id", () => {
  it("reads the session id of the origin line", () => {
    expect(sdpSessionId(sdp("4611731400430051336", 2))).toBe("4611731400430051336");
    expect(sdpSessionId("o=rtc 1234 0 IN IP4 127.0.0.1\r\n")).toBe("1234");
    expect(sdpSessionId("v=0\r\ns=-\r\n")).toBeNull();
  });

  it("sees a renegotiation (ICE restart) of the same connection as the same connection", () => {
    expect(fromAnotherConnection(sdp("111", 3), sdp("111", 2))).toBe(false);
  });

  it("sees a description with another session id as a new connection of the peer's", () => {
    expect(fromAnotherConnection(sdp("222", 2), sdp("111", 5))).toBe(true);
  });

  it("accepts any connection while we hold no remote description, or cannot read one", () => {
    expect(fromAnotherConnection(sdp("222", 2), null)).toBe(false);
    expect(fromAnotherConnection("v=0\r\n", sdp("111", 2))).toBe(false);
  });
});
