/** Limits both ends agree on. The lobby enforces them; clients use them to fail early. */

/** Largest signaling frame the lobby accepts, in UTF-16 code units of the JSON text. */
export const MAX_FRAME_CHARS = 16 * 1024;
/** A data-channel-only SDP is ~1 KB; audio/video sessions stay well under this. */
export const MAX_SDP_CHARS = 12 * 1024;
export const MAX_CANDIDATE_CHARS = 1024;
export const MAX_PLAYERS = 8;
export const MAX_NAME_CHARS = 32;
/** Invalid frames tolerated on one socket before the lobby closes it. */
export const MAX_ERRORS_PER_SOCKET = 20;
/** Game state send rate, packets per second per peer. */
export const STATE_HZ = 30;
