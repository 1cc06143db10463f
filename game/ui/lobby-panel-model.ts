/**
 * What the lobby panel shows, worked out from the session in one pure step: the roster rows,
 * which buttons appear and whether they work, and a hint that says what happens next.
 */

import type { ConnectionState } from "edgeplay/client";
import { assertNever, type LobbyPhase, type LobbySettings, type PeerInfo } from "edgeplay/protocol";
import type { LogEntry } from "../session/lobby-log.ts";
import { players } from "../session/status-text.ts";
import type { MatchStage } from "../world/events-wire.ts";
import {
  buildVoiceModel,
  type VoiceBadge,
  type VoiceInput,
  type VoiceModel,
} from "./voice-panel-model.ts";

export interface RosterRow {
  readonly id: string;
  readonly name: string;
  /** Their colour slot (`PeerInfo.color`). */
  readonly color: number;
  readonly isSelf: boolean;
  readonly isHost: boolean;
  /** The host counts as ready: their start is their "ready". */
  readonly ready: boolean;
  /** False while their lobby connection is down and their seat is held. */
  readonly connected: boolean;
  /**
   * Our game packets reach them (over a direct path or the edge relay); always true for
   * ourselves. The network HUD says which path.
   */
  readonly linkOpen: boolean;
  readonly canKick: boolean;
  readonly voice: VoiceBadge | null;
}

/** hidden: not offered to this player now; disabled: offered but not possible yet. */
export type ControlState = "hidden" | "disabled" | "enabled";

export interface PanelModel {
  readonly title: string;
  readonly mode: string;
  readonly phase: LobbyPhase;
  readonly roster: readonly RosterRow[];
  readonly maxPlayers: number;
  readonly isHost: boolean;
  readonly selfReady: boolean;
  readonly ready: ControlState;
  readonly start: ControlState;
  /** What to ask the host before starting (null: start at once), e.g. when nobody else is here. */
  readonly startQuestion: string | null;
  readonly finish: ControlState;
  readonly reopen: ControlState;
  readonly chat: ControlState;
  readonly hint: string;
  readonly log: readonly LogEntry[];
  readonly chatError: string | null;
  readonly voice: VoiceModel;
}

export interface PanelInput {
  readonly selfId: string | null;
  readonly settings: LobbySettings | null;
  readonly phase: LobbyPhase;
  /** The match stage of our world (null before it has one): End round works only in a round. */
  readonly stage: MatchStage | null;
  readonly hostId: string | null;
  readonly roster: readonly PeerInfo[];
  readonly log: readonly LogEntry[];
  readonly connection: ConnectionState;
  readonly chatError: string | null;
  readonly modeLabel: (mode: string) => string;
  readonly isLinkOpen: (peerId: string) => boolean;
  /** What each player's voice is doing (ours too), for their row. */
  readonly voiceBadge: (peerId: string) => VoiceBadge | null;
  readonly voice: VoiceInput;
}

export function buildPanelModel(input: PanelInput): PanelModel {
  const { selfId, phase, hostId } = input;
  const online = input.connection === "open";
  const isHost = selfId !== null && selfId === hostId;
  const self = input.roster.find((peer) => peer.id === selfId);
  const selfReady = self?.ready ?? false;
  // The lobby's rule for starting: every connected player but the host is ready.
  const notReady = input.roster.filter(
    (peer) => peer.id !== hostId && peer.connected && !peer.ready,
  ).length;
  const hostName = input.roster.find((peer) => peer.id === hostId)?.name ?? "the host";
  const connected = input.roster.filter((peer) => peer.connected).length;
  const when = (offered: boolean, possible: boolean): ControlState =>
    !offered ? "hidden" : possible && online ? "enabled" : "disabled";

  return {
    title: input.settings?.name ?? "Lobby",
    mode: input.modeLabel(input.settings?.mode ?? ""),
    phase,
    roster: input.roster.map((peer) => ({
      id: peer.id,
      name: peer.name,
      color: peer.color,
      isSelf: peer.id === selfId,
      isHost: peer.id === hostId,
      ready: peer.ready || peer.id === hostId,
      connected: peer.connected,
      linkOpen: peer.id === selfId || input.isLinkOpen(peer.id),
      canKick: isHost && peer.id !== selfId,
      voice: input.voiceBadge(peer.id),
    })),
    maxPlayers: input.settings?.maxPlayers ?? input.roster.length,
    isHost,
    selfReady,
    // The host has no ready toggle: the lobby never waits for the host's flag.
    ready: when(phase === "waiting" && !isHost, true),
    start: when(isHost && phase === "waiting", notReady === 0),
    startQuestion: isHost && connected < 2 ? "Start with only you?" : null,
    finish: when(isHost && phase === "playing", input.stage === "round"),
    reopen: when(isHost && phase === "finished", true),
    chat: online ? "enabled" : "disabled",
    hint: online
      ? hintFor(phase, isHost, selfReady, notReady, hostName, connected)
      : offlineHint(input.connection),
    log: input.log,
    chatError: input.chatError,
    voice: buildVoiceModel(input.voice),
  };
}

function hintFor(
  phase: LobbyPhase,
  isHost: boolean,
  selfReady: boolean,
  notReady: number,
  hostName: string,
  connected: number,
): string {
  switch (phase) {
    case "waiting":
      if (!selfReady && !isHost) return "Press “I'm ready” when you are.";
      if (isHost && connected < 2) return "Invite players with the link or the QR code.";
      if (notReady > 0) return `Waiting for ${players(notReady)} to get ready.`;
      return isHost
        ? "Everyone is ready: start when you like."
        : `Everyone is ready: ${hostName} starts the game.`;
    case "playing":
      return isHost
        ? "Match on! End round stops the current round early."
        : "Match on! Players who join now score from the moment they arrive.";
    case "finished":
      return isHost
        ? "Match over. Play again goes back to the warm-up, scores cleared."
        : `Match over. ${hostName} can start another.`;
    default:
      return assertNever(phase, "phase");
  }
}

function offlineHint(connection: ConnectionState): string {
  return connection === "closed"
    ? "Disconnected from the lobby."
    : "Not connected to the lobby right now; buttons come back when it is.";
}
