/**
 * Per-socket state. What must survive hibernation lives in the WebSocket's attachment (the
 * runtime caps it at 16 KiB; this stays tiny), with a copy in memory: reading the attachment
 * deserializes it, and every frame reads the sender's state (and a relay, the target's).
 * Rate-limit buckets live in memory only: the object hibernates only when sockets are quiet,
 * and a quiet socket's bucket is full anyway. What must outlive one socket of a seat (errors,
 * floods, resumes) is in seat-budget.ts.
 */
import { isRecord } from "../../shared/guards.ts";
import { CHAT_LIMIT, RELAY_FRAME_LIMIT, type TokenBucketLimit } from "../../shared/limits.ts";
import { TokenBucket } from "../../shared/token-bucket.ts";

export interface SocketState {
  readonly peerId: string;
  /** The client address (worker/client-address.ts), for per-address caps. */
  readonly address: string;
  /** True once `hello` was accepted and the socket speaks for that seat. */
  readonly joined: boolean;
  /** True when the socket was opened to take back `peerId`'s held seat (`?peer=`). */
  readonly resuming: boolean;
  /** Set when this socket was closed on purpose by the lobby; its close event changes nothing. */
  readonly retired: boolean;
  /** Epoch ms by which a socket that has not joined must send `hello`. */
  readonly helloBy: number;
}

function isSocketState(value: unknown): value is SocketState {
  if (!isRecord(value)) return false;
  const { peerId, address, joined, resuming, retired, helloBy } = value;
  return (
    typeof peerId === "string" &&
    typeof address === "string" &&
    typeof joined === "boolean" &&
    typeof resuming === "boolean" &&
    typeof retired === "boolean" &&
    typeof helloBy === "number"
  );
}

/**
 * What each socket's attachment holds, as last written or read. Every write goes through
 * writeSocketState, so the copy never goes stale; after hibernation the map starts empty and
 * each socket's first read fills it from the attachment.
 */
const states = new WeakMap<WebSocket, SocketState>();

export function readSocketState(ws: WebSocket): SocketState | null {
  const known = states.get(ws);
  if (known) return known;
  const attachment: unknown = ws.deserializeAttachment();
  if (!isSocketState(attachment)) return null;
  states.set(ws, attachment);
  return attachment;
}

export function writeSocketState(ws: WebSocket, state: SocketState): void {
  ws.serializeAttachment(state);
  states.set(ws, state);
}

/** Changes some fields of a socket's state, starting from what is stored now (never a stale copy). */
export function updateSocketState(ws: WebSocket, change: Partial<SocketState>): SocketState | null {
  const state = readSocketState(ws);
  if (!state) return null;
  const next = { ...state, ...change };
  writeSocketState(ws, next);
  return next;
}

/** Not welcomed yet (waiting for `hello`, or for the answer to it), and not closed by the lobby. */
export function isPending(state: SocketState | null): state is SocketState {
  return state !== null && !state.joined && !state.retired;
}

interface SocketLimits {
  readonly frames: TokenBucket;
  readonly chat: TokenBucket;
  /** Edge-relayed game packets (binary frames), apart from signaling. */
  readonly relay: TokenBucket;
  /** Bytes of signals relayed to each other player, by peer id, each under `signalByteLimit`. */
  readonly signalBytesTo: Map<string, TokenBucket>;
  readonly signalByteLimit: TokenBucketLimit;
}

/** The per-socket limits a lobby's settings choose (the rest are fixed in shared/limits.ts). */
export interface SocketLimitSettings {
  readonly socketFrameLimit: TokenBucketLimit;
  readonly signalBytesPerPeerLimit: TokenBucketLimit;
}

const limits = new WeakMap<WebSocket, SocketLimits>();

export function limitsOf(
  ws: WebSocket,
  settings: SocketLimitSettings,
  nowMs: number,
): SocketLimits {
  let found = limits.get(ws);
  if (!found) {
    found = {
      frames: new TokenBucket(settings.socketFrameLimit, nowMs),
      chat: new TokenBucket(CHAT_LIMIT, nowMs),
      relay: new TokenBucket(RELAY_FRAME_LIMIT, nowMs),
      signalBytesTo: new Map(),
      signalByteLimit: settings.signalBytesPerPeerLimit,
    };
    limits.set(ws, found);
  }
  return found;
}

/** The signal byte budget from this socket to one peer. */
export function signalBytesTo(limits: SocketLimits, peerId: string, nowMs: number): TokenBucket {
  let bucket = limits.signalBytesTo.get(peerId);
  if (!bucket) {
    bucket = new TokenBucket(limits.signalByteLimit, nowMs);
    limits.signalBytesTo.set(peerId, bucket);
  }
  return bucket;
}
