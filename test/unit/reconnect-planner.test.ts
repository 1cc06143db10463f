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
    expect(planner.closed(ABNORMAL, deadline)).toEqual({
      kind: "give-up",
      end: { reason: "timed-out", graceMs: GRACE_MS, rejoin: true },
    });
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
    // No welcome ever said how long a seat is held: the end carries no grace window.
    expect(planner.closed(ABNORMAL, FIRST_CONNECT_WINDOW_MS)).toEqual({
      kind: "give-up",
      end: { reason: "timed-out", graceMs: null, rejoin: true },
    });
  });

  it("rejoins fresh once when the seat expired, then gives up if it happens again", () => {
    const planner = welcomedPlanner();
    expect(planner.closed(CloseCode.SeatExpired, 0)).toEqual({ kind: "rejoin-fresh" });
    expect(planner.closed(CloseCode.SeatExpired, 10)).toEqual({
      kind: "give-up",
      end: { reason: "closed", closeCode: CloseCode.SeatExpired, rejoin: true },
    });
  });

  it("allows one fresh rejoin again after a later welcome", () => {
    const planner = welcomedPlanner();
    planner.closed(CloseCode.SeatExpired, 0);
    planner.welcomed(GRACE_MS);
    expect(planner.closed(CloseCode.SeatExpired, 1000).kind).toBe("rejoin-fresh");
  });

  it.each([
    [CloseCode.Kicked, false],
    [CloseCode.LobbyFull, false],
    [CloseCode.Replaced, false],
    [CloseCode.TooManyErrors, true],
    [CloseCode.LobbyClosed, false],
    [CloseCode.ProtocolVersion, false],
  ])("gives up on close code %i, ending with that code (rejoin: %s)", (code, rejoin) => {
    expect(welcomedPlanner().closed(code, 0)).toEqual({
      kind: "give-up",
      end: { reason: "closed", closeCode: code, rejoin },
    });
  });

  it("does not offer to rejoin after a kick", () => {
    expect(welcomedPlanner().closed(CloseCode.Kicked, 0)).toMatchObject({
      end: { rejoin: false },
    });
  });
});
