import { describe, expect, it } from "vitest";
import { DEFAULT_PLAYOUT, PlayoutClock } from "../../game/kit/netcode/playout-clock.ts";
import { WindowedMin } from "../../game/kit/netcode/windowed-min.ts";

const SEND_INTERVAL_MS = 1000 / 30;
/** The sender's clock is this far ahead of ours: arrival-time smoothing must not care. */
const CLOCK_OFFSET_MS = -123_456;
const BASE_TRANSIT_MS = 40;

/** Deterministic uniform numbers in [0, 1) (mulberry32), so the noisy runs repeat exactly. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Feeds `count` snapshots sent every 33 ms from `startSend` (sender timeline), each arriving
 * after the base transit plus `extraDelay()`, and renders at 60 fps in between. Returns the
 * render times seen, with the local times they were asked at.
 */
function run(
  clock: PlayoutClock,
  startSend: number,
  count: number,
  extraDelay: () => number,
): { atMs: number; renderMs: number }[] {
  const arrivals = Array.from({ length: count }, (_, i) => {
    const sentMs = startSend + i * SEND_INTERVAL_MS;
    return { sentMs, arrivalMs: sentMs - CLOCK_OFFSET_MS + BASE_TRANSIT_MS + extraDelay() };
  }).sort((a, b) => a.arrivalMs - b.arrivalMs);
  const frames: { atMs: number; renderMs: number }[] = [];
  const first = arrivals[0]?.arrivalMs ?? 0;
  const last = arrivals.at(-1)?.arrivalMs ?? 0;
  let next = 0;
  for (let now = first; now <= last; now += 1000 / 60) {
    while ((arrivals[next]?.arrivalMs ?? Number.POSITIVE_INFINITY) <= now) {
      const arrival = arrivals[next];
      if (arrival) clock.observe(arrival.sentMs, arrival.arrivalMs);
      next++;
    }
    const renderMs = clock.renderTimeMs(now);
    if (renderMs !== null) frames.push({ atMs: now, renderMs });
  }
  return frames;
}

/** Render time runs between 90% and 110% of local time: no jumps, no freezes. */
function expectSmooth(frames: readonly { atMs: number; renderMs: number }[]): void {
  for (let i = 1; i < frames.length; i++) {
    const previous = frames[i - 1];
    const current = frames[i];
    if (!previous || !current) continue;
    const elapsed = current.atMs - previous.atMs;
    const advanced = current.renderMs - previous.renderMs;
    expect(advanced).toBeGreaterThanOrEqual(elapsed * (1 - DEFAULT_PLAYOUT.slewRate) - 1e-6);
    expect(advanced).toBeLessThanOrEqual(elapsed * (1 + DEFAULT_PLAYOUT.slewRate) + 1e-6);
  }
}

