/**
 * What went wrong, as data: the kit reports problems and never words them, so each game says
 * them in its own language and style (the arena's sentences live in its UI).
 */
import type { ErrorCode } from "../../shared/codes.ts";

export const ProblemCode = {
  /** The lobby refused something we sent (`error`: not-host, wrong-phase, chat-too-fast...). */
  LobbyRefused: "lobby-refused",
  /**
   * Our seat expired while we were away, or the seat `resume` asked for is gone (released,
   * expired, unknown); the room is joining again as a new player.
   */
  SeatExpired: "seat-expired",
  /** A frame from the lobby did not validate and was ignored (a newer server, or a bug). */
  InvalidFrame: "invalid-frame",
  /** The lobby stopped answering pings: the connection is treated as dropped (`retry`). */
  LobbySilent: "lobby-silent",
  /** ICE failed with `peerId`; restarting it (`retry`). */
  IceFailed: "ice-failed",
  /** ICE failed again after a restart: that pair goes through the edge relay meanwhile. */
  DirectPathLost: "direct-path-lost",
  /** Our offer to `peerId` got no answer in time (lost on the way); offering again. */
  OfferUnanswered: "offer-unanswered",
  /** A signal to or from `peerId` could not be applied (`detail` says which step failed). */
  SignalFailed: "signal-failed",
  /** A listener of the game's threw (`detail`: which event, and the error); the room goes on. */
  ListenerFailed: "listener-failed",
  /** Fresh ICE servers could not be applied to the connection with `peerId`. */
  IceServersRejected: "ice-servers-rejected",
  /** Voice failed in this tick (`detail` says how); the game's packets went out regardless. */
  VoiceFailed: "voice-failed",
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

/** An exception as a `detail`: its message, for developers' logs. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface Problem {
  readonly code: ProblemCode;
  /** The peer it concerns, for problems of one pair. */
  readonly peerId?: string;
  /** Whether the kit is trying again by itself. */
  readonly retry?: boolean;
  /** With `lobby-refused`: the lobby's error code. */
  readonly error?: ErrorCode;
  /** Machine-oriented detail for developers' logs (an exception's message, say). */
  readonly detail?: string;
}
