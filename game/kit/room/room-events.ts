/** Everything a room tells its game, by event name (`room.on(name, listener)`). */
import type { LobbyPhase, PeerInfo } from "../../../shared/protocol.ts";
import type { ConnectionState, LinkEnd } from "../lobby/reconnecting-lobby.ts";
import type { Problem } from "../problems.ts";
import type { ChatLine, RoomNews } from "./room-state.ts";

/**
 * Why the stay ended without the player asking: the lobby closed the socket for good
 * (`closeCode`: kicked 4003, full 4001, closed 4009, ...; docs/protocol.md 4.2), or the seat
 * could not be won back in time. `rejoin` says whether joining afresh may work.
 */
export type RoomEnd = LinkEnd;

export type RoomEvents = {
  /**
   * Every welcome: the first, each resumed seat, and a new seat after ours expired
   * (`newSeat`: a new peer id; streams and actions carry on, everything per peer starts over).
   */
  welcome: (welcome: { readonly selfId: string; readonly newSeat: boolean }) => void;
  "peer-join": (peer: PeerInfo) => void;
  "peer-leave": (left: Extract<RoomNews, { type: "peer-leave" }>) => void;
  /** A player's socket dropped; the lobby holds their seat for its grace window. */
  "peer-away": (peerId: string) => void;
  "peer-back": (peerId: string) => void;
  "peer-ready": (ready: Extract<RoomNews, { type: "peer-ready" }>) => void;
  /** A newer host epoch (the host left, or the lobby moved the role). */
  "host-change": (host: Extract<RoomNews, { type: "host-change" }>) => void;
  phase: (phase: LobbyPhase) => void;
  chat: (line: ChatLine) => void;
  /** Every one of the above, in one listener (a log, say). */
  news: (news: RoomNews) => void;
  /** The path to a peer, or its connection, changed (see `stats(peerId)`). */
  "peer-path": (peerId: string) => void;
  connection: (state: ConnectionState) => void;
  /** Our voice (`null`) or a peer's changed: state, status, speaking, volume (`room.voice`). */
  voice: (peerId: string | null) => void;
  /** The network tick, after paths moved on and streams went out; `nowMs` is platform time. */
  tick: (nowMs: number) => void;
  problem: (problem: Problem) => void;
  ended: (end: RoomEnd) => void;
};
