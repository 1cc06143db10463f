/**
 * A pair's voice over the last stats interval, from two readings of the connection's counters:
 * kbps each way, the share of the peer's packets lost, how long the jitter buffer held audio,
 * and the share of played audio that was concealment (made up for lost or late packets). Pure.
 */
import type { InboundAudio, OutboundAudio } from "./audio-port.ts";

export interface AudioReading {
  readonly atMs: number;
  readonly inbound: InboundAudio | null;
  readonly outbound: OutboundAudio | null;
}

export interface AudioFlow {
  readonly inKbps: number;
  readonly outKbps: number;
  /** Of the peer's packets due in the interval. */
  readonly lostPercent: number;
  /** Average time audio waited in the jitter buffer; null when nothing was played. */
  readonly jitterBufferMs: number | null;
  /** Of the samples played in the interval. */
  readonly concealedPercent: number;
}

export function audioFlow(before: AudioReading, after: AudioReading): AudioFlow | null {
  const seconds = (after.atMs - before.atMs) / 1000;
  if (seconds <= 0 || (after.inbound === null && after.outbound === null)) return null;
  const delta = (pick: (reading: AudioReading) => number | undefined): number =>
    Math.max(0, (pick(after) ?? 0) - (pick(before) ?? 0));
  const received = delta((r) => r.inbound?.packetsReceived);
  const lost = delta((r) => r.inbound?.packetsLost);
  const emitted = delta((r) => r.inbound?.jitterBufferEmittedCount);
  const samples = delta((r) => r.inbound?.totalSamplesReceived);
  return {
    inKbps: (delta((r) => r.inbound?.bytesReceived) * 8) / 1000 / seconds,
    outKbps: (delta((r) => r.outbound?.bytesSent) * 8) / 1000 / seconds,
    lostPercent: received + lost === 0 ? 0 : (lost / (received + lost)) * 100,
    jitterBufferMs:
      emitted === 0 ? null : (delta((r) => r.inbound?.jitterBufferDelay) / emitted) * 1000,
    concealedPercent:
      samples === 0 ? 0 : (delta((r) => r.inbound?.concealedSamples) / samples) * 100,
  };
}
