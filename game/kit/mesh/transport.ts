/**
 * What a peer link needs of a way to reach one peer: send a packet on one of the two logical
 * channels, or say it cannot. The direct data channels (`direct-transport.ts`) and the edge
 * relay through the lobby socket (`edge-transport.ts`) both look like this, so the netcode
 * above them does not care which one carries a packet.
 */
import { peekStateChannelKind } from "../wire/state-channel.ts";

/**
 * `state`: state, ping and pong packets, lossy and latest-wins, so a sender drops rather than
 * queues. `events`: the host-owned world, reliable and in order.
 */
export type PacketChannel = "state" | "events";

export type TransportKind = "direct" | "edge";

export interface PacketTransport {
  readonly kind: TransportKind;
  /** Whether a packet sent now can reach the peer, as far as this side can tell. */
  readonly usable: boolean;
  /**
   * Sends one packet; false when it was dropped instead (not usable, too much queued, or over
   * the relay's rate budget). Never throws.
   */
  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>, nowMs: number): boolean;
}

/**
 * Which channel a packet belongs to, from its first byte. The relay carries both kinds in one
 * stream: state-channel packets are the stream, ping and pong records (first byte 0x40-0x42),
 * anything else (action records, 0x43) belongs to the reliable channel.
 */
export function channelOfPacket(packet: Uint8Array): PacketChannel {
  return peekStateChannelKind(packet) === null ? "events" : "state";
}
