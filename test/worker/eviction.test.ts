import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createLobby, join, lobbyInfo, lobbyStub, names } from "./helpers.ts";

describe("lobby state in SQLite", () => {
  it("stores settings, phase, host, epoch, roster and tokens in the object's database", async () => {
    const code = await createLobby({
      name: "Stored",
      maxPlayers: 3,
      visibility: "public",
      mode: "arena",
    });
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const stored = await runInDurableObject(lobbyStub(code), (_lobby, state) => ({
      lobby: state.storage.sql
        .exec(
          "SELECT code, name, max_players, visibility, mode, phase, host_id, host_epoch FROM lobby",
        )
        .toArray(),
      peers: state.storage.sql
        .exec("SELECT id, name, join_order, resume_token FROM peers ORDER BY join_order")
        .toArray(),
      sockets: state.getWebSockets().length,
      tagged: state.getWebSockets(bob.welcome.peerId).length,
    }));
    expect(stored).toEqual({
      lobby: [
        {
          code,
          name: "Stored",
          max_players: 3,
          visibility: "public",
          mode: "arena",
          phase: "waiting",
          host_id: alice.welcome.peerId,
          host_epoch: 1,
        },
      ],
      peers: [
        {
          id: alice.welcome.peerId,
          name: "Alice",
          join_order: 1,
          resume_token: alice.welcome.resumeToken,
        },
        {
          id: bob.welcome.peerId,
          name: "Bob",
          join_order: 2,
          resume_token: bob.welcome.resumeToken,
        },
      ],
      sockets: 2,
      tagged: 1,
    });
  });

  it("refuses to create a second lobby on the same object", async () => {
    const code = await createLobby();
    const settings = {
      name: "again",
      maxPlayers: 8,
      visibility: "private",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    } as const;
    expect(await lobbyStub(code).create(code, settings)).toBe(false);
  });
});

describe("eviction with sockets connected", () => {
  it("keeps roster, host, epoch, phase, settings and tokens, and goes on relaying", async () => {
    const code = await createLobby({
      name: "Evicted",
      maxPlayers: 4,
      visibility: "private",
      mode: "arena",
    });
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const carol = await join(code, "Carol");
    alice.client.sendJson({ type: "leave" });
    await bob.client.next("host-changed");
    carol.client.sendJson({ type: "set-ready", ready: true });
    await bob.client.next("peer-ready");
    bob.client.sendJson({ type: "set-phase", phase: "playing" });
    await carol.client.next("phase-changed");

    await evictDurableObject(lobbyStub(code));

    bob.client.sendJson({
      type: "signal",
      to: carol.welcome.peerId,
      data: { kind: "candidate", candidate: "" },
    });
    expect((await carol.client.next("signal")).from).toBe(bob.welcome.peerId);
    expect(await lobbyInfo(code)).toMatchObject({
      name: "Evicted",
      maxPlayers: 4,
      phase: "playing",
      players: 2,
    });
    const dave = await join(code, "Dave");
    expect(dave.welcome).toMatchObject({
      hostId: bob.welcome.peerId,
      hostEpoch: 2,
      phase: "playing",
    });
    expect(names(dave.welcome)).toEqual(["Bob", "Carol", "Dave"]);

    carol.client.ws.close(4100, "gone");
    await bob.client.next("peer-disconnected");
    await evictDurableObject(lobbyStub(code));
    const back = await join(code, "Carol", { resume: carol.welcome });
    expect(back.welcome).toMatchObject({ resumed: true, peerId: carol.welcome.peerId });
    expect((await bob.client.next("peer-reconnected")).peerId).toBe(carol.welcome.peerId);
  });
});
