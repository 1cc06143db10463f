import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import { RESUME_LIMIT } from "../../shared/limits.ts";
import { PROTOCOL_VERSION } from "../../shared/protocol.ts";
import {
  connect,
  createLobby,
  GRACE_MS,
  hello,
  join,
  leaveByToken,
  lobbyInfo,
  names,
  roundTrip,
} from "./helpers.ts";

describe("reconnection", () => {
  it("keeps the seat, peer id and host role of a player who comes back within the grace window", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    expect(alice.welcome.resumeToken).toMatch(/^[0-9a-f]{32}$/);
    expect(alice.welcome.graceMs).toBe(GRACE_MS);

    alice.client.ws.close(4100, "network went away");
    expect((await bob.client.next("peer-disconnected")).peerId).toBe(alice.welcome.peerId);

    const back = await join(code, "Alice", { resume: alice.welcome });
    expect(back.welcome).toMatchObject({
      resumed: true,
      peerId: alice.welcome.peerId,
      hostId: alice.welcome.peerId,
      hostEpoch: 1,
    });
    expect(names(back.welcome)).toEqual(["Alice", "Bob"]);
    expect((await bob.client.next("peer-reconnected")).peerId).toBe(alice.welcome.peerId);
    // Others saw a drop and a return, never a leave and a join.
    expect(bob.client.pending("peer-left")).toEqual([]);
    expect(bob.client.pending("peer-joined")).toEqual([]);

    bob.client.sendJson({
      type: "signal",
      to: alice.welcome.peerId,
      data: { kind: "candidate", candidate: "" },
    });
    expect((await back.client.next("signal")).from).toBe(bob.welcome.peerId);
  });

  it("shows a dropped player as disconnected, still holding a seat", async () => {
    const code = await createLobby({ maxPlayers: 2 });
    const alice = await join(code, "Alice");
    await join(code, "Bob").then((bob) => bob.client.ws.close(4100, "gone"));
    await alice.client.next("peer-disconnected");
    const carol = await connect(code);
    carol.sendJson({ type: "hello", v: PROTOCOL_VERSION, name: "Carol" });
    expect((await carol.closed).code).toBe(CloseCode.LobbyFull);
    expect(await lobbyInfo(code)).toMatchObject({
      players: 2,
      full: true,
    });
  });

  it("gives the seat up after the grace window: peer-left with reason timed-out", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    bob.client.ws.close(4100, "gone");
    await alice.client.next("peer-disconnected");
    const left = await alice.client.next("peer-left", GRACE_MS + 5000);
    expect(left).toEqual({ type: "peer-left", peerId: bob.welcome.peerId, reason: "timed-out" });
    // The seat's expiry touches only that seat: Alice's socket is still open and served.
    expect(alice.client.ws.readyState).toBe(WebSocket.OPEN);
    await roundTrip(alice.client);

    const late = await connect(code, { seat: bob.welcome.peerId });
    expect((await late.closed).code).toBe(CloseCode.SeatExpired);
  });

  it("refuses an unknown seat, and a held seat with a wrong token, as seat-expired", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const stranger = await connect(code, { seat: "nobody-here" });
    expect((await stranger.closed).code).toBe(CloseCode.SeatExpired);
    const guesser = await connect(code, { seat: alice.welcome.peerId });
    hello(guesser, "Alice", { peerId: alice.welcome.peerId, resumeToken: "0".repeat(32) });
    expect((await guesser.closed).code).toBe(CloseCode.SeatExpired);
    // The guess changed nothing for the seat's owner.
    await roundTrip(alice.client);
    expect(alice.client.pending("error")).toEqual([]);
  });

  it("needs the token in hello on a socket that names a seat, and a named seat for a token", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const noToken = await connect(code, { seat: alice.welcome.peerId });
    hello(noToken, "Alice");
    expect((await noToken.next("error")).message).toContain("resume:");
    expect((await noToken.closed).code).toBe(CloseCode.TooManyErrors);
    const noSeat = await connect(code);
    hello(noSeat, "Alice", alice.welcome);
    expect((await noSeat.next("error")).message).toContain("?peer=");
    expect((await noSeat.closed).code).toBe(CloseCode.TooManyErrors);
    await roundTrip(alice.client);
  });

  it("rotates the token on every resume; the one it replaced works for one grace window", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    await join(code, "Bob");
    const first = alice.welcome;
    const second = await join(code, "Alice", { resume: first });
    expect(second.welcome.resumeToken).toMatch(/^[0-9a-f]{32}$/);
    expect(second.welcome.resumeToken).not.toBe(first.resumeToken);
    // The welcome with the new token may be lost with its connection: the old one still opens the seat.
    const retry = await join(code, "Alice", { resume: first });
    expect(retry.welcome).toMatchObject({ resumed: true, peerId: first.peerId });
    expect(retry.welcome.resumeToken).not.toBe(second.welcome.resumeToken);
    // Once the overlap is over, only the newest token works.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 100));
    const stale = await connect(code, { seat: first.peerId });
    hello(stale, "Alice", first);
    expect((await stale.closed).code).toBe(CloseCode.SeatExpired);
    const newest = await join(code, "Alice", { resume: retry.welcome });
    expect(newest.welcome.peerId).toBe(first.peerId);
    // Leaving takes the newest token only: a tab another tab replaced cannot end its seat.
    expect((await leaveByToken(code, retry.welcome.resumeToken)).status).toBe(404);
    expect((await lobbyInfo(code)).players).toBe(2);
  });

  it("lets a seat resume a few times in a row, then asks it to wait", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    let ticket = alice.welcome;
    for (let i = 0; i < RESUME_LIMIT.capacity; i++) {
      ticket = (await join(code, "Alice", { resume: ticket })).welcome;
    }
    const eager = await connect(code, { seat: ticket.peerId });
    hello(eager, "Alice", ticket);
    expect(await eager.closed).toEqual({
      code: CloseCode.TryAgainLater,
      reason: "Too many reconnections; wait a few seconds.",
    });
    // The seat and its newest token are untouched; Bob saw only the resumes that happened.
    expect(bob.client.pending("peer-reconnected")).toHaveLength(RESUME_LIMIT.capacity);
    expect((await lobbyInfo(code)).players).toBe(2);
  });

  it("hands the seat to the newest socket and closes the older one as replaced", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const secondTab = await join(code, "Alice", { resume: alice.welcome });
    expect(secondTab.welcome.peerId).toBe(alice.welcome.peerId);
    expect((await alice.client.closed).code).toBe(CloseCode.Replaced);
    await bob.client.next("peer-reconnected");
    // The old socket closing must not make the seat look dropped.
    await roundTrip(bob.client);
    expect(bob.client.pending("peer-disconnected")).toEqual([]);
    expect(bob.client.pending("peer-left")).toEqual([]);
  });
});
