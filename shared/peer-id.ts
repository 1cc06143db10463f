/** Peer ids: 1-32 characters of `A-Z a-z 0-9 - _`, ASCII so they fit a relay frame byte for byte. */
export const MAX_PEER_ID_CHARS = 32;
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
