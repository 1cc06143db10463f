/**
 * Error codes travel in `error` frames; the socket stays open. Close codes end the socket and
 * tell the client whether trying again can help.
 */
export const ErrorCode = {
  BadJson: "bad-json",
  InvalidMessage: "invalid-message",
  FrameTooLarge: "frame-too-large",
  SdpTooLarge: "sdp-too-large",
  RateLimited: "rate-limited",
  ChatTooFast: "chat-too-fast",
  NotJoined: "not-joined",
  AlreadyJoined: "already-joined",
  UnknownPeer: "unknown-peer",
  NotHost: "not-host",
  WrongPhase: "wrong-phase",
  NotReady: "not-ready",
  Internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  "bad-json": "The frame is not valid JSON.",
  "invalid-message": "The message does not match the protocol.",
  "frame-too-large": "The frame is larger than the lobby accepts.",
  "sdp-too-large": "The session description is larger than the lobby accepts.",
  "rate-limited": "Too many messages; this one was dropped. Slow down.",
  "chat-too-fast": "You are sending chat messages too quickly; that one was not delivered.",
  "not-joined": "Send `hello` before anything else.",
  "already-joined": "This socket has already joined the lobby.",
  "unknown-peer": "No such player in this lobby.",
  "not-host": "Only the host can do that.",
  "wrong-phase": "The lobby is not in a phase that allows that.",
  "not-ready": "Every player must be ready before the game starts.",
  internal: "The lobby hit an internal error handling that message.",
};

/** WebSocket close codes: 4000 and up are edgeplay's own. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolVersion: 4000,
  /** Too many sockets are waiting to say hello (the standard "try again later"). */
  TryAgainLater: 1013,
  LobbyFull: 4001,
  Kicked: 4003,
  Replaced: 4005,
  SeatExpired: 4006,
  /** The socket did not send `hello` in time. */
  HelloTimeout: 4007,
  TooManyErrors: 4008,
  LobbyClosed: 4009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseAdvice {
  /** Whether reconnecting (with the resume token) can succeed. */
  readonly retry: boolean;
  /** Whether joining afresh, without the resume token, can succeed. */
  readonly rejoin: boolean;
  /** A sentence a player can understand. */
  readonly message: string;
}

const CLOSE_ADVICE: Record<CloseCode, CloseAdvice> = {
  1000: { retry: false, rejoin: true, message: "You left the lobby." },
  1001: { retry: true, rejoin: true, message: "The lobby server is restarting; reconnecting." },
  4000: { retry: false, rejoin: false, message: "This game is out of date. Reload the page." },
  1013: { retry: true, rejoin: true, message: "The lobby is busy; trying again." },
  4001: { retry: false, rejoin: false, message: "That lobby is full." },
  4003: { retry: false, rejoin: false, message: "The host removed you from the lobby." },
  4005: {
    retry: false,
    rejoin: false,
    message: "You joined this lobby from another tab or device.",
  },
  4006: { retry: false, rejoin: true, message: "You were away too long and lost your seat." },
  4008: { retry: false, rejoin: true, message: "Disconnected after too many invalid messages." },
  4007: { retry: true, rejoin: true, message: "The lobby did not hear from this game in time." },
  4009: { retry: false, rejoin: false, message: "The lobby has closed." },
};

function isKnownCloseCode(code: number): code is CloseCode {
  return Object.hasOwn(CLOSE_ADVICE, code);
}

/** What a client should tell the player, and whether to retry, for any close code. */
export function closeAdvice(code: number): CloseAdvice {
  if (isKnownCloseCode(code)) return CLOSE_ADVICE[code];
  return { retry: true, rejoin: true, message: "Lost the connection to the lobby; reconnecting." };
}

/** Why a player left the roster, in `peer-left`. */
export const LeaveReason = {
  Left: "left",
  Kicked: "kicked",
  TimedOut: "timed-out",
  Errors: "errors",
} as const;
export type LeaveReason = (typeof LeaveReason)[keyof typeof LeaveReason];
