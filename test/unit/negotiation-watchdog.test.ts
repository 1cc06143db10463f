import { describe, expect, it } from "vitest";
import { NegotiationWatchdog } from "../../game/kit/mesh/negotiation-watchdog.ts";

const WAIT = { baseMs: 5000, capMs: 30_000 };

describe("the negotiation watchdog", () => {
  it("calls an offer lost once it has waited 5 s in have-local-offer, once per offer", () => {
    const watchdog = new NegotiationWatchdog(WAIT);
    watchdog.offerSent(1000);
    expect(watchdog.offerLost("have-local-offer", 5999)).toBe(false);
    expect(watchdog.offerLost("have-local-offer", 6000)).toBe(true);
    expect(watchdog.offerLost("have-local-offer", 60_000)).toBe(false);
  });

  it("waits longer for each offer in a row that got no answer, up to the cap", () => {
    const watchdog = new NegotiationWatchdog(WAIT);
    const waits: number[] = [];
    let now = 0;
    for (let offer = 0; offer < 5; offer++) {
      watchdog.offerSent(now);
      waits.push(watchdog.waitMs);
      now += watchdog.waitMs;
      expect(watchdog.offerLost("have-local-offer", now)).toBe(true);
    }
    expect(waits).toEqual([5000, 10_000, 20_000, 30_000, 30_000]);
  });

  it("starts short again once the peer is heard from, and forgets an answered offer", () => {
    const watchdog = new NegotiationWatchdog(WAIT);
    watchdog.offerSent(0);
    expect(watchdog.offerLost("have-local-offer", 5000)).toBe(true);
    watchdog.offerSent(5000);
    watchdog.peerHeard();
    expect(watchdog.waitMs).toBe(5000);
    expect(watchdog.offerLost("have-local-offer", 60_000)).toBe(false);
  });

  it("lets an offer go that was settled another way (the peer's offer won the collision)", () => {
    const watchdog = new NegotiationWatchdog(WAIT);
    watchdog.offerSent(0);
    expect(watchdog.offerLost("stable", 1000)).toBe(false);
    expect(watchdog.offerLost("have-local-offer", 10_000)).toBe(false);
  });

  it("never fires while no offer of ours is pending (the polite side awaiting the first offer)", () => {
    const watchdog = new NegotiationWatchdog(WAIT);
    expect(watchdog.offerLost("have-local-offer", 100_000)).toBe(false);
    expect(watchdog.offerLost("stable", 100_000)).toBe(false);
  });
});
