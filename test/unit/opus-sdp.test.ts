import { describe, expect, it } from "vitest";
import { opusParameters, withOpusDtx } from "../../game/kit/voice/opus-sdp.ts";

/** The audio section of a Chromium offer (abridged: the data section and most codecs cut). */
const CHROMIUM_AUDIO = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
  "c=IN IP4 0.0.0.0",
  "a=mid:1",
  "a=sendonly",
  "a=rtpmap:111 opus/48000/2",
  "a=rtcp-fb:111 transport-cc",
  "a=fmtp:111 minptime=10;useinbandfec=1",
  "a=rtpmap:63 red/48000/2",
  "a=fmtp:63 111/111",
  "a=rtpmap:9 G722/8000",
  "a=rtpmap:126 telephone-event/8000",
  "",
].join("\r\n");

describe("Opus DTX through SDP", () => {
  it("adds usedtx=1 to Opus only, keeping FEC and the line endings", () => {
    const munged = withOpusDtx(CHROMIUM_AUDIO);
    expect(munged).toContain("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n");
    expect(munged).toContain("a=fmtp:63 111/111\r\n");
    expect(munged.split("\r\n")).toHaveLength(CHROMIUM_AUDIO.split("\r\n").length);
    expect(opusParameters(munged).get("useinbandfec")).toBe("1");
    expect(opusParameters(munged).get("usedtx")).toBe("1");
  });

  it("is idempotent, and turns an explicit usedtx=0 on", () => {
    const once = withOpusDtx(CHROMIUM_AUDIO);
    expect(withOpusDtx(once)).toBe(once);
    const off = CHROMIUM_AUDIO.replace("useinbandfec=1", "useinbandfec=1;usedtx=0");
    expect(opusParameters(withOpusDtx(off)).get("usedtx")).toBe("1");
  });

  it("gives an Opus payload without an fmtp line one", () => {
    const bare = CHROMIUM_AUDIO.replace("a=fmtp:111 minptime=10;useinbandfec=1\r\n", "");
    const munged = withOpusDtx(bare);
    expect(munged).toContain("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 usedtx=1\r\n");
  });

  it("leaves a description without audio alone", () => {
    const data = "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n";
    expect(withOpusDtx(data)).toBe(data);
    expect(opusParameters(data).size).toBe(0);
  });
});
