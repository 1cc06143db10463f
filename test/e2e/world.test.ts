/**
 * The host-owned shared world end to end, across a host migration: three real pages in one
 * lobby start a match, a player scores by walking onto a pickup, the host leaves mid-round, and
 * the next host carries the world on (scores, pickups, the round's clock) and keeps granting
 * claims. The match itself (warm-up, countdown, rounds, results, podium) is match.test.ts.
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
  activeIds,
  choosePickup,
  collect,
  scoreOf,
  startMatch,
  waitForAgreement,
} from "./world-helpers.ts";

describe("shared world across a host migration", () => {
  let stage: Stage;
  let ann: Page;
  let ben: Page;
  let cat: Page;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("three players share one world from the lobby's host, and start a match", async () => {
    let code: string;
    ({ page: ann, code } = await createLobbyFromMenu(stage, "Ann", "?countdown=1"));
    ben = await openPlayer(stage, `/?lobby=${code}`);
    cat = await openPlayer(stage, `/?lobby=${code}`);
    for (const page of [ann, ben, cat]) {
      await waitForSnapshot(
        page,
        (s) =>
          s.peers.length === 2 &&
          s.peers.every((p) => p.path !== "none" && p.lastState !== null) &&
          (s.world?.scores.length ?? 0) === 3,
        "everyone connected, with a score line each",
      );
    }
    const annId = (await snapshot(ann)).peerId;
    const warmUp = await waitForAgreement([ann, ben, cat], "the warm-up");
    for (const snap of warmUp) {
      expect(snap.world?.hostId).toBe(annId);
      expect(snap.world?.stage).toBe("warmup");
    }
    await startMatch(ann, [ben, cat]);
    const snaps = await waitForAgreement(
      [ann, ben, cat],
      "round 1",
      (s) => s.world?.scoring === true,
    );
    for (const snap of snaps) {
      expect(snap.world).toMatchObject({ stage: "round", round: 1, scoring: true });
      expect(activeIds(snap.world).length).toBeGreaterThan(0);
    }
  });

  it("a player who walks onto a pickup scores on every page", async () => {
    const start = await snapshot(ben);
    const benId = start.peerId ?? "";
    const pickup = choosePickup(start);
    await collect(ben, pickup, scoreOf(start.world, benId));
    const snaps = await waitForAgreement([ann, ben, cat], "Ben's point");
    // At least that pickup's value, the same on every page (his path may cross another one).
    const scores = snaps.map((snap) => scoreOf(snap.world, benId));
    expect(scores[0]).toBeGreaterThanOrEqual(pickup.value);
    expect(new Set(scores).size).toBe(1);
    await screenshot(ben, "world-before-migration-ben");
    await screenshot(ann, "world-before-migration-ann-host");
  });

  it("the host leaves: the next host carries the world on and still grants claims", async () => {
    const annId = (await snapshot(ann)).peerId ?? "";
    const [benBefore, catBefore] = await waitForAgreement([ben, cat], "the world before");
    const leftAt = Date.now();
    await ann.click("#leave-lobby");

    // Until the lobby's host-changed arrives, both pages still agree on Ann's world.
    const after = await waitForAgreement(
      [ben, cat],
      "the new host's world",
      (snap) => snap.hostId !== annId && snap.world?.hostId === snap.hostId,
    );
    for (const snap of after) {
      // The lobby named a new host and the world follows it, in its epoch.
      expect(snap.hostId).not.toBe(annId);
      expect(snap.world?.hostId).toBe(snap.hostId);
      expect(snap.world?.epoch).toBe(snap.hostEpoch);
      // No score lost; Ann's line went with her.
      for (const before of [benBefore, catBefore]) {
        for (const line of before?.world?.scores ?? []) {
          if (line.peerId === annId) continue;
          expect(scoreOf(snap.world, line.peerId)).toBeGreaterThanOrEqual(line.score);
        }
      }
      expect(snap.world?.scores.some((s) => s.peerId === annId)).toBe(false);
      // Every active pickup id once, and the same set on both pages.
      const ids = activeIds(snap.world);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(activeIds(after[0]?.world ?? null));
      // The same round, its clock carried on rather than starting over.
      const elapsed = Date.now() - leftAt;
      const remainingBefore = benBefore?.world?.stageRemainingMs ?? 0;
      expect(snap.world).toMatchObject({ stage: "round", round: 1, scoring: true });
      expect(snap.world?.stageRemainingMs ?? 0).toBeLessThan(remainingBefore);
      expect(snap.world?.stageRemainingMs ?? 0).toBeGreaterThan(remainingBefore - elapsed - 2_000);
    }
    const clockThen = after[0]?.world?.stageRemainingMs ?? 0;
    await ben.waitForTimeout(1_000);
    expect((await snapshot(ben)).world?.stageRemainingMs ?? 0).toBeLessThan(clockThen);

    await screenshot(ben, "world-after-migration-ben");
    await screenshot(cat, "world-after-migration-cat");

    // A player who is not the new host claims under it.
    const newHost = after[0]?.hostId ?? "";
    const claimant = (await snapshot(ben)).peerId === newHost ? cat : ben;
    const start = await snapshot(claimant);
    const claimantId = start.peerId ?? "";
    const before = scoreOf(start.world, claimantId);
    const next = choosePickup(start);
    await collect(claimant, next, before);
    const final = await waitForAgreement([ben, cat], "the claim under the new host");
    for (const snap of final) expect(scoreOf(snap.world, claimantId)).toBe(before + next.value);
    await screenshot(claimant, "world-after-migration-claim");
  });

  it("produced no page errors, and no world handling that threw", async () => {
    for (const page of [ben, cat]) {
      expect((await snapshot(page)).world?.droppedEvents["failed"]).toBeUndefined();
    }
    for (const page of [ann, ben, cat]) expect(problemsOf(page)).toEqual([]);
  });
});
