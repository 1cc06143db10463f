import { describe, expect, it } from "vitest";
import type { StreamSample } from "../../game/kit/netcode/interpolation.ts";
import { RemoteStream, type Snapshot } from "../../game/kit/netcode/remote-stream.ts";
import { maxError, positionQuantizer } from "../../game/kit/wire/quantize.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
} from "../../game/kit/wire/state-channel.ts";
import { type Motion, motionCodec } from "../../game/kit/wire/stream-codec.ts";
import { StreamRegistry } from "../../game/kit/wire/stream-registry.ts";

const motion = motionCodec({ bounds: { width: 960, height: 540 }, maxSpeed: 512 });
/** The sender simulates at 60 Hz and sends every second tick (30 packets a second). */
const HZ = 60;
const TICK_MS = 1000 / HZ;
const FRAME_MS = 1000 / 60;
/** Sender time 0 is our local time 5000; each packet then takes 30 ms plus its jitter. */
const LOCAL_AT_SENDER_ZERO_MS = 5000;
const TRANSIT_MS = 30;

/** The sender's avatar: straight along x at 150 units/s, down y at 60 units/s. */
const truthAt = (senderMs: number): { x: number; y: number } => ({
  x: 100 + 0.15 * senderMs,
  y: 400 - 0.06 * senderMs,
});

function snapshotFor(seq: number, ticksPerPacket = 2, hz = HZ): Snapshot<Motion> {
  const tick = seq * ticksPerPacket;
  return { seq, tick, value: { ...truthAt((tick * 1000) / hz), vx: 150, vy: -60 } };
}

interface Delivery {
  readonly snapshot: Snapshot<Motion>;
  readonly hz: number;
  readonly arrivalMs: number;
}

/**
 * Packets 1..count over a bad link: every 7th lost, every 11th delivered twice (the copy
 * 200 ms late), and a repeating 0-48 ms jitter pattern that reorders neighbours.
 */
function badLink(count: number, ticksPerPacket = 2, hz = HZ): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let seq = 1; seq <= count; seq++) {
    if (seq % 7 === 0) continue;
    const snapshot = snapshotFor(seq, ticksPerPacket, hz);
    const sentLocalMs = LOCAL_AT_SENDER_ZERO_MS + (snapshot.tick * 1000) / hz;
    const arrivalMs = sentLocalMs + TRANSIT_MS + ((seq * 37) % 7) * 8;
    deliveries.push({ snapshot, hz, arrivalMs });
    if (seq % 11 === 0) deliveries.push({ snapshot, hz, arrivalMs: arrivalMs + 200 });
  }
  return deliveries.sort((a, b) => a.arrivalMs - b.arrivalMs);
}

/** Plays deliveries and renders a frame every 1/60 s from `fromMs` to `toMs`. */
function play<T>(
  stream: RemoteStream<T>,
  deliveries: readonly { snapshot: Snapshot<T>; hz: number; arrivalMs: number }[],
  fromMs: number,
  toMs: number,
): StreamSample<T>[] {
  const samples: StreamSample<T>[] = [];
  let next = 0;
  for (let now = fromMs; now <= toMs; now += FRAME_MS) {
    for (; (deliveries[next]?.arrivalMs ?? Number.POSITIVE_INFINITY) <= now; next++) {
      const delivery = deliveries[next];
      if (delivery) stream.receive(delivery.snapshot, delivery.hz, delivery.arrivalMs);
    }
    const sample = stream.sample(now);
    if (sample) samples.push(sample);
  }
  return samples;
}

const motionStream = (): RemoteStream<Motion> => new RemoteStream<Motion>({ blend: motion });

function expectOnTruth(samples: readonly StreamSample<Motion>[]): void {
  for (const sample of samples) {
    const truth = truthAt(sample.renderTimeMs);
    expect(sample.value.x).toBeCloseTo(truth.x, 9);
    expect(sample.value.y).toBeCloseTo(truth.y, 9);
  }
}

