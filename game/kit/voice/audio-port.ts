/**
 * The audio of one RTCPeerConnection: our one send-only transceiver (added the first time we
 * have a microphone for this peer, so the connection's first handshake stays data-only) and the
 * peer's track, from their own send-only transceiver. Adding ours, or turning it off for good,
 * fires `negotiationneeded`, and the connection's perfect negotiation carries it; muting only
 * swaps the track for none, which needs no negotiation, so unmuting is instant.
 */
import { isFiniteNumber, isRecord } from "../../../shared/guards.ts";
import type { PeerConnectionLike } from "../platform/platform.ts";

/** What audio needs of a connection beyond the data channels (a browser's has it all). */
export type MediaPeerConnection = PeerConnectionLike &
  Pick<RTCPeerConnection, "addTransceiver" | "getReceivers">;

export function supportsMedia(pc: PeerConnectionLike): pc is MediaPeerConnection {
  return (
    "addTransceiver" in pc &&
    typeof pc.addTransceiver === "function" &&
    "getReceivers" in pc &&
    typeof pc.getReceivers === "function"
  );
}

/** Opus for voice: enough for speech, and a talker runs one encoder per peer in a mesh. */
export const VOICE_MAX_BITRATE = 24_000;

/** What the receiving side reads of the peer's audio, from the connection's stats. */
export interface InboundAudio {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly bytesReceived: number;
  /** Sum of squared levels over played samples × seconds (W3C `totalAudioEnergy`). */
  readonly totalAudioEnergy: number;
  readonly jitterBufferDelay: number;
  readonly jitterBufferEmittedCount: number;
  readonly concealedSamples: number;
  readonly totalSamplesReceived: number;
}

export interface OutboundAudio {
  readonly packetsSent: number;
  readonly bytesSent: number;
}

export class AudioPort {
  readonly #pc: MediaPeerConnection;
  #sender: RTCRtpTransceiver | null = null;
  /** The track last asked of our sender (undefined: unknown, after a failed swap). */
  #outgoing: MediaStreamTrack | null | undefined = undefined;
  #remote: MediaStreamTrack | null = null;
  #remoteStream: MediaStream | null = null;
  #closed = false;

  constructor(pc: MediaPeerConnection) {
    this.#pc = pc;
    pc.addEventListener("track", (event) => {
      // Our peer sends its track with its capture's stream, which an element can play.
      const stream = event.streams[0];
      if (event.track.kind === "audio" && event.transceiver !== this.#sender && stream) {
        this.#remote = event.track;
        this.#remoteStream = stream;
      }
    });
  }

  /** The peer's voice as it arrives, once they have sent us a track; null before. */
  get remoteTrack(): MediaStreamTrack | null {
    return this.#remote;
  }

  /** The stream the peer's voice came in, for an element to play; null before. */
  get remoteStream(): MediaStream | null {
    return this.#remoteStream;
  }

  /** Whether our transceiver exists and is meant to send (a renegotiation may still be due). */
  get sending(): boolean {
    return this.#sender !== null && this.#sender.direction === "sendonly";
  }

  /**
   * Our microphone to this peer, from `stream`: the transceiver is added the first time (one
   * renegotiation), then `transmit` only swaps the track in and out (none: no packets at all).
   * Called every tick, so it does nothing unless what is wanted changed.
   */
  send(stream: MediaStream, track: MediaStreamTrack, transmit: boolean): void {
    if (this.#closed) return;
    if (this.#sender === null) {
      this.#sender = this.#pc.addTransceiver(track, {
        direction: "sendonly",
        streams: [stream],
        sendEncodings: [{ maxBitrate: VOICE_MAX_BITRATE }],
      });
      this.#outgoing = track;
    } else if (this.#sender.direction !== "sendonly") {
      this.#sender.direction = "sendonly";
    }
    this.#replace(transmit ? track : null);
  }

  /** Voice off for good: no track, and the transceiver goes inactive (a renegotiation). */
  stop(): void {
    if (this.#closed || this.#sender === null) return;
    if (this.#sender.direction !== "inactive") this.#sender.direction = "inactive";
    this.#replace(null);
  }

  /** Swaps the sent track once per change (replaceTrack resolves later; the tick does not wait). */
  #replace(track: MediaStreamTrack | null): void {
    if (this.#sender === null || this.#outgoing === track) return;
    this.#outgoing = track;
    // A connection closing under us rejects; the next change tries again.
    this.#sender.sender.replaceTrack(track).catch(() => {
      this.#outgoing = undefined;
    });
  }

  /** The newest played level of the peer's voice (0..1), and its RTP timestamp; null if none. */
  latestLevel(): { readonly level: number; readonly rtpTimestamp: number } | null {
    const remote = this.#remote;
    if (remote === null || this.#closed) return null;
    try {
      const receiver = this.#pc.getReceivers().find((candidate) => candidate.track === remote);
      const source = receiver?.getSynchronizationSources()[0];
      if (source === undefined) return null;
      return { level: source.audioLevel ?? 0, rtpTimestamp: source.rtpTimestamp };
    } catch {
      // A connection closing under us: no level this tick.
      return null;
    }
  }

  close(): void {
    this.#closed = true;
    this.#remote = null;
    this.#remoteStream = null;
  }
}

/**
 * The peer's audio and ours, from one `getStats()` report (null where there is none), and when
 * the counters were read (the report's own timestamp; null if it has none).
 */
export function audioFromStats(report: Iterable<unknown>): {
  readonly inbound: InboundAudio | null;
  readonly outbound: OutboundAudio | null;
  readonly readAtMs: number | null;
} {
  let inbound: InboundAudio | null = null;
  let outbound: OutboundAudio | null = null;
  let readAtMs: number | null = null;
  for (const entry of report) {
    if (!isRecord(entry)) continue;
    const timestamp = entry["timestamp"];
    if (readAtMs === null && isFiniteNumber(timestamp)) readAtMs = timestamp;
    if (entry["kind"] !== "audio") continue;
    if (entry["type"] === "inbound-rtp") {
      inbound = {
        packetsReceived: numberOf(entry, "packetsReceived"),
        packetsLost: numberOf(entry, "packetsLost"),
        bytesReceived: numberOf(entry, "bytesReceived"),
        totalAudioEnergy: numberOf(entry, "totalAudioEnergy"),
        jitterBufferDelay: numberOf(entry, "jitterBufferDelay"),
        jitterBufferEmittedCount: numberOf(entry, "jitterBufferEmittedCount"),
        concealedSamples: numberOf(entry, "concealedSamples"),
        totalSamplesReceived: numberOf(entry, "totalSamplesReceived"),
      };
    } else if (entry["type"] === "outbound-rtp") {
      outbound = {
        packetsSent: numberOf(entry, "packetsSent"),
        bytesSent: numberOf(entry, "bytesSent"),
      };
    }
  }
  return { inbound, outbound, readAtMs };
}

function numberOf(entry: Record<string, unknown>, key: string): number {
  const value = entry[key];
  return isFiniteNumber(value) ? value : 0;
}
