import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RELAY_PAYLOAD_BYTES } from "../../shared/limits.ts";
import {
  decodeRelayFrame,
  encodeRelayFrame,
  RELAY_FRAME_VERSION,
} from "../../shared/relay-frame.ts";

const peerIds = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const payloads = fc.uint8Array({ minLength: 1, maxLength: MAX_RELAY_PAYLOAD_BYTES });

describe("edge-relay frames", () => {
  it("round-trip any peer id and payload", () => {
    fc.assert(
      fc.property(peerIds, payloads, (peerId, payload) => {
        const decoded = decodeRelayFrame(encodeRelayFrame(peerId, payload));
        expect(decoded?.peerId).toBe(peerId);
        expect([...(decoded?.payload ?? [])]).toEqual([...payload]);
      }),
    );
  });

  it("costs 2 bytes plus the peer id on top of the packet", () => {
    expect(encodeRelayFrame("abcdefghij", new Uint8Array(15)).byteLength).toBe(27);
  });

  it("never throws on junk, and rejects what is not a frame", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decodeRelayFrame(bytes);
        if (decoded) expect(bytes[0]).toBe(RELAY_FRAME_VERSION);
      }),
    );
    const cases = [
      new Uint8Array([]),
      new Uint8Array([2, 1, 65, 1]),
      new Uint8Array([1, 0, 1]),
      new Uint8Array([1, 33, ...new Uint8Array(34).fill(65)]),
      new Uint8Array([1, 2, 65, 66]),
      new Uint8Array([1, 1, 0x20, 1]),
      new Uint8Array([1, 1, 65, ...new Uint8Array(MAX_RELAY_PAYLOAD_BYTES + 1)]),
    ];
    for (const bytes of cases) expect(decodeRelayFrame(bytes)).toBeNull();
  });

  it("refuses to build a frame for a bad id or payload", () => {
    expect(() => encodeRelayFrame("no spaces", new Uint8Array(1))).toThrow(RangeError);
    expect(() => encodeRelayFrame("ok", new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeRelayFrame("ok", new Uint8Array(MAX_RELAY_PAYLOAD_BYTES + 1))).toThrow(
      RangeError,
    );
  });
});
