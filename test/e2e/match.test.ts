/**
 * The match follows the lobby, on three real pages: the warm-up scores nothing; Start game
 * brings a countdown everyone sees and round 1 from zero; End round stops scoring everywhere at
 * once; rounds follow each other with totals kept; the last one ends on a podium on every page
 * (and the lobby hears the match is over); Play again is the warm-up with every point cleared.
 * Short stages come from the host's page address (only the host's timing counts).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";
import {
  choosePickup,
  collect,
  scoreOf,
  standOn,
  startMatch,
  totalOf,
  waitForAgreement,
} from "./world-helpers.ts";

/** Long enough to walk to a pickup; the test ends round 1 early itself. */
const TIMING = "?countdown=3&round=15&results=10";
const DWELL_MS = 1_500;

describe("the match follows the lobby", () => {
  let stage: Stage;
  let dee: Page;
  let eve: Page;
  let fay: Page;
  let pages: Page[];
  let eveId: string;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("the warm-up: pickups to roam between, and nothing scores", async () => {
    let code: string;
    ({ page: dee, code } = await createLobbyFromMenu(stage, "Dee", TIMING));
    eve = await openPlayer(stage, `/?lobby=${code}`);
    fay = await openPlayer(stage, `/?lobby=${code}`);
    pages = [dee, eve, fay];
    for (const page of pages) {
      await waitForSnapshot(
        page,
        (s) => s.peers.length === 2 && (s.world?.scores.length ?? 0) === 3,
        "everyone connected, with a score line each",
      );
    }
    const [, warm] = await waitForAgreement(pages, "the warm-up");
    expect(warm?.world).toMatchObject({ stage: "warmup", round: 0, scoring: false });
    eveId = warm?.peerId ?? "";
    const pickup = choosePickup(await snapshot(eve));
    const after = await standOn(eve, pickup, DWELL_MS);
    expect(scoreOf(after.world, eveId)).toBe(0);
    expect(after.world?.pickups.find((p) => p.id === pickup.id)?.active).toBe(true);
    await screenshot(eve, "match-warmup");
  });

  it("Start game: a countdown on every page, then round 1 from zero", async () => {
    await startMatch(dee, [eve, fay]);
    const counting = await Promise.all(
      pages.map((page) =>
        waitForSnapshot(page, (s) => s.world?.stage === "countdown", "the countdown"),
      ),
    );
    for (const snap of counting) {
      expect(snap.world).toMatchObject({ round: 1, rounds: 3, scoring: false });
      expect(snap.world?.clockLine).toMatch(/^Round 1 of 3 in [1-3]$/);
    }
    await screenshot(fay, "match-countdown");
    const playing = await waitForAgreement(pages, "round 1", (s) => s.world?.scoring === true);
    for (const snap of playing) {
      expect(snap.world?.round).toBe(1);
      expect(snap.world?.scores.every((line) => line.score === 0 && line.total === 0)).toBe(true);
    }
  });

  it("End round stops scoring on every page at once", async () => {
    const start = await snapshot(eve);
    const pickup = choosePickup(start);
    await collect(eve, pickup, 0);
    await dee.click("#finish-game");
    const results = await waitForAgreement(
      pages,
      "round 1's results",
      (s) => s.world?.stage === "results",
    );
    for (const snap of results) {
      expect(snap.world?.round).toBe(1);
      expect(scoreOf(snap.world, eveId)).toBe(pickup.value);
      expect(totalOf(snap.world ?? null, eveId)).toBe(pickup.value);
    }
    await screenshot(dee, "match-results");
    // Walking onto a pickup in the results changes nothing.
    const frozen = await standOn(eve, choosePickup(await snapshot(eve)), DWELL_MS);
    expect(frozen.world?.stage).toBe("results");
    expect(scoreOf(frozen.world, eveId)).toBe(pickup.value);
  });

  it("the next round starts from zero points with the totals kept", async () => {
    const next = await waitForAgreement(
      pages,
      "round 2",
      (s) => s.world?.round === 2 && s.world.scoring,
    );
    for (const snap of next) {
      expect(scoreOf(snap.world, eveId)).toBe(0);
      expect(totalOf(snap.world ?? null, eveId)).toBeGreaterThanOrEqual(1);
    }
  });

  it("a player who joins mid-match is told where the match is, and plays from then on", async () => {
    const code = (await snapshot(dee)).lobby ?? "";
    const gus = await openPlayer(stage, `/?lobby=${code}`);
    const told = await waitForSnapshot(
      gus,
      (s) => s.notices.some((line) => line.startsWith("You joined during round")),
      "the late-join note",
    );
    const note = told.notices.find((line) => line.startsWith("You joined during round"));
    expect(note).toMatch(/^You joined during round [23] of 3: you score from now on\.$/);
    pages = [...pages, gus];
    await waitForAgreement(pages, "Gus's score line", (s) => (s.world?.scores.length ?? 0) === 4);
  });

  it("the last round ends on a podium on every page, and the lobby hears the match is over", async () => {
    const podium = await waitForAgreement(
      pages,
      "the podium",
      (s) => s.world?.stage === "podium" && s.phase === "finished",
      // Round 2's rest, its results, and a whole round 3 with its countdown and results.
      90_000,
    );
    for (const snap of podium) {
      expect(snap.world).toMatchObject({ round: 3, rounds: 3, scoring: false });
      expect(snap.world?.clockLine).toBe("Match over");
      expect(totalOf(snap.world ?? null, eveId)).toBeGreaterThanOrEqual(1);
    }
    await screenshot(eve, "match-podium");
  });

  it("Play again: back to the warm-up, every point cleared", async () => {
    await dee.click("#reopen-lobby");
    const warm = await waitForAgreement(
      pages,
      "the warm-up again",
      (s) => s.world?.stage === "warmup" && s.phase === "waiting",
    );
    for (const snap of warm) {
      expect(snap.world?.scores.every((line) => line.score === 0 && line.total === 0)).toBe(true);
    }
  });

  it("produced no page errors, and no world handling that threw", async () => {
    for (const page of pages) {
      expect((await snapshot(page)).world?.droppedEvents["failed"]).toBeUndefined();
      expect(problemsOf(page)).toEqual([]);
    }
  });
});
