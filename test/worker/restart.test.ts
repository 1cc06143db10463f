/**
 * A lobby object that starts with seats but not their sockets (a crash, a deploy, a reset)
 * gives those seats the grace window before it serves anything. One that wakes from
 * hibernation with its sockets changes nothing.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import {
  connect,
  crash,
  createLobby,
  GRACE_MS,
  type Joined,
  join,
  lobbyInfo,
  lobbyStub,
  nth,
  roundTrip,
} from "./helpers.ts";

async function lobbyOfFour(): Promise<{ code: string; players: Joined[] }> {
  const code = await createLobby();
  const players: Joined[] = [];
  for (const name of ["Ana", "Bo", "Cy", "Di"]) players.push(await join(code, name));
  return { code, players };
}

describe("after a restart", () => {
  it("frees the seats of players who do not come back, and keeps those who do", async () => {
    const { code, players } = await lobbyOfFour();
    await crash(code);
    for (const player of players) expect((await player.client.closed).code).toBe(1006);

    const ana = await join(code, "Ana", { resume: nth(players, 0).welcome });
    // Everyone else is away now, not connected: the lobby noticed before it answered.
    expect(ana.welcome.peers.map((peer) => [peer.name, peer.connected])).toEqual([
      ["Ana", true],
      ["Bo", false],
      ["Cy", false],
      ["Di", false],
    ]);
    const bo = await join(code, "Bo", { resume: nth(players, 1).welcome });
    expect(bo.welcome).toMatchObject({ resumed: true, hostId: ana.welcome.peerId });

    // Cy and Di stay away: their seats end with the grace window, like any dropped player's.
    const left = [
      await ana.client.next("peer-left", GRACE_MS + 5000),
      await ana.client.next("peer-left", GRACE_MS + 5000),
    ];
    expect(left.map((message) => message.peerId).sort()).toEqual(
      [nth(players, 2).welcome.peerId, nth(players, 3).welcome.peerId].sort(),
    );
    for (const message of left) expect(message.reason).toBe("timed-out");
    expect(await lobbyInfo(code)).toMatchObject({ players: 2, full: false });
    // Their seats are really gone: the token of one no longer opens anything.
    const late = await connect(code, { seat: nth(players, 2).welcome.peerId });
    expect((await late.closed).code).toBe(CloseCode.SeatExpired);
    await roundTrip(bo.client);
  });

  it("lets a full lobby that lost its sockets fill again once the grace window is over", async () => {
    const code = await createLobby({ maxPlayers: 2 });
    await join(code, "Ana");
    await join(code, "Bo");
    await crash(code);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 500));
    // Touching the lobby runs its alarm-free start-up; the alarm then releases the seats.
    await expect.poll(async () => (await lobbyInfo(code)).players, { timeout: 5000 }).toBe(0);
    const newcomer = await join(code, "Newcomer");
    expect(newcomer.welcome.hostId).toBe(newcomer.welcome.peerId);
  });
});

describe("after hibernation", () => {
  it("keeps every connected player connected: their sockets came back with the object", async () => {
    const { code, players } = await lobbyOfFour();
    await evictDurableObject(lobbyStub(code));
    const ana = nth(players, 0).client;
    await roundTrip(ana);
    expect(ana.pending("peer-disconnected")).toEqual([]);
    expect((await lobbyInfo(code)).players).toBe(4);
  });
});
