/** Limits both ends agree on. The lobby enforces them; clients use them to fail early. */

/** Largest signaling frame the lobby accepts, in UTF-16 code units of the JSON text. */
export const MAX_FRAME_CHARS = 16 * 1024;
/** A data-channel-only SDP is ~1 KB; audio/video sessions stay well under this. */
export const MAX_SDP_CHARS = 12 * 1024;
export const MAX_CANDIDATE_CHARS = 1024;
/** Seats per lobby: the creator picks within this range. A full mesh past 8 costs too much upstream. */
export const MIN_PLAYERS = 2;
export const MAX_PLAYERS = 8;
export const MAX_NAME_CHARS = 32;
export const MAX_LOBBY_NAME_CHARS = 32;
export const MAX_MODE_CHARS = 24;
export const DEFAULT_MODE = "arena";
export const MAX_CHAT_CHARS = 280;
/** A socket must send `hello` within this long, or it is closed. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Sockets that have not said hello yet, per lobby: more are turned away until some do. */
export const MAX_PENDING_SOCKETS = 16;
/** Invalid frames tolerated on one socket before the lobby closes it. */
export const MAX_ERRORS_PER_SOCKET = 20;
/** Game state send rate, packets per second per peer. */
export const STATE_HZ = 30;

export interface TokenBucketLimit {
  /** Burst size. */
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/**
 * Every frame from one socket. A newcomer to a full lobby sends an offer and a handful of
 * ICE candidates to each of 7 peers at once, so the burst must cover ~100 frames.
 */
export const SOCKET_FRAME_LIMIT: TokenBucketLimit = { capacity: 120, refillPerSecond: 40 };
/** Largest game packet the lobby relays for a pair with no direct path. */
export const MAX_RELAY_PAYLOAD_BYTES = 1024;
/**
 * Relayed game packets from one socket: two relayed peers at 30 Hz. More is dropped (the
 * state channel is lossy anyway); a lobby of 8 thus stays under ~1,000 frames/s in and out.
 */
export const RELAY_FRAME_LIMIT: TokenBucketLimit = { capacity: 90, refillPerSecond: 60 };
/** Chat messages from one socket. */
export const CHAT_LIMIT: TokenBucketLimit = { capacity: 5, refillPerSecond: 0.5 };
