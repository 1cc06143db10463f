import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinkStats } from "../../game/kit/netcode/link-stats.ts";
import { LossWindow } from "../../game/kit/netcode/loss-window.ts";
import { RateWindow } from "../../game/kit/netcode/rate-window.ts";

const INTERVAL_MS = 1000 / 30;

describe("loss from sequence numbers", () => {
  it("reads 0 with nothing lost, or nothing received", () => {
    const loss = new LossWindow(90, 3);
    expect(loss.lossRatio).toBe(0);
    for (let seq = 1; seq <= 200; seq++) loss.add(seq);
    expect(loss.lossRatio).toBe(0);
  });

  it("measures the share missing over the last window of seqs", () => {
    const loss = new LossWindow(90, 3);
    for (let seq = 1; seq <= 500; seq++) if (seq % 10 !== 0) loss.add(seq);
    expect(loss.lossRatio).toBeCloseTo(0.1, 2);
  });

  it("forgets old losses as the window slides on", () => {
    const loss = new LossWindow(90, 3);
    for (let seq = 1; seq <= 100; seq++) if (seq % 2 === 0) loss.add(seq);
    expect(loss.lossRatio).toBeCloseTo(0.5, 1);
    for (let seq = 101; seq <= 200; seq++) loss.add(seq);
    expect(loss.lossRatio).toBe(0);
  });

  it("does not count a packet that is only a little late, nor duplicates", () => {
    const loss = new LossWindow(90, 3);
    for (let seq = 1; seq <= 100; seq++) if (seq !== 99) loss.add(seq);
    expect(loss.lossRatio).toBe(0);
    loss.add(99);
    loss.add(99);
    loss.add(50);
    expect(loss.lossRatio).toBe(0);
  });

  it("counts from the first seq heard, not from zero", () => {
    const loss = new LossWindow(90, 0);
    for (let seq = 1000; seq <= 1009; seq++) if (seq !== 1005) loss.add(seq);
    expect(loss.lossRatio).toBeCloseTo(0.1, 9);
  });

  it("ignores seqs too old for the window and junk", () => {
    const loss = new LossWindow(10, 0);
    for (let seq = 100; seq <= 120; seq++) loss.add(seq);
    for (const junk of [1, -5, 2.5, Number.NaN]) loss.add(junk);
    expect(loss.lossRatio).toBe(0);
  });

  it("matches the true loss over the window for any drop pattern", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), (arrived) => {
        const loss = new LossWindow(50, 0);
        arrived.forEach((ok, i) => {
          if (ok || i === 0 || i === arrived.length - 1) loss.add(i);
        });
        const window = arrived.map((ok, i) => ok || i === 0 || i === arrived.length - 1).slice(-50);
        const expected = window.filter((ok) => !ok).length / window.length;
        expect(loss.lossRatio).toBeCloseTo(expected, 9);
      }),
    );
  });
});

describe("rate over a sliding window", () => {
  it("measures a steady rate", () => {
    const rate = new RateWindow(0);
    for (let now = 0; now < 3000; now += INTERVAL_MS) rate.add(20, now);
    // 30 packets of 20 bytes a second, give or take the one on the window's edge.
    expect(Math.abs(rate.perSecond(3000) - 600)).toBeLessThanOrEqual(20);
  });

  it("does not read low just after it starts", () => {
    const rate = new RateWindow(0);
    for (let now = 0; now < 300; now += 10) rate.add(1, now);
    expect(rate.perSecond(300)).toBeCloseTo(100, 6);
  });

  it("falls to zero once traffic has stopped for a window", () => {
    const rate = new RateWindow(0);
    for (let now = 0; now < 2000; now += 10) rate.add(1, now);
    expect(rate.perSecond(2500)).toBeGreaterThan(0);
    expect(rate.perSecond(3100)).toBe(0);
    expect(rate.perSecond(60_000)).toBe(0);
  });

  it("counts a time from the past as now, never into a bucket already measured", () => {
    const rate = new RateWindow(0);
    for (let now = 0; now < 1500; now += 10) rate.add(1, now);
    const before = rate.perSecond(1500);
    rate.add(1000, 200);
    expect(rate.perSecond(1500)).toBe(before);
    expect(rate.perSecond(1600)).toBeGreaterThan(1000);
  });
});

describe("link stats", () => {
  it("gives loss, rates each way and send drops for the HUD", () => {
    const stats = new LinkStats(0);
    let seq = 0;
    for (let now = 0; now < 5000; now += INTERVAL_MS) {
      seq++;
      if (seq % 5 !== 0) stats.onReceived(seq, 20, now);
      if (seq % 10 === 0) stats.onSendDropped(now);
      else stats.onSent(21, now);
    }
    const snapshot = stats.snapshot(5000);
    expect(snapshot.lossPercent).toBeCloseTo(20, 0);
    expect(snapshot.packetsInPerSecond).toBeCloseTo(24, -1);
    expect(snapshot.bytesInPerSecond).toBeCloseTo(480, -2);
    expect(snapshot.packetsOutPerSecond).toBeCloseTo(27, -1);
    expect(snapshot.bytesOutPerSecond).toBeCloseTo(567, -2);
    expect(snapshot.sendDropsPerSecond).toBeCloseTo(3, 0);
    expect(snapshot.sendDrops).toBe(15);
  });

  it("counts packets without a seq (ping, pong) in the rates but not in the loss", () => {
    const stats = new LinkStats(0);
    for (let seq = 1; seq <= 30; seq++) stats.onReceived(seq, 20, seq * INTERVAL_MS);
    for (let i = 0; i < 10; i++) stats.onReceived(null, 15, 500 + i);
    const snapshot = stats.snapshot(1100);
    expect(snapshot.lossPercent).toBe(0);
    expect(snapshot.packetsInPerSecond).toBeCloseTo(40, -1);
  });

  it("tells how long the link has been silent", () => {
    const stats = new LinkStats(0);
    expect(stats.snapshot(100).silenceMs).toBeNull();
    stats.onReceived(1, 20, 150);
    expect(stats.snapshot(400).silenceMs).toBe(250);
  });
});
