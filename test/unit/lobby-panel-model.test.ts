import { describe, expect, it } from "vitest";
import type { ConnectionState } from "../../game/kit/lobby/reconnecting-lobby.ts";
import { INITIAL_VOICE_STATE } from "../../game/kit/voice/voice-state.ts";
import { buildPanelModel, type PanelInput } from "../../game/ui/lobby-panel-model.ts";
import type { MatchStage } from "../../game/world/events-wire.ts";
import type { LobbyPhase, PeerInfo } from "../../shared/protocol.ts";

const alice: PeerInfo = {
  id: "a",
  name: "Alice",
  color: 0,
  joinOrder: 1,
  ready: false,
  connected: true,
};
const bob: PeerInfo = {
  id: "b",
  name: "Bob",
  color: 1,
  joinOrder: 2,
  ready: false,
  connected: true,
};

function input(
  selfId: string,
  roster: PeerInfo[],
  phase: LobbyPhase = "waiting",
  connection: ConnectionState = "open",
  stage: MatchStage | null = phase === "playing" ? "round" : null,
): PanelInput {
  return {
    selfId,
    settings: {
      name: "Friday",
      maxPlayers: 4,
      visibility: "public",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    },
    phase,
    stage,
    hostId: "a",
    roster,
    log: [],
    connection,
    chatError: null,
    modeLabel: (mode) => (mode === "arena" ? "Arena" : mode),
    isLinkOpen: (id) => id === "b",
    voiceBadge: (id) => (id === "b" ? "no-path" : null),
    voice: {
      state: INITIAL_VOICE_STATE,
      transmitting: false,
      supported: true,
      touch: false,
      canMix: true,
      proximity: false,
      peers: [],
    },
  };
}

describe("the lobby panel's contents", () => {
  it("puts each player's voice badge on their row, and the voice controls beside", () => {
    const model = buildPanelModel(input("a", [alice, bob]));
    expect(model.roster.map((row) => row.voice)).toEqual([null, "no-path"]);
    expect(model.voice.toggleLabel).toBe("🎤 Turn voice on");
  });

  it("shows the host a disabled start until every other connected player is ready", () => {
    expect(buildPanelModel(input("a", [alice, bob])).start).toBe("disabled");
    const ready = buildPanelModel(input("a", [alice, { ...bob, ready: true }]));
    expect(ready.start).toBe("enabled");
    expect(ready.hint).toMatch(/start when you like/);
    // A player whose connection dropped does not hold up the start (the lobby's rule).
    const away = buildPanelModel(input("a", [alice, { ...bob, connected: false }]));
    expect(away.start).toBe("enabled");
  });

  it("offers only the next phase to the host, and none to others", () => {
    expect(buildPanelModel(input("a", [alice, bob], "playing"))).toMatchObject({
      start: "hidden",
      finish: "enabled",
      reopen: "hidden",
      ready: "hidden",
    });
    expect(buildPanelModel(input("a", [alice, bob], "waiting")).ready).toBe("hidden");
    expect(buildPanelModel(input("a", [alice, bob], "finished")).reopen).toBe("enabled");
    expect(buildPanelModel(input("b", [alice, bob], "waiting"))).toMatchObject({
      start: "hidden",
      finish: "hidden",
      reopen: "hidden",
      ready: "enabled",
    });
  });

  it("lets the host end a round only while one runs", () => {
    const during = (stage: MatchStage | null) =>
      buildPanelModel(input("a", [alice, bob], "playing", "open", stage)).finish;
    expect(during("round")).toBe("enabled");
    expect(during("countdown")).toBe("disabled");
    expect(during("results")).toBe("disabled");
    expect(during(null)).toBe("disabled");
  });

  it("marks host, self, readiness, direct links and kick rights per row", () => {
    const model = buildPanelModel(input("a", [alice, { ...bob, ready: true }]));
    expect(model.roster).toEqual([
      {
        id: "a",
        name: "Alice",
        color: 0,
        isSelf: true,
        isHost: true,
        // The host has no ready toggle and is never waited for: shown as ready.
        ready: true,
        connected: true,
        linkOpen: true,
        canKick: false,
        voice: null,
      },
      {
        id: "b",
        name: "Bob",
        color: 1,
        isSelf: false,
        isHost: false,
        ready: true,
        connected: true,
        linkOpen: true,
        canKick: true,
        voice: "no-path",
      },
    ]);
    expect(buildPanelModel(input("b", [alice, bob])).roster.every((r) => !r.canKick)).toBe(true);
  });

  it("asks the host before starting with nobody else connected, and not otherwise", () => {
    const alone = buildPanelModel(input("a", [alice]));
    expect(alone).toMatchObject({ start: "enabled", startQuestion: "Start with only you?" });
    expect(alone.hint).toMatch(/Invite players/);
    // A player whose seat is held does not count: they may not come back.
    const heldOnly = buildPanelModel(input("a", [alice, { ...bob, connected: false }]));
    expect(heldOnly.startQuestion).toBe("Start with only you?");
    const withBob = buildPanelModel(input("a", [alice, { ...bob, ready: true }]));
    expect(withBob).toMatchObject({ start: "enabled", startQuestion: null });
    // Only the host starts, so only the host is asked.
    expect(buildPanelModel(input("b", [alice, bob])).startQuestion).toBeNull();
  });

  it("pauses every control while the lobby connection is down", () => {
    const host = buildPanelModel(input("a", [alice, bob], "waiting", "reconnecting"));
    expect(host).toMatchObject({ start: "disabled", chat: "disabled" });
    expect(host.hint).toMatch(/Not connected/);
    const guest = buildPanelModel(input("b", [alice, bob], "waiting", "reconnecting"));
    expect(guest).toMatchObject({ ready: "disabled", chat: "disabled" });
  });

  it("names the mode and the lobby", () => {
    const model = buildPanelModel(input("b", [alice, bob]));
    expect(model).toMatchObject({ title: "Friday", mode: "Arena", maxPlayers: 4 });
    expect(model.hint).toMatch(/I'm ready/);
  });
});
