import { describe, expect, it } from "vitest";
import { LobbyState, MAX_LOG_ENTRIES } from "../../game/kit/room/lobby-state.ts";
import type { PeerInfo, Welcome } from "../../shared/protocol.ts";

const peer = (id: string, joinOrder: number, extra: Partial<PeerInfo> = {}): PeerInfo => ({
  id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  joinOrder,
  ready: false,
  connected: true,
  ...extra,
});

function welcome(selfId: string, peers: PeerInfo[], extra: Partial<Welcome> = {}): Welcome {
  return {
    type: "welcome",
    v: 2,
    lobby: "ABC123",
    settings: { name: "Friday", maxPlayers: 4, visibility: "public", mode: "arena" },
    phase: "waiting",
    peerId: selfId,
    resumeToken: "token",
    resumed: false,
    graceMs: 20_000,
    hostId: peers[0]?.id ?? selfId,
    hostEpoch: 1,
    peers,
    iceServers: [],
    iceServersExpireAt: null,
    ...extra,
  };
}

const notices = (state: LobbyState): string[] =>
  state.log.flatMap((entry) => (entry.kind === "notice" ? [entry.text] : []));

describe("what a player knows about the lobby", () => {
  it("takes the first welcome as the whole truth, without notices", () => {
    const state = new LobbyState();
    const diff = state.applyWelcome(welcome("bob", [peer("alice", 1), peer("bob", 2)]), 0);
    expect(diff.added.map((p) => p.id)).toEqual(["alice"]);
    expect(state.selfId).toBe("bob");
    expect(state.hostId).toBe("alice");
    expect(state.isHost).toBe(false);
    expect(state.roster.map((p) => p.id)).toEqual(["alice", "bob"]);
    expect(state.settings?.name).toBe("Friday");
    expect(state.log).toEqual([]);
  });

  it("announces departures by reason, in words", () => {
    const state = new LobbyState();
    state.applyWelcome(
      welcome("alice", [peer("alice", 1), peer("bob", 2), peer("carol", 3), peer("dave", 4)]),
      0,
    );
    state.apply({ type: "peer-left", peerId: "bob", reason: "left" }, 1);
    state.apply({ type: "peer-left", peerId: "carol", reason: "kicked" }, 2);
    state.apply({ type: "peer-left", peerId: "dave", reason: "timed-out" }, 3);
    expect(notices(state)).toEqual(["Bob left", "Carol was removed by the host", "Dave timed out"]);
    expect(state.roster.map((p) => p.id)).toEqual(["alice"]);
  });

  it("marks a dropped player as reconnecting and back, keeping their seat", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    state.apply({ type: "peer-disconnected", peerId: "bob" }, 1);
    expect(state.peer("bob")?.connected).toBe(false);
    state.apply({ type: "peer-reconnected", peerId: "bob" }, 2);
    expect(state.peer("bob")?.connected).toBe(true);
    expect(notices(state)).toEqual([
      "Bob lost their connection; keeping their seat for a while",
      "Bob is back",
    ]);
  });

  it("ignores host news that is not newer than what it has", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("bob", [peer("alice", 1), peer("bob", 2)], { hostEpoch: 3 }), 0);
    state.apply({ type: "host-changed", hostId: "bob", hostEpoch: 3 }, 1);
    expect(state.hostId).toBe("alice");
    state.apply({ type: "host-changed", hostId: "bob", hostEpoch: 4 }, 2);
    expect(state.hostId).toBe("bob");
    expect(state.isHost).toBe(true);
    state.apply({ type: "host-changed", hostId: "alice", hostEpoch: 2 }, 3);
    expect(state.hostId).toBe("bob");
    expect(notices(state)).toEqual(["You are now the host"]);
  });

  it("follows ready flags, and clears them all when the lobby reopens", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    state.apply({ type: "peer-ready", peerId: "bob", ready: true }, 1);
    state.apply({ type: "peer-ready", peerId: "alice", ready: true }, 1);
    expect(state.roster.map((p) => p.ready)).toEqual([true, true]);
    state.apply({ type: "phase-changed", phase: "playing" }, 2);
    state.apply({ type: "phase-changed", phase: "finished" }, 3);
    state.apply({ type: "phase-changed", phase: "waiting" }, 4);
    expect(state.phase).toBe("waiting");
    expect(state.roster.map((p) => p.ready)).toEqual([false, false]);
  });

  it("names chat senders, even after they left", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    state.apply({ type: "chat", from: "bob", text: "hi!", at: 5 }, 5);
    state.apply({ type: "peer-left", peerId: "bob", reason: "left" }, 6);
    state.apply({ type: "chat", from: "bob", text: "late line", at: 4 }, 7);
    const chat = state.log.filter((entry) => entry.kind === "chat");
    expect(chat.map((entry) => [entry.name, entry.text])).toEqual([
      ["Bob", "hi!"],
      ["Bob", "late line"],
    ]);
  });

  it("after a reconnect, notes who came and went meanwhile and the new phase", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    const diff = state.applyWelcome(
      welcome("alice", [peer("alice", 1), peer("carol", 3)], { resumed: true, phase: "playing" }),
      10,
    );
    expect(diff.added.map((p) => p.id)).toEqual(["carol"]);
    expect(diff.removed).toEqual(["bob"]);
    expect(notices(state)).toEqual(["Bob left", "Carol joined", "The game has started!"]);
  });

  it("starts over on a fresh seat (a new id)", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("old", [peer("alice", 1), peer("old", 2)]), 0);
    const diff = state.applyWelcome(welcome("new", [peer("alice", 1), peer("new", 3)]), 10);
    expect(diff).toEqual({ added: [peer("alice", 1)], removed: [] });
    expect(state.selfId).toBe("new");
    expect(state.roster.map((p) => p.id)).toEqual(["alice", "new"]);
  });

  it("keeps the log bounded", () => {
    const state = new LobbyState();
    state.applyWelcome(welcome("alice", [peer("alice", 1)]), 0);
    for (let i = 0; i < MAX_LOG_ENTRIES + 20; i++) {
      state.apply({ type: "chat", from: "alice", text: `line ${i}`, at: i }, i);
    }
    expect(state.log).toHaveLength(MAX_LOG_ENTRIES);
    expect(state.log.at(-1)).toMatchObject({ text: `line ${MAX_LOG_ENTRIES + 19}` });
  });
});
