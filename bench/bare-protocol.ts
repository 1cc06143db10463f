/**
 * What the two bare relays (`bare-relay.ts` on Node, `bare-do/relay.ts` in a Durable Object)
 * answer, built the same way for both: lobby settings, peer entries and `welcome` carry every
 * field of the protocol with fixed values (no host changes, no TURN, names not kept apart).
 */
import type { LobbyInfo } from "edgeplay/protocol";
import {
  COLOR_SLOTS,
  DEFAULT_ROUNDS,
  type LobbySettings,
  type PeerInfo,
  PROTOCOL_VERSION,
} from "edgeplay/protocol";

export interface BareMember {
  readonly id: string;
  readonly name: string;
  readonly joinOrder: number;
}

export function bareSettings(code: string): LobbySettings {
  return {
    name: `Lobby ${code}`,
    maxPlayers: 8,
    visibility: "private",
    mode: "arena",
    voice: "everyone",
    rounds: DEFAULT_ROUNDS,
  };
}

/** The lookup a game page makes for its share link; the bare relays do not count players. */
export function bareLobbyInfo(code: string, joinUrl: string): LobbyInfo {
  const settings = bareSettings(code);
  return { ...settings, code, phase: "waiting", players: 0, full: false, joinUrl };
}

export function barePeerInfo(member: BareMember): PeerInfo {
  return {
    id: member.id,
    name: member.name,
    color: (member.joinOrder - 1) % COLOR_SLOTS,
    joinOrder: member.joinOrder,
    ready: false,
    connected: true,
  };
}

/** `members` includes the newcomer; the first to join is host for good. */
export function bareWelcome(
  code: string,
  newcomer: BareMember,
  members: readonly BareMember[],
  resumeToken: string,
): string {
  const peers = members.map(barePeerInfo);
  return JSON.stringify({
    type: "welcome",
    v: PROTOCOL_VERSION,
    lobby: code,
    settings: bareSettings(code),
    phase: "waiting",
    peerId: newcomer.id,
    resumeToken,
    resumed: false,
    graceMs: 20_000,
    hostId: peers[0]?.id ?? newcomer.id,
    hostEpoch: 1,
    peers,
    iceServers: [],
    iceServersExpireAt: null,
  });
}
