/**
 * Rates over a window from two readings of a page's connections (voice-probe.ts): what each
 * audio stream sent, and what a listener's jitter buffer did with what it received. Each delta
 * uses its own stats entries' timestamps.
 */
import { type InboundRtp, type OutboundRtp, type PageVoice, srtpTagBytes } from "./voice-probe.ts";

/** UDP (8) + IPv4 (20) header bytes per packet: the pages talk over IPv4 host candidates. */
const UDP_IPV4_BYTES = 28;

export interface SendRate {
  /** Opus payload (`bytesSent`), kbit/s. */
  readonly kbps: number;
  /** Payload + RTP headers and extensions (`headerBytesSent`). */
  readonly rtpKbps: number;
  /** Plus the SRTP tag and UDP/IPv4 headers of every packet: what the link carries (no RTCP). */
  readonly wireKbps: number;
  readonly packetsPerSecond: number;
}

export interface ReceiveWindow {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** jitterBufferDelay / jitterBufferEmittedCount over the window, ms; NaN if nothing played. */
  readonly jitterBufferMs: number;
  /** concealedSamples / totalSamplesReceived over the window, %. */
  readonly concealedPercent: number;
}

function sendRate(before: OutboundRtp, after: OutboundRtp, tagBytes: number): SendRate {
  const ms = after.timestamp - before.timestamp;
  const bytes = after.bytesSent - before.bytesSent;
  const headers = after.headerBytesSent - before.headerBytesSent;
  const packets = after.packetsSent - before.packetsSent;
  // bits per millisecond = kbit/s
  return {
    kbps: (bytes * 8) / ms,
    rtpKbps: ((bytes + headers) * 8) / ms,
    wireKbps: ((bytes + headers + packets * (tagBytes + UDP_IPV4_BYTES)) * 8) / ms,
    packetsPerSecond: (packets * 1000) / ms,
  };
}

/** One rate per connection that was sending audio at both readings: one per stream. */
export function streamRates(before: PageVoice, after: PageVoice): SendRate[] {
  return after.flatMap((connection, i) => {
    const earlier = before[i]?.outbound;
    const later = connection?.outbound;
    if (earlier == null || later == null || later.timestamp <= earlier.timestamp) return [];
    return [sendRate(earlier, later, srtpTagBytes(connection?.srtpCipher ?? null))];
  });
}

/** A player's upstream: its streams summed. */
export function sumRates(rates: readonly SendRate[]): SendRate {
  const total = (pick: (rate: SendRate) => number): number =>
    rates.reduce((sum, rate) => sum + pick(rate), 0);
  return {
    kbps: total((r) => r.kbps),
    rtpKbps: total((r) => r.rtpKbps),
    wireKbps: total((r) => r.wireKbps),
    packetsPerSecond: total((r) => r.packetsPerSecond),
  };
}

function receiveWindow(before: InboundRtp, after: InboundRtp): ReceiveWindow {
  const delta = (pick: (rtp: InboundRtp) => number): number => pick(after) - pick(before);
  const emitted = delta((r) => r.jitterBufferEmittedCount);
  const samples = delta((r) => r.totalSamplesReceived);
  return {
    packetsReceived: delta((r) => r.packetsReceived),
    packetsLost: delta((r) => r.packetsLost),
    jitterBufferMs: (delta((r) => r.jitterBufferDelay) / emitted) * 1000,
    concealedPercent: (delta((r) => r.concealedSamples) / samples) * 100,
  };
}

/** One window per connection that was receiving audio at both readings. */
export function receiveWindows(before: PageVoice, after: PageVoice): ReceiveWindow[] {
  return after.flatMap((connection, i) => {
    const earlier = before[i]?.inbound;
    const later = connection?.inbound;
    return earlier == null || later == null ? [] : [receiveWindow(earlier, later)];
  });
}
