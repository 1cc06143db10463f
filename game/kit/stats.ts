/** What the kit can tell about one peer: the path its packets take and how that path does. */
import type { InboundAudio, OutboundAudio } from "./voice/audio-port.ts";
import type { AudioFlow } from "./voice/audio-stats.ts";

export type { AudioFlow, InboundAudio, OutboundAudio };

/**
 * Which way packets to a peer go now: `direct` (host or STUN candidates), `turn` (a TURN
 * server carries the WebRTC path), `edge` (the edge relay, through the lobby's socket), or
 * `none` (nothing yet: the direct path is still getting its chance).
 */
export type Path = "direct" | "turn" | "edge" | "none";

/** One of a pair's data channels as WebRTC reports it. */
export interface ChannelInfo {
  readonly label: string;
  readonly readyState: string;
  readonly ordered: boolean;
  readonly maxRetransmits: number | null;
  readonly negotiated: boolean;
  readonly id: number | null;
}

/** How a peer's streams are played out (the room's first stream, when it has several). */
export interface StreamPlayout {
  /** How far behind the newest data this peer's streams are sampled; null before any. */
  readonly interpolationDelayMs: number | null;
  /** RFC 3550 jitter of stream packet arrivals, ms (drives the interpolation delay). */
  readonly arrivalJitterMs: number;
}

export interface PeerStats extends StreamPlayout {
  readonly id: string;
  readonly path: Path;
  /** Smoothed round trip of clock-sync pings on the path in use (SRTT); null before a pong. */
  readonly rttMs: number | null;
  /** Round-trip variation (RTTVAR); null before a pong. */
  readonly jitterMs: number | null;
  /** Lost share of this peer's recent stream packets, from their sequence numbers. */
  readonly lossPercent: number;
  /** Every packet to and from this peer, on whichever path, over the last second. */
  readonly packetsPerSecondIn: number;
  readonly packetsPerSecondOut: number;
  readonly bytesPerSecondIn: number;
  readonly bytesPerSecondOut: number;
  /**
   * Packets to this peer that the path in use refused instead of queueing (send buffer full,
   * relay budget spent, lobby socket down). Ticks before any path exists are not sent at all.
   */
  readonly sendDrops: number;
  /** Of those, stream packets. */
  readonly streamSendDrops: number;
  /** Packets from this peer that were dropped undecoded (another build's stream, junk). */
  readonly receiveDrops: number;
  /** Packets that came from / went to this peer through the edge relay, since the start. */
  readonly edgePacketsIn: number;
  readonly edgePacketsOut: number;
  /** RTCPeerConnection.connectionState; `none` when the pair uses no WebRTC (edge only). */
  readonly connectionState: string;
  /** Whether we are the polite side of the pair's WebRTC negotiation (the lower peer id). */
  readonly polite: boolean;
  /** The direct data channels; empty without WebRTC. */
  readonly channels: readonly ChannelInfo[];
  /** Epoch ms when both direct channels were first open, else null. */
  readonly channelsOpenAt: number | null;
  /** The peer's voice as received (counters since the start, read each second); null without. */
  readonly audioIn: InboundAudio | null;
  /** Our voice to the peer; null until we have sent any. */
  readonly audioOut: OutboundAudio | null;
  /** Voice each way over the last second (kbps, loss, jitter buffer, concealment); null without. */
  readonly audio: AudioFlow | null;
}
