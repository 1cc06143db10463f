import { describe, expect, it } from "vitest";
import {
  FIRST_CONNECT_WINDOW_MS,
  GRACE_MARGIN_MS,
  ReconnectPlanner,
} from "../../game/kit/lobby/reconnect-planner.ts";
import { CloseCode } from "../../shared/codes.ts";

const GRACE_MS = 20_000;
const ABNORMAL = 1006;

function welcomedPlanner(): ReconnectPlanner {
  const planner = new ReconnectPlanner({ random: () => 0.5 });
  planner.welcomed(GRACE_MS);
  return planner;
}

describe("what to do when the lobby socket closes", () => {
  it("retries an abnormal close with growing jittered delays, counting attempts", () => {
    const planner = welcomedPlanner();
    const decisions = [0, 100, 1200, 3500].map((t) => planner.closed(ABNORMAL, t));
    expect(decisions).toEqual([
      { kind: "retry", attempt: 1, delayMs: 250 },
      { kind: "retry", attempt: 2, delayMs: 500 },
      { kind: "retry", attempt: 3, delayMs: 1000 },
      { kind: "retry", attempt: 4, delayMs: 2000 },
    ]);
    expect(planner.attempt).toBe(4);
  });

  it.each([CloseCode.GoingAway, CloseCode.TryAgainLater, CloseCode.HelloTimeout])(
    "also retries close code %i",
    (code) => {
      expect(welcomedPlanner().closed(code, 0).kind).toBe("retry");
    },
  );

  it("never waits past the grace window, and gives up once it has surely passed", () => {
    const planner = welcomedPlanner();
    const deadline = GRACE_MS + GRACE_MARGIN_MS;
    planner.closed(ABNORMAL, 0);
    expect(planner.deadline()).toBe(deadline);
    for (let i = 0; i < 10; i++) planner.closed(ABNORMAL, 1000 * i);
    const late = planner.closed(ABNORMAL, deadline - 100);
    expect(late).toMatchObject({ kind: "retry" });
    if (late.kind === "retry") expect(late.delayMs).toBeLessThanOrEqual(100);
    const over = planner.closed(ABNORMAL, deadline);
    expect(over).toMatchObject({ kind: "give-up", rejoin: true });
    if (over.kind === "give-up") expect(over.message).toMatch(/within 20 s/);
  });

  it("starts over after a welcome: attempt 0, a fresh window", () => {
    const planner = welcomedPlanner();
    planner.closed(ABNORMAL, 0);
    planner.closed(ABNORMAL, 5000);
    planner.welcomed(GRACE_MS);
    expect(planner.attempt).toBe(0);
    expect(planner.deadline()).toBeNull();
    expect(planner.closed(ABNORMAL, 60_000)).toEqual({ kind: "retry", attempt: 1, delayMs: 250 });
    expect(planner.deadline()).toBe(60_000 + GRACE_MS + GRACE_MARGIN_MS);
  });

  it("before the first welcome uses the first-connect window", () => {
    const planner = new ReconnectPlanner({ random: () => 0 });
    expect(planner.closed(ABNORMAL, 0).kind).toBe("retry");
    expect(planner.deadline()).toBe(FIRST_CONNECT_WINDOW_MS);
    const over = planner.closed(ABNORMAL, FIRST_CONNECT_WINDOW_MS);
    expect(over).toMatchObject({ kind: "give-up", message: expect.stringMatching(/connect/) });
  });

  it("rejoins fresh once when the seat expired, then gives up if it happens again", () => {
    const planner = welcomedPlanner();
    const first = planner.closed(CloseCode.SeatExpired, 0);
    expect(first).toMatchObject({ kind: "rejoin-fresh" });
    if (first.kind === "rejoin-fresh") expect(first.message).toMatch(/lost your seat/);
    expect(planner.closed(CloseCode.SeatExpired, 10)).toMatchObject({ kind: "give-up" });
  });

  it("allows one fresh rejoin again after a later welcome", () => {
    const planner = welcomedPlanner();
    planner.closed(CloseCode.SeatExpired, 0);
    planner.welcomed(GRACE_MS);
    expect(planner.closed(CloseCode.SeatExpired, 1000).kind).toBe("rejoin-fresh");
  });

  it.each([
    [CloseCode.Kicked, /removed you/],
    [CloseCode.LobbyFull, /full/],
    [CloseCode.Replaced, /another tab/],
    [CloseCode.TooManyErrors, /invalid messages/],
    [CloseCode.LobbyClosed, /closed/],
    [CloseCode.ProtocolVersion, /out of date/],
  ])("gives up on close code %i with the lobby's reason", (code, message) => {
    const decision = welcomedPlanner().closed(code, 0);
    expect(decision).toMatchObject({ kind: "give-up", message: expect.stringMatching(message) });
  });

  it("does not offer to rejoin after a kick", () => {
    expect(welcomedPlanner().closed(CloseCode.Kicked, 0)).toMatchObject({ rejoin: false });
  });
});
