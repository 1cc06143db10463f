/**
 * Storage is only for lobbies: addressing a code that is not one leaves nothing behind.
 * (Locally Miniflare keeps an empty database file for every object it ever started, written or
 * not, so "nothing" means: no tables, and no more bytes than an object nobody touched.)
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { lobbyCodeFromBytes } from "../../shared/lobby-code.ts";
import { api, createLobby, lobbyStub, ORIGIN, storedTables } from "./helpers.ts";

function unusedCode(): string {
  return lobbyCodeFromBytes(crypto.getRandomValues(new Uint8Array(6)));
}

async function databaseBytes(code: string): Promise<number> {
  return runInDurableObject(lobbyStub(code), (_lobby, state) => state.storage.sql.databaseSize);
}

describe("codes that are not lobbies", () => {
  it("write nothing when looked up, opened as a socket or left", async () => {
    const code = unusedCode();
    expect((await api(`/api/lobbies/${code}`)).status).toBe(404);
    const socket = await api(`/api/lobbies/${code}/ws`, {
      headers: { Upgrade: "websocket", Origin: ORIGIN },
    });
    expect(socket.status).toBe(101);
    socket.webSocket?.accept();
    const leave = await api(`/api/lobbies/${code}/leave`, {
      method: "POST",
      headers: { Origin: ORIGIN },
      body: JSON.stringify({ resumeToken: "a".repeat(32) }),
    });
    expect(leave.status).toBe(404);
    expect(await storedTables(lobbyStub(code))).toEqual([]);
    expect(await databaseBytes(code)).toBe(await databaseBytes(unusedCode()));
  });

  it("store a lobby's tables only once it is created", async () => {
    const code = await createLobby();
    expect(await storedTables(lobbyStub(code))).toEqual(
      expect.arrayContaining(["schema_version", "lobby", "peers", "barred"]),
    );
  });
});
