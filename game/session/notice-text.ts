/** Lines for the lobby log about what happened to whom, in words a player understands. */

import { assertNever, type LeaveReason, type LobbyPhase } from "edgeplay/protocol";

export function joinedNotice(name: string): string {
  return `${name} joined`;
}

export function leftNotice(name: string, reason: LeaveReason): string {
  switch (reason) {
    case "left":
      return `${name} left`;
    case "kicked":
      return `${name} was removed by the host`;
    case "timed-out":
      return `${name} timed out`;
    case "errors":
      return `${name} was disconnected after too many errors`;
    default:
      return assertNever(reason, "leave reason");
  }
}

export function disconnectedNotice(name: string): string {
  return `${name} lost their connection; keeping their seat for a while`;
}

export function reconnectedNotice(name: string): string {
  return `${name} is back`;
}

export function hostNotice(name: string, isSelf: boolean): string {
  return isSelf ? "You are now the host" : `${name} is now the host`;
}

export function phaseNotice(phase: LobbyPhase): string {
  switch (phase) {
    case "waiting":
      return "Back to the warm-up: get ready for the next match";
    case "playing":
      return "The match has started!";
    case "finished":
      return "The match is over";
    default:
      return assertNever(phase, "phase");
  }
}

export function phaseLabel(phase: LobbyPhase): string {
  switch (phase) {
    case "waiting":
      return "Warm-up";
    case "playing":
      return "Playing";
    case "finished":
      return "Finished";
    default:
      return assertNever(phase, "phase");
  }
}
