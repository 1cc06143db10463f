import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bothChannelsOpen,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

describe("two players in one lobby, peer-to-peer", () => {
  let stage: Stage;
  let alice: Page;
  let bob: Page;
  let code: string;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("creates a lobby from the lobby screen and shows a share link", async () => {
    alice = await openPlayer(stage);
    await alice.fill("#player-name", "Alice");
    await alice.click("#create-lobby");
    const joined = await waitForSnapshot(
      alice,
      (s) => s.lobby !== null && s.peerId !== null,
      "Alice in a lobby",
    );
    code = joined.lobby ?? "";
    await expect
      .poll(() => alice.locator("#share-link").textContent())
      .toContain(`/?lobby=${code}`);
    expect(new URL(alice.url()).searchParams.get("lobby")).toBe(code);
  });

  it("joins by share link and opens both data channels with the right settings", async () => {
    bob = await openPlayer(stage, `/?lobby=${code}`);
    const aliceView = await waitForSnapshot(
      alice,
      (s) => s.peers.some(bothChannelsOpen),
      "Alice's channels to Bob",
    );
    const bobView = await waitForSnapshot(
      bob,
      (s) => s.peers.some(bothChannelsOpen),
      "Bob's channels to Alice",
    );
    expect(bobView.lobby).toBe(code);

    for (const view of [aliceView, bobView]) {
      const [peer] = view.peers;
      expect(view.peers).toHaveLength(1);
      const state = peer?.channels.find((c) => c.label === "state");
      const events = peer?.channels.find((c) => c.label === "events");
      expect(state).toMatchObject({ ordered: false, maxRetransmits: 0, negotiated: true, id: 0 });
      expect(events).toMatchObject({
        ordered: true,
        maxRetransmits: null,
        negotiated: true,
        id: 1,
      });
    }
    // Exactly one side is polite, decided by peer ids.
    expect(aliceView.peers[0]?.polite).not.toBe(bobView.peers[0]?.polite);
  });

  it("delivers Alice's movement to Bob over the state channel", async () => {
    const aliceId = (await snapshot(alice)).peerId;
    const before = (await snapshot(bob)).peers.find((p) => p.id === aliceId);
    const startX = before?.lastState?.x ?? Number.NaN;
    const startPackets = before?.statePacketsReceived ?? 0;
    expect(Number.isFinite(startX)).toBe(true);

    await alice.bringToFront();
    await alice.keyboard.down("ArrowRight");
    await alice.waitForTimeout(700);
    await alice.keyboard.up("ArrowRight");
    const aliceNow = (await snapshot(alice)).local;
    expect(aliceNow.x).toBeGreaterThan(startX + 50);

    const seen = await waitForSnapshot(
      bob,
      (s) => (s.peers.find((p) => p.id === aliceId)?.lastState?.x ?? 0) >= aliceNow.x - 1,
      "Bob to see Alice's new position",
    );
    const remote = seen.peers.find((p) => p.id === aliceId);
    expect(remote?.statePacketsReceived ?? 0).toBeGreaterThan(startPackets + 10);

    await screenshot(alice, "two-players-alice");
    await screenshot(bob, "two-players-bob");
  });

  it("lets a player leave cleanly: the other sees them go", async () => {
    await bob.click("#leave-lobby");
    await waitForSnapshot(alice, (s) => s.peers.length === 0, "Alice to see Bob leave");
    await waitForSnapshot(
      bob,
      (s) => s.lobby === null && s.peers.length === 0,
      "Bob back on the lobby screen",
    );
    await screenshot(bob, "after-leave-bob");
  });

  it("shows a clear error for a lobby that does not exist", async () => {
    const stranger = await openPlayer(stage, "/?lobby=ZZZZZZ");
    await expect
      .poll(() => stranger.locator("#error").textContent())
      .toMatch(/not exist|not found/i);
    await screenshot(stranger, "unknown-lobby");
  });

  it("produced no page errors", () => {
    expect(problemsOf(alice)).toEqual([]);
    expect(problemsOf(bob)).toEqual([]);
  });
});
