import { describe, expect, it } from "vitest";
import type { LobbyEvent } from "../../game/kit/lobby/lobby-event.ts";
import { RoomState } from "../../game/kit/room/room-state.ts";
import { LobbyLog, type LogContext, MAX_LOG_ENTRIES } from "../../game/session/lobby-log.ts";
import type { Welcome } from "../../shared/protocol.ts";
import { peer, welcome } from "./lobby-fixtures.ts";

/** A room's state and the log that words its news, wired as the game session wires them. */
class LoggedLobby {
  readonly state = new RoomState();
  readonly log = new LobbyLog();
  readonly #context: LogContext;

  constructor() {
    const state = this.state;
    this.#context = {
      get selfId() {
        return state.selfId;
      },
      nameOf: (peerId) => state.nameOf(peerId) ?? "A player",
    };
  }

  welcome(message: Welcome, nowMs: number): void {
    for (const news of this.state.applyWelcome(message).news) {
      this.log.add(news, this.#context, nowMs);
    }
  }

  apply(event: LobbyEvent, nowMs: number): void {
    const news = this.state.apply(event);
    if (news !== null) this.log.add(news, this.#context, nowMs);
  }

  get notices(): string[] {
    return this.log.entries.flatMap((entry) => (entry.kind === "notice" ? [entry.text] : []));
  }
}

describe("the lobby log", () => {
  it("has nothing to say about the first welcome", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("bob", [peer("alice", 1), peer("bob", 2)]), 0);
    expect(lobby.log.entries).toEqual([]);
  });

  it("announces arrivals, and departures by reason, in words", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(
      welcome("alice", [peer("alice", 1), peer("bob", 2), peer("carol", 3), peer("dave", 4)]),
      0,
    );
    lobby.apply({ type: "peer-left", peerId: "bob", reason: "left" }, 1);
    lobby.apply({ type: "peer-left", peerId: "carol", reason: "kicked" }, 2);
    lobby.apply({ type: "peer-left", peerId: "dave", reason: "timed-out" }, 3);
    lobby.apply({ type: "peer-joined", peer: peer("erin", 5) }, 4);
    expect(lobby.notices).toEqual([
      "Bob left",
      "Carol was removed by the host",
      "Dave timed out",
      "Erin joined",
    ]);
    expect(lobby.log.entries.map((entry) => entry.at)).toEqual([1, 2, 3, 4]);
  });

  it("says when a dropped player is reconnecting and when they are back", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    lobby.apply({ type: "peer-disconnected", peerId: "bob" }, 1);
    lobby.apply({ type: "peer-disconnected", peerId: "bob" }, 2);
    lobby.apply({ type: "peer-reconnected", peerId: "bob" }, 3);
    expect(lobby.notices).toEqual([
      "Bob lost their connection; keeping their seat for a while",
      "Bob is back",
    ]);
  });

  it("says who the host is only when the host changes, ignoring stale news", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("bob", [peer("alice", 1), peer("bob", 2)], { hostEpoch: 3 }), 0);
    lobby.apply({ type: "host-changed", hostId: "bob", hostEpoch: 3 }, 1);
    lobby.apply({ type: "host-changed", hostId: "bob", hostEpoch: 4 }, 2);
    lobby.apply({ type: "host-changed", hostId: "alice", hostEpoch: 2 }, 3);
    // A newer epoch for the same host is not news to a player.
    lobby.apply({ type: "host-changed", hostId: "bob", hostEpoch: 5 }, 4);
    lobby.apply({ type: "host-changed", hostId: "alice", hostEpoch: 6 }, 5);
    expect(lobby.notices).toEqual(["You are now the host", "Alice is now the host"]);
  });

  it("follows the round's phases, once each", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    lobby.apply({ type: "peer-ready", peerId: "bob", ready: true }, 1);
    lobby.apply({ type: "phase-changed", phase: "playing" }, 2);
    lobby.apply({ type: "phase-changed", phase: "playing" }, 3);
    lobby.apply({ type: "phase-changed", phase: "finished" }, 4);
    lobby.apply({ type: "phase-changed", phase: "waiting" }, 5);
    expect(lobby.notices).toEqual([
      "The match has started!",
      "The match is over",
      "Back to the warm-up: get ready for the next match",
    ]);
  });

  it("keeps chat lines with their senders' names and colours, even after they left", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    lobby.apply({ type: "chat", from: "bob", text: "hi!", at: 5 }, 5);
    lobby.apply({ type: "peer-left", peerId: "bob", reason: "left" }, 6);
    lobby.apply({ type: "chat", from: "bob", text: "late line", at: 4 }, 7);
    const chat = lobby.log.entries.filter((entry) => entry.kind === "chat");
    expect(chat).toEqual([
      { kind: "chat", from: "bob", name: "Bob", color: 1, text: "hi!", at: 5 },
      { kind: "chat", from: "bob", name: "Bob", color: 1, text: "late line", at: 4 },
    ]);
  });

  it("after a reconnect, notes who came and went meanwhile and the new phase", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("alice", [peer("alice", 1), peer("bob", 2)]), 0);
    lobby.welcome(
      welcome("alice", [peer("alice", 1), peer("carol", 3)], { resumed: true, phase: "playing" }),
      10,
    );
    expect(lobby.notices).toEqual(["Bob left", "Carol joined", "The match has started!"]);
  });

  it("adds the session's own lines", () => {
    const log = new LobbyLog();
    log.note("Reconnected to the lobby", 42);
    expect(log.entries).toEqual([{ kind: "notice", text: "Reconnected to the lobby", at: 42 }]);
  });

  it("keeps the log bounded, dropping the oldest entries", () => {
    const lobby = new LoggedLobby();
    lobby.welcome(welcome("alice", [peer("alice", 1)]), 0);
    for (let i = 0; i < MAX_LOG_ENTRIES + 20; i++) {
      lobby.apply({ type: "chat", from: "alice", text: `line ${i}`, at: i }, i);
    }
    expect(lobby.log.entries).toHaveLength(MAX_LOG_ENTRIES);
    expect(lobby.log.entries[0]).toMatchObject({ text: "line 20" });
    expect(lobby.log.entries.at(-1)).toMatchObject({ text: `line ${MAX_LOG_ENTRIES + 19}` });
  });
});
