/**
 * Who a player is in a lobby: a name no other seat holds, a colour slot of their own kept with
 * the seat (across reconnects and restarts), and the match length the lobby was created with.
 * Lobbies stored by the previous version load with all of these.
 */
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import { lobbyCodeFromBytes } from "../../shared/lobby-code.ts";
import type { PeerInfo } from "../../shared/protocol.ts";
import {
  connect,
  crash,
  createLobby,
  type Joined,
  join,
  lobbyStub,
  names,
  nth,
} from "./helpers.ts";
import { storeV4Lobby } from "./v4-lobby.ts";

function self(player: Joined): PeerInfo {
  const found = player.welcome.peers.find((peer) => peer.id === player.welcome.peerId);
  if (!found) throw new Error("a welcome without its own seat");
  return found;
}

describe("names", () => {
  it("numbers a name another seat holds; the joiner hears it in welcome, the others in peer-joined", async () => {
    const code = await createLobby();
    const ana = await join(code, "Ana");
    const second = await join(code, "ana");
    expect(self(second).name).toBe("ana 2");
    expect((await ana.client.next("peer-joined")).peer.name).toBe("ana 2");
    const third = await join(code, "  ANA  ");
    expect(self(third).name).toBe("ANA 3");
    expect(names(third.welcome)).toEqual(["Ana", "ana 2", "ANA 3"]);

    // "ana 2" leaves: its number is free for the next Ana.
    second.client.sendJson({ type: "leave" });
    await ana.client.next("peer-left");
    const fourth = await join(code, "Ana");
    expect(self(fourth).name).toBe("Ana 2");
  });

  it("shortens a numbered long name by whole grapheme clusters", async () => {
    const code = await createLobby();
    const long = `${"a".repeat(23)}👩‍👩‍👧`; // 31 UTF-16 units, the family one cluster
    await join(code, long);
    const second = await join(code, long);
    expect(self(second).name).toBe(`${"a".repeat(23)} 2`);
  });

  it("lets a resumed seat keep its name, whatever its hello says", async () => {
    const code = await createLobby();
    await join(code, "Bo");
    const bo2 = await join(code, "Bo");
    bo2.client.ws.close(4100, "network went away");
    await bo2.client.closed;
    const back = await join(code, "Someone else", { resume: bo2.welcome });
    expect(self(back)).toMatchObject({ name: "Bo 2", color: self(bo2).color });
  });
});

describe("colours", () => {
  it("gives the seats of a full lobby eight different slots", async () => {
    const code = await createLobby({ maxPlayers: MAX_PLAYERS });
    const players: Joined[] = [];
    for (let i = 0; i < MAX_PLAYERS; i++) players.push(await join(code, `P${i}`));
    const last = nth(players, MAX_PLAYERS - 1);
    expect(last.welcome.peers.map((peer) => peer.color)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("keeps a held seat's slot, and gives a newcomer the lowest slot freed by a leaver", async () => {
    const code = await createLobby();
    const players: Joined[] = [];
    for (const name of ["A", "B", "C", "D", "E"]) players.push(await join(code, name));
    const host = nth(players, 0);
    // C (slot 2) drops and is held for the grace window; D (slot 3) leaves for good.
    nth(players, 2).client.ws.close(4100, "network went away");
    await host.client.next("peer-disconnected");
    nth(players, 3).client.sendJson({ type: "leave" });
    await host.client.next("peer-left");
    const newcomer = await join(code, "F");
    expect(self(newcomer).color).toBe(3);
    // C comes back to the same colour.
    const back = await join(code, "C", { resume: nth(players, 2).welcome });
    expect(self(back).color).toBe(2);
  });

  it("keeps names and colours across a restart of the lobby", async () => {
    const code = await createLobby();
    const ana = await join(code, "Ana");
    const ana2 = await join(code, "Ana");
    await crash(code);
    const back = await join(code, "Ana", { resume: ana2.welcome });
    expect(back.welcome.peers.map(({ name, color }) => ({ name, color }))).toEqual([
      { name: "Ana", color: self(ana).color },
      { name: "Ana 2", color: self(ana2).color },
    ]);
  });
});

describe("rounds", () => {
  it("are set at creation and carried in the settings, 3 unless chosen", async () => {
    const chosen = await join(await createLobby({ rounds: 5 }), "Ana");
    expect(chosen.welcome.settings.rounds).toBe(5);
    const plain = await join(await createLobby(), "Bo");
    expect(plain.welcome.settings.rounds).toBe(3);
  });
});

describe("voice range", () => {
  it("is set at creation, kept through a restart, and everyone unless chosen", async () => {
    const code = await createLobby({ voice: "proximity" });
    const ana = await join(code, "Ana");
    expect(ana.welcome.settings.voice).toBe("proximity");
    await crash(code);
    const back = await join(code, "Ana", { resume: ana.welcome });
    expect(back.welcome.settings.voice).toBe("proximity");
    const plain = await join(await createLobby(), "Bo");
    expect(plain.welcome.settings.voice).toBe("everyone");
  });
});

describe("a lobby stored by the previous version", () => {
  it("loads after a deploy: seats get colours in join order, rounds are 3, kicks still hold", async () => {
    const code = lobbyCodeFromBytes(crypto.getRandomValues(new Uint8Array(6)));
    const seats = [
      { id: "oldHost001", name: "Ana", joinOrder: 1, resumeToken: "1".repeat(32) },
      { id: "oldGuest02", name: "Bo", joinOrder: 2, resumeToken: "2".repeat(32) },
      { id: "oldGuest04", name: "Cy", joinOrder: 4, resumeToken: "4".repeat(32) },
    ];
    await storeV4Lobby(lobbyStub(code), code, seats, ["oldKicked3"]);
    await crash(code);

    const ana = await join(code, "Ana", {
      resume: { peerId: "oldHost001", resumeToken: "1".repeat(32) },
    });
    expect(ana.welcome.settings).toEqual({
      name: "Stored before",
      maxPlayers: 4,
      visibility: "private",
      mode: "arena",
      rounds: 3,
      // Migrated: a lobby from before voice had everyone hear everyone.
      voice: "everyone",
    });
    expect(ana.welcome.peers.map(({ name, color }) => [name, color])).toEqual([
      ["Ana", 0],
      ["Bo", 1],
      ["Cy", 2],
    ]);
    expect(ana.welcome.hostId).toBe("oldHost001");
    const kicked = await connect(code, { seat: "oldKicked3" });
    expect((await kicked.closed).code).toBe(CloseCode.Kicked);
    // A second Ana is numbered against the stored names, and takes the next free colour.
    const newcomer = await join(code, "ana");
    expect(self(newcomer)).toMatchObject({ name: "ana 2", color: 3, joinOrder: 5 });
  });
});
