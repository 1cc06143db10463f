/**
 * Edge-relay frames: game packets for one peer, sent as binary frames over the lobby WebSocket
 * when no direct or TURN path works. The sender names the recipient; the lobby replaces that
 * with the sender (it never trusts a claimed sender) and forwards the payload untouched.
 *
 *   byte 0       RELAY_FRAME_VERSION
 *   byte 1       n = length of the peer id (1-32, ASCII from the peer id alphabet)
 *   bytes 2..n+1 the peer id: the recipient going up, the sender coming down
 *   the rest     the payload: one msgpack game packet (1..MAX_RELAY_PAYLOAD_BYTES)
 */
import { MAX_RELAY_PAYLOAD_BYTES } from "./limits.ts";
import { MAX_PEER_ID_CHARS, PEER_ID_PATTERN } from "./peer-id.ts";

export const RELAY_FRAME_VERSION = 1;
const MAX_PEER_ID_BYTES = MAX_PEER_ID_CHARS;
/** The largest well-formed relay frame; a larger binary frame closes the socket (1009). */
export const MAX_RELAY_FRAME_BYTES = 2 + MAX_PEER_ID_BYTES + MAX_RELAY_PAYLOAD_BYTES;

export interface RelayFrame {
  readonly peerId: string;
  readonly payload: Uint8Array;
}

export function encodeRelayFrame(peerId: string, payload: Uint8Array): Uint8Array {
  if (!PEER_ID_PATTERN.test(peerId)) throw new RangeError("not a peer id");
  if (payload.byteLength === 0 || payload.byteLength > MAX_RELAY_PAYLOAD_BYTES) {
    throw new RangeError(`payload must be 1-${MAX_RELAY_PAYLOAD_BYTES} bytes`);
  }
  const frame = new Uint8Array(2 + peerId.length + payload.byteLength);
  frame[0] = RELAY_FRAME_VERSION;
  frame[1] = peerId.length;
  for (let i = 0; i < peerId.length; i++) frame[2 + i] = peerId.charCodeAt(i);
  frame.set(payload, 2 + peerId.length);
  return frame;
}

/** Null for anything that is not a well-formed relay frame; never throws. */
export function decodeRelayFrame(bytes: Uint8Array): RelayFrame | null {
  if (bytes.byteLength < 3 || bytes[0] !== RELAY_FRAME_VERSION) return null;
  const idLength = bytes[1] ?? 0;
  if (idLength < 1 || idLength > MAX_PEER_ID_BYTES) return null;
  const payloadStart = 2 + idLength;
  const payloadLength = bytes.byteLength - payloadStart;
  if (payloadLength < 1 || payloadLength > MAX_RELAY_PAYLOAD_BYTES) return null;
  const peerId = String.fromCharCode(...bytes.subarray(2, payloadStart));
  if (!PEER_ID_PATTERN.test(peerId)) return null;
  return { peerId, payload: bytes.subarray(payloadStart) };
}
