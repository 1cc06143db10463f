import { describe, expect, it } from "vitest";
import type { InboundAudio } from "../../game/kit/voice/audio-port.ts";
import { type AudioReading, audioFlow } from "../../game/kit/voice/audio-stats.ts";

const inbound = (over: Partial<InboundAudio>): InboundAudio => ({
  packetsReceived: 0,
  packetsLost: 0,
  bytesReceived: 0,
  totalAudioEnergy: 0,
  jitterBufferDelay: 0,
  jitterBufferEmittedCount: 0,
  concealedSamples: 0,
  totalSamplesReceived: 0,
  ...over,
});

describe("a pair's voice over one stats interval", () => {
  it("gives kbps each way, loss, jitter-buffer delay and concealment from the counters", () => {
    const before: AudioReading = {
      atMs: 1000,
      inbound: inbound({
        packetsReceived: 100,
        bytesReceived: 10_000,
        totalSamplesReceived: 96_000,
      }),
      outbound: { packetsSent: 50, bytesSent: 5000 },
    };
    const after: AudioReading = {
      atMs: 2000,
      inbound: inbound({
        packetsReceived: 145,
        packetsLost: 5,
        bytesReceived: 14_000,
        // Summed over every emitted sample: 48,000 samples held 60 ms each.
        jitterBufferDelay: 2880,
        jitterBufferEmittedCount: 48_000,
        concealedSamples: 2400,
        totalSamplesReceived: 144_000,
      }),
      outbound: { packetsSent: 100, bytesSent: 8000 },
    };
    const flow = audioFlow(before, after);
    expect(flow?.inKbps).toBeCloseTo(32);
    expect(flow?.outKbps).toBeCloseTo(24);
    expect(flow?.lostPercent).toBeCloseTo(10);
    expect(flow?.jitterBufferMs).toBeCloseTo(60);
    expect(flow?.concealedPercent).toBeCloseTo(5);
  });

  it("has no jitter-buffer figure while nothing plays, and nothing without audio at all", () => {
    const quiet = { atMs: 0, inbound: inbound({}), outbound: null };
    expect(audioFlow(quiet, { ...quiet, atMs: 1000 })).toMatchObject({
      inKbps: 0,
      lostPercent: 0,
      jitterBufferMs: null,
      concealedPercent: 0,
    });
    const none = { atMs: 0, inbound: null, outbound: null };
    expect(audioFlow(none, { ...none, atMs: 1000 })).toBeNull();
    expect(audioFlow(quiet, quiet)).toBeNull();
  });
});
