import { describe, expect, it } from "vitest";
import { ReconnectPlanner } from "../../game/kit/lobby/reconnect-planner.ts";
import { closeText, roomEndText, seatExpiredText } from "../../game/ui/connection-text.ts";
import { CloseCode } from "../../shared/codes.ts";

const GRACE_MS = 20_000;
const ABNORMAL = 1006;

/** How the planner ends a stay after `code`, as the player reads it. */
function endTextAfter(code: number): string {
  const planner = new ReconnectPlanner({ random: () => 0.5 });
  planner.welcomed(GRACE_MS);
  const decision = planner.closed(code, 0);
  if (decision.kind !== "give-up") throw new Error(`close code ${code} did not end the stay`);
  return roomEndText(decision.end);
}

describe("what a player reads about the lobby connection", () => {
  it.each([
    [CloseCode.Kicked, /removed you/],
    [CloseCode.LobbyFull, /full/],
    [CloseCode.Replaced, /another tab/],
    [CloseCode.TooManyErrors, /invalid messages/],
    [CloseCode.LobbyClosed, /closed/],
    [CloseCode.LobbyNotFound, /not found/],
    [CloseCode.ProtocolVersion, /out of date/],
  ])("gives the lobby's reason when it closed the socket with %i for good", (code, text) => {
    expect(endTextAfter(code)).toMatch(text);
    expect(roomEndText({ reason: "closed", closeCode: code, rejoin: false })).toBe(closeText(code));
  });

  it("has a sentence of its own for every close code, and a general one for the rest", () => {
    const fallback = closeText(ABNORMAL);
    expect(fallback).toBe("Lost the connection to the lobby; reconnecting.");
    expect(closeText(4999)).toBe(fallback);
    const texts = Object.values(CloseCode).map((code) => closeText(code));
    for (const text of texts) expect(text).not.toBe(fallback);
    expect(new Set(texts).size).toBe(texts.length);
    expect(closeText(CloseCode.LobbyFull)).toBe("That lobby is full.");
  });

  it("says the seat is gone after the grace window, in seconds", () => {
    const planner = new ReconnectPlanner({ random: () => 0.5 });
    planner.welcomed(GRACE_MS);
    planner.closed(ABNORMAL, 0);
    const over = planner.closed(ABNORMAL, planner.deadline() ?? 0);
    if (over.kind !== "give-up") throw new Error("the planner kept retrying past its deadline");
    expect(roomEndText(over.end)).toMatch(/within 20 s/);
  });

  it("says it could not connect when no welcome ever came", () => {
    expect(roomEndText({ reason: "timed-out", graceMs: null, rejoin: true })).toMatch(
      /Could not connect/,
    );
  });

  it("says the seat was lost and that it is joining again", () => {
    expect(seatExpiredText()).toMatch(/lost your seat/);
    expect(seatExpiredText()).toMatch(/Joining again as a new player/);
  });
});
