/** Limits both ends agree on. The lobby enforces them; clients use them to fail early. */

/**
 * Largest signaling frame the lobby accepts, in UTF-16 code units of the JSON text. A larger
 * one closes the socket (1009): the runtime has already read it whole, so the lobby refuses
 * to read a second.
 */
export const MAX_FRAME_CHARS = 16 * 1024;
/**
 * Largest text frame the lobby sends, so the largest a client must accept. Above
 * MAX_FRAME_CHARS because a relayed signal gains `from` and a longer peer id than it lost.
 */
export const MAX_SERVER_FRAME_CHARS = 32 * 1024;
/** A data-channel-only SDP is ~1 KB; audio/video sessions stay well under this. */
export const MAX_SDP_CHARS = 12 * 1024;
export const MAX_CANDIDATE_CHARS = 1024;
/** Seats per lobby: the creator picks within this range. A full mesh past 8 costs too much upstream. */
export const MIN_PLAYERS = 2;
export const MAX_PLAYERS = 8;
/** Colour slots (`PeerInfo.color`): one per seat, so every player in a lobby has their own. */
export const COLOR_SLOTS = MAX_PLAYERS;
/** Rounds in a match (`LobbySettings.rounds`): the creator picks within this range. */
export const MIN_ROUNDS = 1;
export const MAX_ROUNDS = 9;
export const DEFAULT_ROUNDS = 3;
export const MAX_NAME_CHARS = 32;
export const MAX_LOBBY_NAME_CHARS = 32;
export const MAX_MODE_CHARS = 24;
export const DEFAULT_MODE = "arena";
export const MAX_CHAT_CHARS = 280;
/** A socket must send `hello` within this long, or it is closed. */
export const HELLO_TIMEOUT_MS = 10_000;
/**
 * Sockets that have not been welcomed yet, per lobby. When they are all taken, a newcomer
 * from an address with fewer of them displaces the oldest socket of the address that holds
 * the most, so one client cannot keep players from other addresses out.
 */
export const MAX_PENDING_SOCKETS = 16;
/** Sockets waiting for `welcome` from one address, per lobby: a whole LAN party may join at once. */
export const MAX_PENDING_SOCKETS_PER_ADDRESS = MAX_PLAYERS;
/**
 * Seats one address may hold in a public lobby (held seats count), so one client cannot fill
 * a lobby strangers are joining. Private lobbies have no such cap: their code is shared on purpose.
 */
export function maxPublicSeatsPerAddress(maxPlayers: number): number {
  return Math.max(1, Math.floor(maxPlayers / 2));
}
/** Invalid frames tolerated from one seat (across its resumes) before the lobby closes it (4008). */
export const MAX_ERRORS_PER_SOCKET = 20;
/**
 * Bytes the lobby may have queued for one socket that is not reading them. Past this the
 * socket is closed (4011) and its seat held for the grace window, so a stalled reader costs
 * the lobby at most this much memory, not everything its lobby-mates send meanwhile.
 */
export const MAX_SOCKET_BACKLOG_BYTES = 1024 * 1024;
/** Above this many queued bytes for a socket, edge-relayed packets for it are dropped (they are lossy anyway). */
export const RELAY_BACKLOG_BYTES = 64 * 1024;
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
/**
 * Frames from all of a lobby's sockets together, checked after each socket's own buckets. A
 * Durable Object has a soft limit of about 1,000 requests per second, and each frame in is a
 * request with a frame out; 8 players within their own buckets (40 + 60 frames/s) send at most
 * 800 a second, so only raised socket limits (worker settings) or bursts reach this. Over it,
 * frames are shed with an `overloaded` error before they are parsed: the lobby's queue stays
 * short and the sender knows.
 */
export const LOBBY_FRAME_LIMIT: TokenBucketLimit = { capacity: 1000, refillPerSecond: 800 };
/**
 * Frames dropped by the frame or relay bucket, per socket. A client whose network stalled may
 * deliver a few hundred queued frames at once and lose some, but a socket that keeps sending
 * over its limits empties this bucket within milliseconds and is closed (4010).
 */
export const FLOOD_LIMIT: TokenBucketLimit = { capacity: 1000, refillPerSecond: 100 };
/**
 * Bytes of signals one player may have relayed to one other player. A negotiation (an offer and
 * its candidates) is a few KiB and an ICE restart the same again; this is far beyond that, and
 * keeps one player from filling another's connection with large but legal signals.
 */
export const SIGNAL_BYTES_PER_PEER_LIMIT: TokenBucketLimit = {
  capacity: 64 * 1024,
  refillPerSecond: 16 * 1024,
};
/** Resumes of one seat: a flaky network reconnects a few times a minute, not a few times a second. */
export const RESUME_LIMIT: TokenBucketLimit = { capacity: 5, refillPerSecond: 0.1 };
/** Chat messages from one socket. */
export const CHAT_LIMIT: TokenBucketLimit = { capacity: 5, refillPerSecond: 0.5 };
