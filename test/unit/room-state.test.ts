import { describe, expect, it } from "vitest";
import { RoomState } from "../../game/kit/room/room-state.ts";
import { peer, welcome } from "./lobby-fixtures.ts";

describe("what a room knows about its lobby", () => {
  it("takes the first welcome as the whole truth, without news", () => {
    const state = new RoomState();
    const change = state.applyWelcome(welcome("bob", [peer("alice", 1), peer("bob", 2)]));
    expect(change.newSeat).toBe(true);
    expect(change.diff.added.map((p) => p.id)).toEqual(["alice"]);
    expect(change.news).toEqual([]);
    expect(state.selfId).toBe("bob");
    expect(state.hostId).toBe("alice");
    expect(state.hostEpoch).toBe(1);
    expect(state.isHost).toBe(false);
    expect(state.roster.map((p) => p.id)).toEqual(["alice", "bob"]);
    expect(state.settings?.name).toBe("Friday");
  });

  it("reports departures with the player's name and the reason", () => {
    const state = new RoomState();
    state.applyWelcome(
      welcome("alice", [peer("alice", 1), peer("bob", 2), peer("carol", 3), peer("dave", 4)]),
    );
    expect([
      state.apply({ type: "peer-left", peerId: "bob", reason: "left" }),
      state.apply({ type: "peer-left", peerId: "carol", reason: "kicked" }),
      state.apply({ type: "peer-left", peerId: "dave", reason: "timed-out" }),
    ]).toEqual([
      { type: "peer-leave", peerId: "bob", name: "Bob", reason: "left" },
      { type: "peer-leave", peerId: "carol", name: "Carol", reason: "kicked" },
      { type: "peer-leave", peerId: "dave", name: "Dave", reason: "timed-out" },
    ]);
    expect(state.roster.map((p) => p.id)).toEqual(["alice"]);
  });

  it("reports a departure once, and none for a player it never had", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    expect(state.apply({ type: "peer-left", peerId: "bob", reason: "left" })).not.toBeNull();
    expect(state.apply({ type: "peer-left", peerId: "bob", reason: "left" })).toBeNull();
    expect(state.apply({ type: "peer-left", peerId: "zed", reason: "left" })).toBeNull();
  });

  it("reports a newcomer and remembers their name", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1)]));
    const carol = peer("carol", 3);
    expect(state.apply({ type: "peer-joined", peer: carol })).toEqual({
      type: "peer-join",
      peer: carol,
    });
    expect(state.peer("carol")).toEqual(carol);
    expect(state.nameOf("carol")).toBe("Carol");
    expect(state.nameOf("zed")).toBeNull();
  });

  it("marks a dropped player as away and back, keeping their seat", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    expect(state.apply({ type: "peer-disconnected", peerId: "bob" })).toEqual({
      type: "peer-away",
      peerId: "bob",
    });
    expect(state.peer("bob")?.connected).toBe(false);
    expect(state.apply({ type: "peer-disconnected", peerId: "bob" })).toBeNull();
    expect(state.apply({ type: "peer-reconnected", peerId: "bob" })).toEqual({
      type: "peer-back",
      peerId: "bob",
    });
    expect(state.peer("bob")?.connected).toBe(true);
    expect(state.apply({ type: "peer-reconnected", peerId: "bob" })).toBeNull();
    expect(state.apply({ type: "peer-disconnected", peerId: "zed" })).toBeNull();
  });

  it("ignores host news that is not newer than what it has", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("bob", [peer("alice", 1), peer("bob", 2)], { hostEpoch: 3 }));
    expect(state.apply({ type: "host-changed", hostId: "bob", hostEpoch: 3 })).toBeNull();
    expect(state.hostId).toBe("alice");
    expect(state.apply({ type: "host-changed", hostId: "bob", hostEpoch: 4 })).toEqual({
      type: "host-change",
      hostId: "bob",
      hostEpoch: 4,
      previousHostId: "alice",
    });
    expect(state.hostId).toBe("bob");
    expect(state.isHost).toBe(true);
    expect(state.apply({ type: "host-changed", hostId: "alice", hostEpoch: 2 })).toBeNull();
    expect(state.hostId).toBe("bob");
    expect(state.hostEpoch).toBe(4);
  });

  it("reports a newer epoch for the same host, naming that host as the previous one", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("bob", [peer("alice", 1), peer("bob", 2)], { hostEpoch: 3 }));
    expect(state.apply({ type: "host-changed", hostId: "alice", hostEpoch: 5 })).toEqual({
      type: "host-change",
      hostId: "alice",
      hostEpoch: 5,
      previousHostId: "alice",
    });
    expect(state.hostEpoch).toBe(5);
  });

  it("follows ready flags, and clears them all when the lobby reopens", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    expect(state.apply({ type: "peer-ready", peerId: "bob", ready: true })).toEqual({
      type: "peer-ready",
      peerId: "bob",
      ready: true,
    });
    state.apply({ type: "peer-ready", peerId: "alice", ready: true });
    expect(state.apply({ type: "peer-ready", peerId: "zed", ready: true })).toBeNull();
    expect(state.roster.map((p) => p.ready)).toEqual([true, true]);
    expect(state.apply({ type: "phase-changed", phase: "playing" })).toEqual({
      type: "phase",
      phase: "playing",
    });
    state.apply({ type: "phase-changed", phase: "finished" });
    state.apply({ type: "phase-changed", phase: "waiting" });
    expect(state.phase).toBe("waiting");
    expect(state.roster.map((p) => p.ready)).toEqual([false, false]);
  });

  it("reports a phase it is already in as nothing new", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1)]));
    expect(state.apply({ type: "phase-changed", phase: "waiting" })).toBeNull();
    state.apply({ type: "phase-changed", phase: "playing" });
    expect(state.apply({ type: "phase-changed", phase: "playing" })).toBeNull();
  });

  it("names chat senders and gives their colours, even after they left", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    const first = state.apply({ type: "chat", from: "bob", text: "hi!", at: 5 });
    state.apply({ type: "peer-left", peerId: "bob", reason: "left" });
    const late = state.apply({ type: "chat", from: "bob", text: "late line", at: 4 });
    expect([first, late]).toEqual([
      { type: "chat", line: { from: "bob", name: "Bob", color: 1, text: "hi!", at: 5 } },
      { type: "chat", line: { from: "bob", name: "Bob", color: 1, text: "late line", at: 4 } },
    ]);
    expect(state.nameOf("bob")).toBe("Bob");
    expect(state.colorOf("bob")).toBe(1);
    const stranger = state.apply({ type: "chat", from: "zed", text: "who?", at: 6 });
    expect(stranger).toMatchObject({ line: { name: "zed", color: null } });
  });

  it("after a reconnect, reports who came and went meanwhile, the new phase and host", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    const carol = peer("carol", 3);
    const change = state.applyWelcome(
      welcome("alice", [peer("alice", 1), carol], {
        resumed: true,
        phase: "playing",
        hostId: "carol",
        hostEpoch: 2,
      }),
    );
    expect(change.newSeat).toBe(false);
    expect(change.diff.added.map((p) => p.id)).toEqual(["carol"]);
    expect(change.diff.removed).toEqual(["bob"]);
    expect(change.news).toEqual([
      { type: "peer-leave", peerId: "bob", name: "Bob", reason: "left" },
      { type: "peer-join", peer: carol },
      { type: "phase", phase: "playing" },
      { type: "host-change", hostId: "carol", hostEpoch: 2, previousHostId: "alice" },
    ]);
    expect(state.hostId).toBe("carol");
  });

  it("reports nothing after a reconnect that missed nothing", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]));
    const change = state.applyWelcome(
      welcome("alice", [peer("alice", 1), peer("bob", 2)], { resumed: true }),
    );
    expect(change).toEqual({ newSeat: false, diff: { added: [], removed: [] }, news: [] });
  });

  it("starts over on a fresh seat (a new id), without news", () => {
    const state = new RoomState();
    state.applyWelcome(welcome("old", [peer("alice", 1), peer("old", 2)]));
    const change = state.applyWelcome(
      welcome("new", [peer("alice", 1), peer("new", 3)], { phase: "playing" }),
    );
    expect(change).toEqual({
      newSeat: true,
      diff: { added: [peer("alice", 1)], removed: [] },
      news: [],
    });
    expect(state.selfId).toBe("new");
    expect(state.roster.map((p) => p.id)).toEqual(["alice", "new"]);
  });
});
