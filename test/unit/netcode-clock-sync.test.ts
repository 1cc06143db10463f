import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  answerPing,
  ClockSync,
  DEFAULT_CLOCK_SYNC,
  type Pong,
} from "../../game/kit/netcode/clock-sync.ts";

/** Their clock reads ours plus this. */
const TRUE_OFFSET_MS = 73_210.25;

/** One exchange: ping leaves at `nowMs`, takes `outMs` there and `backMs` back. */
function exchange(sync: ClockSync, nowMs: number, outMs: number, backMs: number, holdMs = 0.5) {
  const ping = sync.createPing(nowMs);
  const theirArrival = nowMs + outMs + TRUE_OFFSET_MS;
  const pong = answerPing(ping, theirArrival, theirArrival + holdMs);
  return sync.onPong(pong, nowMs + outMs + holdMs + backMs);
}

describe("clock sync", () => {
  it("answers a ping by echoing it with the answering side's times", () => {
    expect(answerPing({ id: 9, sentAt: 100 }, 5000, 5001)).toEqual({
      id: 9,
      pingSentAt: 100,
      receivedAt: 5000,
      sentAt: 5001,
    });
  });

  it("finds the exact offset and round trip when both directions take equally long", () => {
    const sync = new ClockSync();
    const sample = exchange(sync, 1000, 20, 20);
    expect(sample).toEqual({ rttMs: 40, offsetMs: TRUE_OFFSET_MS, atMs: 1040.5 });
    expect(sync.offsetMs).toBe(TRUE_OFFSET_MS);
    expect(sync.toRemoteTime(2000)).toBe(2000 + TRUE_OFFSET_MS);
    expect(sync.toLocalTime(2000 + TRUE_OFFSET_MS)).toBe(2000);
  });

  it("converges on the offset with asymmetric, noisy delays, unlike a plain average", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            out: fc.double({ min: 0, max: 80, noNaN: true }),
            back: fc.double({ min: 0, max: 10, noNaN: true }),
          }),
          { minLength: 8, maxLength: 40 },
        ),
        fc.nat({ max: 7 }),
        (noise, cleanAt) => {
          // Queues delay the outbound path far more; one recent exchange met no queue.
          const sync = new ClockSync();
          const clean = noise.length - 1 - cleanAt;
          for (const [i, { out, back }] of noise.entries()) {
            const isClean = i === clean;
            exchange(sync, i * 1000, 15 + (isClean ? 0 : out), 15 + (isClean ? 0 : back));
          }
          expect(sync.offsetMs).toBeCloseTo(TRUE_OFFSET_MS, 6);
          expect(sync.minRttMs).toBeCloseTo(30, 6);
        },
      ),
    );
  });

  it("is never off by more than half the best round trip's queueing", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            out: fc.double({ min: 0, max: 200, noNaN: true }),
            back: fc.double({ min: 0, max: 50, noNaN: true }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (noise) => {
          const sync = new ClockSync();
          for (const [i, { out, back }] of noise.entries()) {
            exchange(sync, i * 1000, 15 + out, 15 + back);
          }
          const queueing = (sync.minRttMs ?? Number.NaN) - 30;
          const error = Math.abs((sync.offsetMs ?? Number.NaN) - TRUE_OFFSET_MS);
          expect(error).toBeLessThanOrEqual(queueing / 2 + 1e-6);
        },
      ),
    );
  });

  it("ignores outliers: congested round trips do not move the offset", () => {
    const sync = new ClockSync();
    for (let i = 0; i < 8; i++) exchange(sync, i * 1000, 20, 20);
    exchange(sync, 8000, 900, 20);
    exchange(sync, 9000, 20, 1500);
    exchange(sync, 10_000, 400, 5);
    expect(sync.offsetMs).toBe(TRUE_OFFSET_MS);
    expect(sync.minRttMs).toBe(40);
  });

  it("follows a clock that changed once the old samples leave the window", () => {
    const sync = new ClockSync();
    for (let i = 0; i < 8; i++) exchange(sync, i * 1000, 10, 10);
    // Their clock jumps 500 ms ahead, and the path gets slower, so old samples look better.
    const window = DEFAULT_CLOCK_SYNC.sampleWindow;
    for (let i = 0; i < window; i++) {
      if (i === window - 1) expect(sync.offsetMs).toBe(TRUE_OFFSET_MS);
      const now = 10_000 + i * 1000;
      const ping = sync.createPing(now);
      const theirs = now + 30 + TRUE_OFFSET_MS + 500;
      sync.onPong(answerPing(ping, theirs, theirs), now + 60);
    }
    expect(sync.offsetMs).toBe(TRUE_OFFSET_MS + 500);
  });

  it("smooths the round trip like TCP (RFC 6298 SRTT and RTTVAR)", () => {
    const sync = new ClockSync();
    exchange(sync, 0, 50, 50, 0);
    expect([sync.rttMs, sync.jitterMs]).toEqual([100, 50]);
    exchange(sync, 1000, 100, 100, 0);
    // RTTVAR = 3/4 × 50 + 1/4 × |100 − 200| = 62.5; SRTT = 7/8 × 100 + 1/8 × 200 = 112.5.
    expect([sync.rttMs, sync.jitterMs]).toEqual([112.5, 62.5]);
  });

  it("reports low jitter on a steady path and more on a noisy one", () => {
    const steady = new ClockSync();
    const noisy = new ClockSync();
    for (let i = 0; i < 60; i++) {
      exchange(steady, i * 1000, 20, 20);
      exchange(noisy, i * 1000, 20 + (i % 3) * 15, 20);
    }
    expect(steady.jitterMs).toBeLessThan(0.01);
    expect(noisy.jitterMs).toBeGreaterThan(5);
  });

  it("rejects pongs that do not answer a ping of ours", () => {
    const sync = new ClockSync();
    const ping = sync.createPing(1000);
    const pong = answerPing(ping, 5000, 5001);
    const rejected: Pong[] = [
      { ...pong, id: ping.id + 1 },
      { ...pong, pingSentAt: 999 },
      { ...pong, sentAt: 4999 },
    ];
    for (const bad of rejected) expect(sync.onPong(bad, 1040)).toBeNull();
    expect(sync.onPong(pong, 1040)).not.toBeNull();
    expect(sync.onPong(pong, 1041)).toBeNull();
    expect(sync.counts).toEqual({ pingsSent: 1, pongsAccepted: 1, pongsRejected: 4, pingsLost: 0 });
  });

  it("rejects a pong that would mean a negative round trip", () => {
    const sync = new ClockSync();
    const ping = sync.createPing(1000);
    // They claim to have held it 50 ms, but it came back after 20.
    expect(sync.onPong(answerPing(ping, 5000, 5050), 1020)).toBeNull();
  });

  it("counts unanswered pings as lost after the timeout, and refuses their late pongs", () => {
    const sync = new ClockSync({ pongTimeoutMs: 3000 });
    const ping = sync.createPing(0);
    sync.createPing(2000);
    const late = answerPing(ping, 9000, 9000);
    expect(sync.onPong(late, 3500)).toBeNull();
    expect(sync.counts).toMatchObject({ pingsSent: 2, pingsLost: 1, pongsRejected: 1 });
  });

  it("pings four times quickly at first, then once a second", () => {
    const sync = new ClockSync();
    const sentAt: number[] = [];
    for (let now = 0; now <= 5000; now += 50) {
      if (sync.pingDue(now)) sentAt.push(sync.createPing(now).sentAt);
    }
    expect(sentAt).toEqual([0, 200, 400, 600, 1600, 2600, 3600, 4600]);
  });

  it("hands out distinct ids that fit the wire's uint32", () => {
    const sync = new ClockSync();
    const ids = new Set<number>();
    for (let i = 0; i < 100; i++) ids.add(sync.createPing(i).id);
    expect(ids.size).toBe(100);
    expect([...ids].every((id) => Number.isInteger(id) && id >= 1 && id <= 0xffff_ffff)).toBe(true);
  });

  it("knows nothing before the first sample", () => {
    const sync = new ClockSync();
    expect([sync.offsetMs, sync.rttMs, sync.jitterMs, sync.minRttMs]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(sync.toRemoteTime(0)).toBeNull();
  });
});
