import { describe, expect, it } from "vitest";
import { Heartbeat, type HeartbeatAction } from "../../game/kit/lobby/heartbeat.ts";

const OPTIONS = { intervalMs: 10_000, timeoutMs: 5_000, maxPollGapMs: 2_500 };

/** Polls once a second from `fromMs` to `toMs` (inclusive) and returns what each poll said. */
function pollEverySecond(heartbeat: Heartbeat, fromMs: number, toMs: number): HeartbeatAction[] {
  const actions: HeartbeatAction[] = [];
  for (let t = fromMs; t <= toMs; t += 1000) actions.push(heartbeat.poll(t));
  return actions;
}

describe("lobby socket heartbeat", () => {
  it("pings every interval while each ping is answered", () => {
    const heartbeat = new Heartbeat(0, OPTIONS);
    const pingsAt: number[] = [];
    for (let t = 1000; t <= 35_000; t += 1000) {
      if (heartbeat.poll(t) === "ping") {
        pingsAt.push(t);
        heartbeat.heard();
      }
    }
    expect(pingsAt).toEqual([10_000, 20_000, 30_000]);
  });

  it("calls the socket dead once a ping goes unanswered for the timeout", () => {
    const heartbeat = new Heartbeat(0, OPTIONS);
    expect(pollEverySecond(heartbeat, 1000, 9000)).toEqual(Array(9).fill("wait"));
    expect(heartbeat.poll(10_000)).toBe("ping");
    expect(pollEverySecond(heartbeat, 11_000, 14_000)).toEqual(Array(4).fill("wait"));
    expect(heartbeat.poll(15_000)).toBe("dead");
  });

  it("counts any frame from the lobby as an answer", () => {
    const heartbeat = new Heartbeat(0, OPTIONS);
    expect(heartbeat.poll(10_000)).toBe("ping");
    heartbeat.heard();
    expect(pollEverySecond(heartbeat, 11_000, 19_000)).not.toContain("dead");
  });

  it("asks again after a sleep instead of condemning a ping it could not watch", () => {
    const heartbeat = new Heartbeat(0, OPTIONS);
    expect(heartbeat.poll(10_000)).toBe("ping");
    // The device slept for a minute right after pinging; this poll runs before the pong.
    expect(heartbeat.poll(70_000)).toBe("ping");
    expect(pollEverySecond(heartbeat, 71_000, 74_000)).toEqual(Array(4).fill("wait"));
    expect(heartbeat.poll(75_000)).toBe("dead");
  });

  it("does not condemn a ping while the page was too busy to poll on time", () => {
    const heartbeat = new Heartbeat(0, OPTIONS);
    expect(heartbeat.poll(10_000)).toBe("ping");
    expect(heartbeat.poll(11_000)).toBe("wait");
    // The main thread was blocked for 4 s: the pong may be queued behind this very poll.
    expect(heartbeat.poll(15_000)).toBe("ping");
    heartbeat.heard();
    expect(pollEverySecond(heartbeat, 16_000, 24_000)).toEqual(Array(9).fill("wait"));
  });
});
