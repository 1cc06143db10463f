import { describe, expect, it } from "vitest";
import type { ConnectionState } from "../../game/kit/lobby/reconnecting-lobby.ts";
import { buildPanelModel, type PanelInput } from "../../game/ui/lobby-panel-model.ts";
import type { LobbyPhase, PeerInfo } from "../../shared/protocol.ts";

const alice: PeerInfo = { id: "a", name: "Alice", joinOrder: 1, ready: false, connected: true };
const bob: PeerInfo = { id: "b", name: "Bob", joinOrder: 2, ready: false, connected: true };

function input(
  selfId: string,
  roster: PeerInfo[],
  phase: LobbyPhase = "waiting",
  connection: ConnectionState = "open",
): PanelInput {
  return {
    selfId,
    settings: { name: "Friday", maxPlayers: 4, visibility: "public", mode: "arena" },
    phase,
    hostId: "a",
    roster,
    log: [],
    connection,
    chatError: null,
    modeLabel: (mode) => (mode === "arena" ? "Arena" : mode),
    isLinkOpen: (id) => id === "b",
  };
}

describe("the lobby panel's contents", () => {
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
    expect(buildPanelModel(input("a", [alice, bob], "finished")).reopen).toBe("enabled");
    expect(buildPanelModel(input("b", [alice, bob], "waiting"))).toMatchObject({
      start: "hidden",
      finish: "hidden",
      reopen: "hidden",
      ready: "enabled",
    });
  });

  it("marks host, self, readiness, direct links and kick rights per row", () => {
    const model = buildPanelModel(input("a", [alice, { ...bob, ready: true }]));
    expect(model.roster).toEqual([
      {
        id: "a",
        name: "Alice",
        isSelf: true,
        isHost: true,
        ready: false,
        connected: true,
        linkOpen: true,
        canKick: false,
      },
      {
        id: "b",
        name: "Bob",
        isSelf: false,
        isHost: false,
        ready: true,
        connected: true,
        linkOpen: true,
        canKick: true,
      },
    ]);
    expect(buildPanelModel(input("b", [alice, bob])).roster.every((r) => !r.canKick)).toBe(true);
  });

  it("pauses every control while the lobby connection is down", () => {
    const model = buildPanelModel(input("a", [alice, bob], "waiting", "reconnecting"));
    expect(model).toMatchObject({ ready: "disabled", start: "disabled", chat: "disabled" });
    expect(model.hint).toMatch(/Not connected/);
  });

  it("names the mode and the lobby", () => {
    const model = buildPanelModel(input("b", [alice, bob]));
    expect(model).toMatchObject({ title: "Friday", mode: "Arena", maxPlayers: 4 });
    expect(model.hint).toMatch(/I'm ready/);
  });
});
