import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, LobbyInfoSchema } from "../../shared/api.ts";
import { CloseCode } from "../../shared/codes.ts";
import { PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { api, connect, createLobby, join, leaveByToken, ORIGIN, roundTrip } from "./helpers.ts";

async function players(code: string): Promise<number> {
  return v.parse(LobbyInfoSchema, await (await api(`/api/lobbies/${code}`)).json()).players;
}

async function apiErrorOf(response: Response): Promise<string> {
  return v.parse(ApiErrorSchema, await response.json()).error;
}

describe("leaving by resume token (POST /api/lobbies/:code/leave)", () => {
  it("frees a dropped player's seat at once; the others see them leave", async () => {
    const code = await createLobby({ maxPlayers: 2 });
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    bob.client.ws.close(4100, "network went away");
    await alice.client.next("peer-disconnected");

    const response = await leaveByToken(code, bob.welcome.resumeToken);
    expect(response.status).toBe(204);
    expect(await alice.client.next("peer-left")).toEqual({
      type: "peer-left",
      peerId: bob.welcome.peerId,
      reason: "left",
    });
    expect(await players(code)).toBe(1);
    // The seat is free for someone else right away, not after the grace window.
    const carol = await join(code, "Carol");
    expect(carol.welcome.peers.map((peer) => peer.name)).toEqual(["Alice", "Carol"]);
    // And the token is spent, like after `leave`.
    const late = await connect(code, { seat: bob.welcome.peerId });
    expect((await late.closed).code).toBe(CloseCode.SeatExpired);
  });

  it("closes a socket that still speaks for the seat, normally, without a drop", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    expect((await leaveByToken(code, bob.welcome.resumeToken)).status).toBe(204);
    expect(await bob.client.closed).toEqual({ code: CloseCode.Normal, reason: "Left the lobby." });
    expect((await alice.client.next("peer-left")).reason).toBe("left");
    await roundTrip(alice.client);
    expect(alice.client.pending("peer-disconnected")).toEqual([]);
  });

  it("answers 404 to a token no seat holds, and changes nothing", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const wrong = await leaveByToken(code, "0".repeat(32));
    expect(wrong.status).toBe(404);
    expect(await apiErrorOf(wrong)).toBe("seat-not-found");
    // A token from another lobby is just as unknown here.
    const elsewhere = await createLobby();
    expect((await leaveByToken(elsewhere, bob.welcome.resumeToken)).status).toBe(404);

    expect(await players(code)).toBe(2);
    await roundTrip(alice.client);
    expect(alice.client.pending("peer-left")).toEqual([]);
    expect(bob.client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("answers 404 for a lobby that does not exist", async () => {
    const response = await leaveByToken("ZZZZZZ", "0".repeat(32));
    expect(response.status).toBe(404);
    expect(await apiErrorOf(response)).toBe("lobby-not-found");
  });

  it("refuses other origins, other methods and bodies without a token", async () => {
    const code = await createLobby();
    const bob = await join(code, "Bob");
    const foreign = await leaveByToken(code, bob.welcome.resumeToken, "https://evil.example");
    expect(foreign.status).toBe(403);
    expect(await apiErrorOf(foreign)).toBe("origin-not-allowed");
    const get = await api(`/api/lobbies/${code}/leave`, { headers: { Origin: ORIGIN } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const noToken = await api(`/api/lobbies/${code}/leave`, {
      method: "POST",
      body: JSON.stringify({ resumeToken: "not a token" }),
      headers: { Origin: ORIGIN },
    });
    expect(noToken.status).toBe(400);
    expect(v.parse(ApiErrorSchema, await noToken.json()).message).toMatch(/^resumeToken:/);
    expect(await players(code)).toBe(1);
    bob.client.sendJson({ type: "hello", v: PROTOCOL_VERSION, name: "Bob" });
    expect((await bob.client.next("error")).code).toBe("already-joined");
  });
});
