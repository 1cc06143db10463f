/** What a player reads about the lobby connection: close codes and ended stays, in words. */

import type { RoomEnd } from "edgeplay/client";
import { CloseCode } from "edgeplay/protocol";

const CLOSE_TEXT: Readonly<Record<CloseCode, string>> = {
  1000: "You left the lobby.",
  1001: "The lobby server is restarting; reconnecting.",
  1009: "Disconnected: this game sent the lobby a message that was too large.",
  1013: "The lobby is busy; trying again.",
  4000: "This game is out of date. Reload the page.",
  4001: "That lobby is full.",
  4003: "The host removed you from this lobby.",
  4005: "You joined this lobby from another tab or device.",
  4006: "You were away too long and lost your seat.",
  4008: "Disconnected after too many invalid messages.",
  4007: "The lobby did not hear from this game in time.",
  4009: "The lobby has closed.",
  4010: "Disconnected for sending the lobby too many messages.",
  4011: "The connection to the lobby fell too far behind; reconnecting.",
  4012: "Too many players on your network are already in this public lobby. Play together in a private lobby instead.",
  4013: "That lobby was not found. Check the code, or create a new lobby.",
};

function isKnownCloseCode(code: number): code is CloseCode {
  return Object.hasOwn(CLOSE_TEXT, code);
}

/** The sentence for a lobby socket closed with `code` (docs/protocol.md 4.2). */
export function closeText(code: number): string {
  return isKnownCloseCode(code)
    ? CLOSE_TEXT[code]
    : "Lost the connection to the lobby; reconnecting.";
}

/** Why the stay ended, as the player reads it. */
export function roomEndText(end: RoomEnd): string {
  if (end.reason === "closed") return closeText(end.closeCode);
  if (end.graceMs === null) return "Could not connect to the lobby. Check your connection.";
  const seconds = Math.round(end.graceMs / 1000);
  return `Lost the connection to the lobby and could not get back in within ${seconds} s, so your seat is gone.`;
}

/** Our seat expired while we were away; the room is joining again as a new player. */
export function seatExpiredText(): string {
  return `${CLOSE_TEXT[CloseCode.SeatExpired]} Joining again as a new player…`;
}
