/** A lobby's roster and welcomes as tests of what a player knows of its lobby build them. */
import { type PeerInfo, PROTOCOL_VERSION, type Welcome } from "../../shared/protocol.ts";

export const peer = (id: string, joinOrder: number, extra: Partial<PeerInfo> = {}): PeerInfo => ({
  id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  color: joinOrder - 1,
  joinOrder,
  ready: false,
  connected: true,
  ...extra,
});

export function welcome(selfId: string, peers: PeerInfo[], extra: Partial<Welcome> = {}): Welcome {
  return {
    type: "welcome",
    v: PROTOCOL_VERSION,
    lobby: "ABC123",
    settings: {
      name: "Friday",
      maxPlayers: 4,
      visibility: "public",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    },
    phase: "waiting",
    peerId: selfId,
    resumeToken: "token",
    resumed: false,
    graceMs: 20_000,
    hostId: peers[0]?.id ?? selfId,
    hostEpoch: 1,
    peers,
    iceServers: [],
    iceServersExpireAt: null,
    ...extra,
  };
}
