/**
 * What the edge-relay transport needs from the lobby socket, and nothing more: send one game
 * packet to a peer as a relay frame, and hear packets from peers. The browser implements it
 * over the lobby WebSocket (`reconnecting-lobby.ts`); tests can implement it over anything.
 */
import type { PacketChannel } from "./transport.ts";

export type EdgePacketHandler = (from: string, packet: Uint8Array) => void;

export interface EdgeRelay {
  /** Whether the lobby socket is open and welcomed, so a relay frame can go out now. */
  readonly ready: boolean;
  /**
   * Sends `packet` to peer `to` through the lobby; false when it was not sent (socket down,
   * or a `state` packet while the socket has too much queued). Never throws.
   */
  sendPacket(to: string, packet: Uint8Array, channel: PacketChannel): boolean;
  /** Subscribes to relayed packets from other peers; returns the unsubscribe function. */
  onPacket(handler: EdgePacketHandler): () => void;
}
