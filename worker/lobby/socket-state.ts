/**
 * Per-socket state, kept in the WebSocket's attachment so it survives hibernation
 * (the runtime caps an attachment at 16 KiB; this stays tiny).
 */
import { isRecord } from "../../shared/guards.ts";

export interface SocketState {
  readonly peerId: string;
  /** Set once `hello` was accepted and the peer is on the roster. */
  readonly name: string | null;
  /** Invalid frames so far; too many closes the socket. */
  readonly errors: number;
}

function isSocketState(value: unknown): value is SocketState {
  if (!isRecord(value)) return false;
  const { peerId, name, errors } = value;
  return (
    typeof peerId === "string" &&
    (name === null || typeof name === "string") &&
    typeof errors === "number"
  );
}

export function readSocketState(ws: WebSocket): SocketState | null {
  const attachment: unknown = ws.deserializeAttachment();
  return isSocketState(attachment) ? attachment : null;
}

export function writeSocketState(ws: WebSocket, state: SocketState): void {
  ws.serializeAttachment(state);
}
