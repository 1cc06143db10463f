import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createLobby, join } from "./helpers.ts";

describe("lobby state in SQLite", () => {
  it("stores the lobby and its roster in the Durable Object's database", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const stub = env.LOBBY.getByName(code);

    const stored = await runInDurableObject(stub, (_lobby, state) => ({
      lobby: state.storage.sql.exec("SELECT code FROM lobby").toArray(),
      peers: state.storage.sql.exec("SELECT id, name FROM peers ORDER BY join_order").toArray(),
      sockets: state.getWebSockets().length,
      tagged: state.getWebSockets(bob.welcome.peerId).length,
    }));
    expect(stored).toEqual({
      lobby: [{ code }],
      peers: [
        { id: alice.welcome.peerId, name: "Alice" },
        { id: bob.welcome.peerId, name: "Bob" },
      ],
      sockets: 2,
      tagged: 1,
    });
  });

  it("removes a departed player's row", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    bob.client.sendJson({ type: "leave" });
    await alice.client.next("peer-left");
    const names = await runInDurableObject(env.LOBBY.getByName(code), (_lobby, state) =>
      state.storage.sql.exec("SELECT name FROM peers").toArray(),
    );
    expect(names).toEqual([{ name: "Alice" }]);
  });

  it("refuses to create a second lobby on the same object", async () => {
    const code = await createLobby();
    expect(await env.LOBBY.getByName(code).create(code)).toBe(false);
  });
});
