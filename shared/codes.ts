/**
 * Error codes travel in `error` frames; the socket stays open. Close codes end the socket and
 * tell the client whether trying again can help.
 */
export const ErrorCode = {
  BadJson: "bad-json",
  InvalidMessage: "invalid-message",
  SdpTooLarge: "sdp-too-large",
  RateLimited: "rate-limited",
  /** The lobby as a whole is over its message budget: the frame was shed, whoever sent it. */
  Overloaded: "overloaded",
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
  "sdp-too-large": "The session description is larger than the lobby accepts.",
  "rate-limited": "Too many messages; this one was dropped. Slow down.",
  overloaded: "The lobby is handling as many messages as it can; this one was dropped.",
  "chat-too-fast": "You are sending chat messages too quickly; that one was not delivered.",
  "not-joined": "Send `hello` before anything else.",
  "already-joined": "This socket has already joined the lobby.",
  "unknown-peer": "No such player in this lobby.",
  "not-host": "Only the host can do that.",
  "wrong-phase": "The lobby is not in a phase that allows that.",
  "not-ready": "Every player must be ready before the game starts.",
  internal: "The lobby hit an internal error handling that message.",
};

/**
 * Errors that mean a client is misbehaving, not just racing the roster or going too fast:
 * these count toward the error budget (MAX_ERRORS_PER_SOCKET), after which the socket closes.
 */
export const COUNTED_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.BadJson,
  ErrorCode.InvalidMessage,
  ErrorCode.SdpTooLarge,
]);

/**
 * Errors that mean "your frame was dropped for load, not for what it said": over the socket's
 * limits or the lobby's capacity. Each answers exactly one dropped frame, so a client can count
 * delivered + shed = sent.
 */
export const SHED_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.RateLimited,
  ErrorCode.Overloaded,
]);

/**
 * What a browser reports when a socket failed without a close frame (a dead network, a refused
 * upgrade). Never sent: it stands for "no close code".
 */
export const ABNORMAL_CLOSURE = 1006;

/** WebSocket close codes: 4000 and up are edgeplay's own. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** A frame over the lobby's size limit (the standard "message too big"). */
  MessageTooBig: 1009,
  /** Too many sockets are joining, or too many upgrades from one address (the standard "try again later"). */
  TryAgainLater: 1013,
  ProtocolVersion: 4000,
  LobbyFull: 4001,
  Kicked: 4003,
  Replaced: 4005,
  SeatExpired: 4006,
  /** The socket did not send `hello` in time. */
  HelloTimeout: 4007,
  TooManyErrors: 4008,
  LobbyClosed: 4009,
  /** The socket kept sending past its frame limits. */
  Flooding: 4010,
  /** The socket stopped reading what the lobby sent it; its seat is held for the grace window. */
  TooSlow: 4011,
  /** Too many seats of this public lobby are held from the player's address. */
  AddressLimit: 4012,
  /** No lobby has that code (never created, or deleted): the socket answers what a lookup would. */
  LobbyNotFound: 4013,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseAdvice {
  /** Whether reconnecting (with the resume token) can succeed. */
  readonly retry: boolean;
  /** Whether joining afresh, without the resume token, can succeed. */
  readonly rejoin: boolean;
}

const CLOSE_ADVICE: Record<CloseCode, CloseAdvice> = {
  1000: { retry: false, rejoin: true },
  1001: { retry: true, rejoin: true },
  1009: {
    retry: false,
    rejoin: true,
  },
  1013: { retry: true, rejoin: true },
  4000: { retry: false, rejoin: false },
  4001: { retry: false, rejoin: false },
  4003: { retry: false, rejoin: false },
  4005: {
    retry: false,
    rejoin: false,
  },
  4006: { retry: false, rejoin: true },
  4008: { retry: false, rejoin: true },
  4007: { retry: true, rejoin: true },
  4009: { retry: false, rejoin: false },
  4010: {
    retry: false,
    rejoin: true,
  },
  4011: {
    retry: true,
    rejoin: true,
  },
  4012: {
    retry: false,
    rejoin: false,
  },
  4013: { retry: false, rejoin: false },
};

function isKnownCloseCode(code: number): code is CloseCode {
  return Object.hasOwn(CLOSE_ADVICE, code);
}

/** Whether a client should reconnect, or join afresh, after any close code. */
export function closeAdvice(code: number): CloseAdvice {
  if (isKnownCloseCode(code)) return CLOSE_ADVICE[code];
  return { retry: true, rejoin: true };
}

/** Why a player left the roster, in `peer-left`. */
export const LeaveReason = {
  Left: "left",
  Kicked: "kicked",
  TimedOut: "timed-out",
  /** Closed for misbehaving: too many invalid frames (4008), a flood (4010) or an oversized frame (1009). */
  Errors: "errors",
} as const;
export type LeaveReason = (typeof LeaveReason)[keyof typeof LeaveReason];
