/**
 * Error codes travel in `error` frames; the socket stays open. Close codes end the socket and
 * tell the client whether trying again can help.
 */
export const ErrorCode = {
  BadJson: "bad-json",
  InvalidMessage: "invalid-message",
  FrameTooLarge: "frame-too-large",
  SdpTooLarge: "sdp-too-large",
  NotJoined: "not-joined",
  AlreadyJoined: "already-joined",
  UnknownPeer: "unknown-peer",
  Internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  "bad-json": "The frame is not valid JSON.",
  "invalid-message": "The message does not match the protocol.",
  "frame-too-large": "The frame is larger than the lobby accepts.",
  "sdp-too-large": "The session description is larger than the lobby accepts.",
  "not-joined": "Send `hello` before anything else.",
  "already-joined": "This socket has already joined the lobby.",
  "unknown-peer": "No such player in this lobby.",
  internal: "The lobby hit an internal error; nothing was changed.",
};

/** WebSocket close codes: 4000 and up are edgeplay's own. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolVersion: 4000,
  LobbyFull: 4001,
  LobbyNotFound: 4004,
  TooManyErrors: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseAdvice {
  /** Whether reconnecting later can succeed. */
  readonly retry: boolean;
  /** A sentence a player can understand. */
  readonly message: string;
}

const CLOSE_ADVICE: Record<CloseCode, CloseAdvice> = {
  1000: { retry: false, message: "You left the lobby." },
  1001: { retry: true, message: "The lobby server is restarting." },
  4000: { retry: false, message: "This game is out of date. Reload the page." },
  4001: { retry: false, message: "That lobby is full." },
  4004: { retry: false, message: "That lobby does not exist (or has closed)." },
  4008: { retry: false, message: "Disconnected after too many invalid messages." },
};

function isKnownCloseCode(code: number): code is CloseCode {
  return Object.hasOwn(CLOSE_ADVICE, code);
}

/** What a client should tell the player, and whether to retry, for any close code. */
export function closeAdvice(code: number): CloseAdvice {
  if (isKnownCloseCode(code)) return CLOSE_ADVICE[code];
  return { retry: true, message: "Lost the connection to the lobby." };
}