describe("playout clock", () => {
  it("knows nothing before the first snapshot", () => {
    const clock = new PlayoutClock();
    expect(clock.renderTimeMs(1000)).toBeNull();
    expect(clock.delayMs).toBeNull();
  });

  it("renders the base delay (about 3 ticks at 30 Hz) behind the fastest trip when calm", () => {
    const clock = new PlayoutClock();
    const frames = run(clock, 0, 60, () => 0);
    expect(DEFAULT_PLAYOUT.baseDelayMs).toBe(100);
    expect(clock.jitterMs).toBe(0);
    expect(clock.delayMs).toBeCloseTo(100, 9);
    const last = frames.at(-1);
    if (!last) throw new Error("no frames");
    // Sender time = local time + offset − transit − delay.
    expect(last.renderMs).toBeCloseTo(last.atMs + CLOCK_OFFSET_MS - BASE_TRANSIT_MS - 100, 6);
  });

  it("measures RFC 3550 jitter: the mean change in transit between packets", () => {
    const clock = new PlayoutClock();
    for (let i = 0; i < 300; i++) clock.observe(i * 33, i * 33 + 50 + (i % 2) * 10);
    expect(clock.jitterMs).toBeCloseTo(10, 3);
  });

  it("grows the delay smoothly with jitter, then settles back when the link calms", () => {
    const clock = new PlayoutClock();
    const random = seededRandom(7);
    run(clock, 0, 60, () => 0);
    const noisy = run(clock, 2000, 300, () => random() * 60);
    expectSmooth(noisy);
    const noisyTarget = clock.targetDelayMs;
    expect(clock.jitterMs).toBeGreaterThan(10);
    expect(noisyTarget).toBeCloseTo(100 + 3 * clock.jitterMs, 6);
    expect(clock.delayMs).toBeGreaterThan(125);

    const calm = run(clock, 12_000, 300, () => 0);
    expectSmooth(calm);
    expect(clock.jitterMs).toBeLessThan(0.1);
    expect(clock.delayMs).toBeCloseTo(100, 0);
  });

  it("never goes past the maximum delay", () => {
    const clock = new PlayoutClock();
    const random = seededRandom(11);
    run(clock, 0, 300, () => random() * 600);
    expect(clock.targetDelayMs).toBe(DEFAULT_PLAYOUT.maxDelayMs);
  });

  it("follows a faster path gradually, at most 10% faster than real time", () => {
    const clock = new PlayoutClock();
    run(clock, 0, 60, () => 40);
    const frames = run(clock, 2000, 90, () => 0);
    expectSmooth(frames);
    const last = frames.at(-1);
    if (!last) throw new Error("no frames");
    // The 40 ms step registered as a little jitter, which has nearly decayed by now.
    expect(clock.targetDelayMs).toBeCloseTo(100, 1);
    const expected = last.atMs + CLOCK_OFFSET_MS - BASE_TRANSIT_MS - clock.targetDelayMs;
    expect(last.renderMs).toBeCloseTo(expected, 6);
  });

  it("jumps at once when the sender's timeline shifts a lot (a stall or restart)", () => {
    const clock = new PlayoutClock();
    const before = run(clock, 0, 60, () => 0);
    // The sender stalled for 2 s and dropped its backlog: its ticks resume where they
    // stopped, so every later snapshot arrives 2 s later than its tick suggests.
    const frames = [...before, ...run(clock, 2000, 90, () => 2000)];
    const jumps = frames.filter((frame, i) => frame.renderMs < (frames[i - 1]?.renderMs ?? 0));
    expect(jumps).toHaveLength(1);
    expect(clock.jitterMs).toBe(0);
    const last = frames.at(-1);
    if (!last) throw new Error("no frames");
    expect(last.renderMs).toBeCloseTo(
      last.atMs + CLOCK_OFFSET_MS - BASE_TRANSIT_MS - 2000 - 100,
      6,
    );
  });

  it("catches up within a few frames when the sender's timeline shifts less than a snap", () => {
    const clock = new PlayoutClock();
    run(clock, 0, 60, () => 0);
    // A 200 ms hiccup on the sender (a long frame, CPU starvation): it is too small to snap,
    // and until the old fastest trip leaves the floor's window every snapshot arrives late.
    const shiftMs = 200;
    const arrivals = Array.from({ length: 90 }, (_, i) => {
      const sentMs = 2000 + i * SEND_INTERVAL_MS;
      return { sentMs, arrivalMs: sentMs - CLOCK_OFFSET_MS + BASE_TRANSIT_MS + shiftMs };
    });
    let newestSentMs = Number.NEGATIVE_INFINITY;
    let next = 0;
    let previousRenderMs = Number.NEGATIVE_INFINITY;
    let beyondDataMs = 0;
    const first = arrivals[0]?.arrivalMs ?? 0;
    for (let now = first; now <= (arrivals.at(-1)?.arrivalMs ?? 0); now += 1000 / 60) {
      for (
        let arrival = arrivals[next];
        arrival && arrival.arrivalMs <= now;
        arrival = arrivals[++next]
      ) {
        clock.observe(arrival.sentMs, arrival.arrivalMs);
        newestSentMs = arrival.sentMs;
      }
      const renderMs = clock.renderTimeMs(now);
      if (renderMs === null) throw new Error("clock lost its data");
      // Never backwards: catching up holds the remote timeline still instead.
      expect(renderMs).toBeGreaterThanOrEqual(previousRenderMs - 1e-6);
      previousRenderMs = renderMs;
      if (renderMs > newestSentMs) beyondDataMs += 1000 / 60;
    }
    // Without catching up it draws past the newest snapshot until the floor window expires
    // and then slews back at 10%: about two seconds of a frozen avatar. With it: the time to
    // notice, then holding still for the part of the shift the delay did not cover.
    const { lateResetMs, baseDelayMs } = DEFAULT_PLAYOUT;
    expect(beyondDataMs).toBeLessThan(lateResetMs + shiftMs - baseDelayMs + SEND_INTERVAL_MS);
    expect(clock.delayMs).toBeGreaterThan(0);
  });

  it("keeps its floor through a short burst of late packets (a network hiccup)", () => {
    const clock = new PlayoutClock();
    run(clock, 0, 60, () => 0);
    // Five packets (under 200 ms) each 150 ms late, then the path is back to normal: that is
    // jitter to ride out, not a new timeline to jump to.
    let packet = 0;
    const frames = run(clock, 2000, 60, () => (packet++ < 5 ? 150 : 0));
    expectSmooth(frames);
  });

  it("respects configured bounds", () => {
    const clock = new PlayoutClock({ baseDelayMs: 20, minDelayMs: 60, maxDelayMs: 80 });
    expect(clock.targetDelayMs).toBe(60);
  });
});

describe("windowed minimum", () => {
  it("is the smallest value within the window, forgetting older ones", () => {
    const min = new WindowedMin(1000);
    expect(min.min).toBeNull();
    min.add(50, 0);
    min.add(70, 400);
    min.add(60, 800);
    expect(min.min).toBe(50);
    min.add(90, 1200);
    expect(min.min).toBe(60);
    min.add(95, 2500);
    expect(min.min).toBe(95);
    min.add(10, 2600);
    expect(min.min).toBe(10);
  });
});
