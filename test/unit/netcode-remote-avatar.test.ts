import { describe, expect, it } from "vitest";
import type { AvatarSample, AvatarSnapshot } from "../../game/kit/netcode/interpolation.ts";
import { RemoteAvatar } from "../../game/kit/netcode/remote-avatar.ts";
import { maxError, POSITION_X } from "../../game/kit/wire/quantize.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
} from "../../game/kit/wire/state-channel.ts";

const TICK_MS = 1000 / 60;
const FRAME_MS = 1000 / 60;
/** Sender time 0 is our local time 5000; each packet then takes 30 ms plus its jitter. */
const LOCAL_AT_SENDER_ZERO_MS = 5000;
const TRANSIT_MS = 30;

/** The sender's avatar: straight along x at 150 units/s, down y at 60 units/s. */
const truthAt = (senderMs: number): { x: number; y: number } => ({
  x: 100 + 0.15 * senderMs,
  y: 400 - 0.06 * senderMs,
});

function snapshotFor(seq: number): AvatarSnapshot {
  const tick = seq * 2;
  return { seq, tick, ...truthAt(tick * TICK_MS), vx: 150, vy: -60 };
}

interface Delivery {
  readonly snapshot: AvatarSnapshot;
  readonly arrivalMs: number;
}

/**
 * Packets 1..count over a bad link: every 7th lost, every 11th delivered twice (the copy
 * 200 ms late), and a repeating 0-48 ms jitter pattern that reorders neighbours.
 */
function badLink(count: number): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let seq = 1; seq <= count; seq++) {
    if (seq % 7 === 0) continue;
    const snapshot = snapshotFor(seq);
    const sentLocalMs = LOCAL_AT_SENDER_ZERO_MS + snapshot.tick * TICK_MS;
    const arrivalMs = sentLocalMs + TRANSIT_MS + ((seq * 37) % 7) * 8;
    deliveries.push({ snapshot, arrivalMs });
    if (seq % 11 === 0) deliveries.push({ snapshot, arrivalMs: arrivalMs + 200 });
  }
  return deliveries.sort((a, b) => a.arrivalMs - b.arrivalMs);
}

/** Plays deliveries and renders a frame every 1/60 s from `fromMs` to `toMs`. */
function play(
  avatar: RemoteAvatar,
  deliveries: readonly Delivery[],
  fromMs: number,
  toMs: number,
): AvatarSample[] {
  const samples: AvatarSample[] = [];
  let next = 0;
  for (let now = fromMs; now <= toMs; now += FRAME_MS) {
    for (; (deliveries[next]?.arrivalMs ?? Number.POSITIVE_INFINITY) <= now; next++) {
      const delivery = deliveries[next];
      if (delivery) avatar.receive(delivery.snapshot, delivery.arrivalMs);
    }
    const sample = avatar.sample(now);
    if (sample) samples.push(sample);
  }
  return samples;
}

describe("remote avatar", () => {
  it("shows nothing before the first snapshot", () => {
    expect(new RemoteAvatar({ tickMs: TICK_MS }).sample(0)).toBeNull();
  });

  it("follows the sender's true path over a lossy, jittery, duplicating link", () => {
    const avatar = new RemoteAvatar({ tickMs: TICK_MS });
    const deliveries = badLink(300);
    const samples = play(avatar, deliveries, 5000, 15_000).filter((s) => s.renderTimeMs > 1000);
    const interpolated = samples.filter((s) => s.mode === "interpolated");
    expect(interpolated.length).toBeGreaterThan(samples.length * 0.95);
    for (const sample of interpolated) {
      const truth = truthAt(sample.renderTimeMs);
      expect(sample.x).toBeCloseTo(truth.x, 9);
      expect(sample.y).toBeCloseTo(truth.y, 9);
    }
  });

  it("renders about the transit plus the delay behind the sender", () => {
    const avatar = new RemoteAvatar({ tickMs: TICK_MS });
    const deliveries = badLink(300);
    const samples = play(avatar, deliveries, 5000, 14_000);
    const last = samples.at(-1);
    const { delayMs } = avatar.stats;
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
    const avatar = new RemoteAvatar({ tickMs: TICK_MS });
    const deliveries = badLink(300);
    play(avatar, deliveries, 5000, 16_000);
    const stats = avatar.stats;
    const copies = Math.floor(300 / 11) - Math.floor(300 / 77);
    expect(stats.received).toBe(deliveries.length);
    expect(stats.accepted).toBe(300 - Math.floor(300 / 7));
    // A copy 200 ms late is past the playout point by then: stale rather than duplicate.
    expect(stats.duplicates + stats.stale).toBe(copies);
    expect(stats.outOfOrder).toBeGreaterThan(0);
    expect(stats.jitterMs).toBeGreaterThan(0);
  });

  it("extrapolates for a bounded time when packets stop, then holds", () => {
    const avatar = new RemoteAvatar({ tickMs: TICK_MS, maxExtrapolationMs: 120 });
    const deliveries = badLink(60).filter((d) => d.snapshot.seq <= 58);
    const samples = play(avatar, deliveries, 5000, 9000);
    const newest = avatar.newest;
    if (!newest) throw new Error("no snapshot");
    const modes = samples.map((s) => s.mode);
    const firstHeld = modes.indexOf("held");
    expect(modes.lastIndexOf("extrapolated")).toBe(firstHeld - 1);
    expect(modes.slice(firstHeld).every((mode) => mode === "held")).toBe(true);
    const extrapolated = samples.filter((s) => s.mode === "extrapolated");
    for (const sample of extrapolated) {
      expect(sample.x).toBeCloseTo(truthAt(sample.renderTimeMs).x, 9);
    }
    const stoppedAt = truthAt(newest.tick * TICK_MS + 120);
    expect(samples.at(-1)).toMatchObject({ vx: 0, vy: 0, mode: "held" });
    expect(samples.at(-1)?.x).toBeCloseTo(stoppedAt.x, 9);
    expect(samples.at(-1)?.y).toBeCloseTo(stoppedAt.y, 9);
  });

  it("takes packets straight from the wire decoder, within the quantization error", () => {
    const avatar = new RemoteAvatar({ tickMs: TICK_MS });
    for (let seq = 1; seq <= 60; seq++) {
      const bytes = encodeStateChannelPacket({ kind: "state", ...snapshotFor(seq) });
      const packet = decodeStateChannelPacket(bytes);
      if (packet?.kind !== "state") throw new Error("not a state packet");
      avatar.receive(packet, LOCAL_AT_SENDER_ZERO_MS + packet.tick * TICK_MS + TRANSIT_MS);
    }
    const sample = avatar.sample(LOCAL_AT_SENDER_ZERO_MS + 1800);
    if (!sample) throw new Error("no sample");
    expect(sample.mode).toBe("interpolated");
    const error = Math.abs(sample.x - truthAt(sample.renderTimeMs).x);
    expect(error).toBeLessThanOrEqual(maxError(POSITION_X));
  });
});
