/**
 * The cheap parts of the per-frame path: edge-relay frames readdressed in place, and the
 * error frames a shed frame is answered with, serialized once. A relayed frame then costs the
 * lobby no allocation beyond what decoding the recipient's id needs.
 */
import { ERROR_MESSAGES, type ErrorCode } from "../../shared/codes.ts";
import type { ServerMessage } from "../../shared/protocol.ts";
import { encodeRelayFrame, type RelayFrame } from "../../shared/relay-frame.ts";

/**
 * The frame to send on for `relay` (decoded from `bytes`), from `fromPeerId`. The lobby's peer
 * ids are all one length, so the sender's id usually overwrites the recipient's in the frame as
 * it came (the runtime hands each message over in a buffer of its own); otherwise a new frame.
 */
export function readdressRelayFrame(
  bytes: Uint8Array,
  relay: RelayFrame,
  fromPeerId: string,
): Uint8Array {
  if (fromPeerId.length !== relay.peerId.length) return encodeRelayFrame(fromPeerId, relay.payload);
  for (let i = 0; i < fromPeerId.length; i++) bytes[2 + i] = fromPeerId.charCodeAt(i);
  return bytes;
}

const plainErrors = new Map<ErrorCode, string>();

/** The `error` frame for `code` without detail, as text: shedding must not cost a stringify. */
export function plainErrorText(code: ErrorCode): string {
  let text = plainErrors.get(code);
  if (text === undefined) {
    const frame: ServerMessage = { type: "error", code, message: ERROR_MESSAGES[code] };
    text = JSON.stringify(frame);
    plainErrors.set(code, text);
  }
  return text;
}
