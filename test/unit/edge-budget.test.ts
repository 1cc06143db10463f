import { describe, expect, it } from "vitest";
import { EdgeBudget, edgeStreamHz, TickPacer } from "../../game/kit/mesh/edge-budget.ts";
import { RELAY_FRAME_LIMIT, STATE_HZ } from "../../shared/limits.ts";

describe("the client's relay budget", () => {
  it("stays inside the lobby's per-socket limit over a long flood", () => {
    const budget = new EdgeBudget(0);
    let sent = 0;
    // 10 s of trying to send 200 packets per second.
    for (let t = 0; t < 10_000; t += 5) {
      if (budget.take("events", t)) sent++;
    }
    const lobbyAllows = RELAY_FRAME_LIMIT.capacity + RELAY_FRAME_LIMIT.refillPerSecond * 10;
    expect(sent).toBeLessThan(lobbyAllows);
    expect(sent).toBeGreaterThan(RELAY_FRAME_LIMIT.refillPerSecond * 10 * 0.9);
  });

  it("keeps a reserve for events that state packets cannot spend", () => {
    const budget = new EdgeBudget(0, { capacity: 12, refillPerSecond: 0, eventReserve: 10 });
    expect(budget.take("state", 0)).toBe(true);
    expect(budget.take("state", 0)).toBe(true);
    expect(budget.take("state", 0)).toBe(false);
    for (let i = 0; i < 10; i++) expect(budget.take("events", 0)).toBe(true);
    expect(budget.take("events", 0)).toBe(false);
  });

  it("refills with time", () => {
    const budget = new EdgeBudget(0, { capacity: 1, refillPerSecond: 10, eventReserve: 0 });
    expect(budget.take("state", 0)).toBe(true);
    expect(budget.take("state", 50)).toBe(false);
    expect(budget.take("state", 100)).toBe(true);
  });
});

describe("the relayed state rate", () => {
  it("is the full rate for one or two relayed peers' worth of budget, lower for more", () => {
    expect(edgeStreamHz(0)).toBe(STATE_HZ);
    expect(edgeStreamHz(1)).toBe(STATE_HZ);
    const rates = [2, 3, 4, 5, 6, 7].map((n) => edgeStreamHz(n));
    for (const [index, rate] of rates.entries()) {
      const peers = index + 2;
      // State plus about one ping and one pong per peer fits the budget's refill.
      expect(peers * (rate + 2)).toBeLessThanOrEqual(RELAY_FRAME_LIMIT.refillPerSecond);
      expect(rate).toBeGreaterThanOrEqual(1);
    }
    expect(edgeStreamHz(7)).toBeGreaterThan(4);
  });
});

describe("the tick pacer", () => {
  const sentOf = (hz: number, ticks: number, tickHz = STATE_HZ): boolean[] => {
    const pacer = new TickPacer();
    return Array.from({ length: ticks }, () => pacer.take(hz, tickHz));
  };

  it("sends every tick at the full rate", () => {
    expect(sentOf(STATE_HZ, 30).every(Boolean)).toBe(true);
  });

  it("thins evenly: 20 Hz is two of every three ticks, never two gaps in a row", () => {
    const sent = sentOf(20, 300);
    expect(sent.filter(Boolean)).toHaveLength(200);
    for (let i = 1; i < sent.length; i++) expect(sent[i - 1] || sent[i]).toBe(true);
  });

  it("follows the room's tick rate, whatever it is", () => {
    expect(sentOf(20, 200, 20).every(Boolean)).toBe(true);
    expect(sentOf(30, 600, 60).filter(Boolean)).toHaveLength(300);
    expect(sentOf(24, 200, 20).every(Boolean)).toBe(true);
  });

  it("keeps the rate for thirds, which do not add up exactly in floating point", () => {
    expect(sentOf(10, 300).filter(Boolean)).toHaveLength(100);
    expect(sentOf(5.5, 300).filter(Boolean).length).toBeCloseTo(55, -1);
  });
});