describe("remote stream", () => {
  it("shows nothing before the first snapshot", () => {
    expect(motionStream().sample(0)).toBeNull();
  });

  it("follows the sender's true path over a lossy, jittery, duplicating link", () => {
    const stream = motionStream();
    const samples = play(stream, badLink(300), 5000, 15_000).filter((s) => s.renderTimeMs > 1000);
    const interpolated = samples.filter((s) => s.mode === "interpolated");
    expect(interpolated.length).toBeGreaterThan(samples.length * 0.95);
    expectOnTruth(interpolated);
  });

  it("renders about the transit plus the delay behind the sender", () => {
    const stream = motionStream();
    const deliveries = badLink(300);
    const samples = play(stream, deliveries, 5000, 14_000);
    const last = samples.at(-1);
    const { delayMs } = stream.stats;
    if (!last || delayMs === null) throw new Error("no samples");
    const fastestTripMs = Math.min(
      ...deliveries.map((d) => d.arrivalMs - LOCAL_AT_SENDER_ZERO_MS - d.snapshot.tick * TICK_MS),
    );
    const lagMs = 14_000 - LOCAL_AT_SENDER_ZERO_MS - last.renderTimeMs;
    expect(lagMs).toBeCloseTo(fastestTripMs + delayMs, 6);
    expect(delayMs).toBeGreaterThanOrEqual(100);
    expect(delayMs).toBeLessThan(250);
  });

  it("counts what the link did, for the HUD", () => {
    const stream = motionStream();
    const deliveries = badLink(300);
    play(stream, deliveries, 5000, 16_000);
    const stats = stream.stats;
    const copies = Math.floor(300 / 11) - Math.floor(300 / 77);
    expect(stats.received).toBe(deliveries.length);
    expect(stats.accepted).toBe(300 - Math.floor(300 / 7));
    // A copy 200 ms late is past the playout point by then: stale rather than duplicate.
    expect(stats.duplicates + stats.stale).toBe(copies);
    expect(stats.outOfOrder).toBeGreaterThan(0);
    expect(stats.jitterMs).toBeGreaterThan(0);
    expect(stats.hz).toBe(HZ);
  });

  it("extrapolates for a bounded time when packets stop, then holds", () => {
    const stream = new RemoteStream<Motion>({ blend: motion, maxExtrapolationMs: 120 });
    const deliveries = badLink(60).filter((d) => d.snapshot.seq <= 58);
    const samples = play(stream, deliveries, 5000, 9000);
    const newest = stream.newest;
    if (!newest) throw new Error("no snapshot");
    const modes = samples.map((s) => s.mode);
    const firstHeld = modes.indexOf("held");
    expect(modes.lastIndexOf("extrapolated")).toBe(firstHeld - 1);
    expect(modes.slice(firstHeld).every((mode) => mode === "held")).toBe(true);
    expectOnTruth(samples.filter((s) => s.mode === "extrapolated"));
    const stoppedAt = truthAt(newest.tick * TICK_MS + 120);
    expect(samples.at(-1)?.mode).toBe("held");
    expect(samples.at(-1)?.value.x).toBeCloseTo(stoppedAt.x, 9);
    expect(samples.at(-1)?.value.y).toBeCloseTo(stoppedAt.y, 9);
  });

  it("places snapshots by the hz they carry: a 30 Hz sender is drawn on the same path", () => {
    // One tick per packet at 30 Hz: the same moments as two ticks per packet at 60 Hz.
    const stream = motionStream();
    const samples = play(stream, badLink(300, 1, 30), 5000, 15_000);
    const interpolated = samples.filter((s) => s.mode === "interpolated" && s.renderTimeMs > 1000);
    expect(interpolated.length).toBeGreaterThan(400);
    expectOnTruth(interpolated);
    expect(stream.stats.hz).toBe(30);
  });

  it("starts a new timeline when the sender's hz changes, and drops leftovers of the old", () => {
    const stream = motionStream();
    const at60 = badLink(100);
    play(stream, at60, 5000, 9000);
    const before = stream.stats;
    // The sender restarts its simulation at 30 Hz, its ticks from 0, its seqs going on.
    const senderMs = 4000;
    const at30 = Array.from({ length: 60 }, (_, i) => {
      const seq = 101 + i;
      const tick = i;
      const sentLocalMs = LOCAL_AT_SENDER_ZERO_MS + senderMs + (tick * 1000) / 30;
      const value = { ...truthAt(senderMs + (tick * 1000) / 30), vx: 150, vy: -60 };
      return { snapshot: { seq, tick, value }, hz: 30, arrivalMs: sentLocalMs + TRANSIT_MS };
    });
    const samples = play(stream, at30, 9000, 11_500);
    expect(stream.stats.hz).toBe(30);
    // A late packet of the old rate belongs to the timeline that was left.
    expect(stream.receive(snapshotFor(100), HZ, 11_500)).toBe("stale");
    const drawn = samples.filter((s) => s.mode === "interpolated" && s.renderTimeMs > 300);
    expect(drawn.length).toBeGreaterThan(60);
    for (const sample of drawn) {
      expect(sample.value.x).toBeCloseTo(truthAt(senderMs + sample.renderTimeMs).x, 9);
    }
    expect(stream.stats.accepted).toBe(before.accepted + 60);
  });

  it("rejects a snapshot with no usable hz", () => {
    const stream = motionStream();
    expect(stream.receive(snapshotFor(1), 0, 0)).toBe("rejected");
    expect(stream.receive(snapshotFor(1), Number.NaN, 0)).toBe("rejected");
    expect(stream.stats).toMatchObject({ received: 2, rejected: 2, hz: null });
    expect(stream.sample(100)).toBeNull();
  });

  it("steps a stream without a blend, through the same playout", () => {
    const phases = new RemoteStream<{ readonly phase: string }>();
    const names = ["lobby", "countdown", "playing", "over"];
    const deliveries = names.map((phase, i) => ({
      snapshot: { seq: i + 1, tick: i * 30, value: { phase } },
      hz: 30,
      arrivalMs: 1000 + i * 1000 + TRANSIT_MS,
    }));
    const samples = play(phases, deliveries, 1000, 6000);
    const shown = samples.map((s) => s.value.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(shown).toEqual(names);
    expect(new Set(samples.map((s) => s.mode))).toEqual(new Set(["waiting", "stepped", "held"]));
  });

  it("takes values straight from the wire, within the quantization error", () => {
    const stream = motionStream();
    const receiver = new StreamRegistry<number>();
    const tag = receiver.add("motion", motion, (value, arrivalMs) =>
      stream.receive(value, value.hz, arrivalMs),
    );
    for (let seq = 1; seq <= 60; seq++) {
      const { tick, value } = snapshotFor(seq);
      const data = motion.encode(value);
      const decoded = decodeStateChannelPacket(
        encodeStateChannelPacket({ kind: "stream", stream: tag, seq, tick, hz: HZ, data }),
      );
      if (!decoded.ok || decoded.packet.kind !== "stream") throw new Error("not a stream packet");
      const arrivalMs = LOCAL_AT_SENDER_ZERO_MS + tick * TICK_MS + TRANSIT_MS;
      expect(receiver.receive(decoded.packet, arrivalMs).ok).toBe(true);
    }
    const sample = stream.sample(LOCAL_AT_SENDER_ZERO_MS + 1800);
    if (!sample) throw new Error("no sample");
    expect(sample.mode).toBe("interpolated");
    const error = Math.abs(sample.value.x - truthAt(sample.renderTimeMs).x);
    expect(error).toBeLessThanOrEqual(maxError(positionQuantizer(960)));
  });
});
