import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, CreatedLobbySchema, LobbyInfoSchema } from "../../shared/api.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import { isLobbyCode } from "../../shared/lobby-code.ts";
import { api, createLobby, ORIGIN } from "./helpers.ts";

describe("HTTP API", () => {
  it("creates a lobby: 201 with a code and a join URL on this origin", async () => {
    const response = await api("/api/lobbies", { method: "POST" });
    expect(response.status).toBe(201);
    const body = v.parse(CreatedLobbySchema, await response.json());
    expect(isLobbyCode(body.code)).toBe(true);
    expect(body.joinUrl).toBe(`${ORIGIN}/?lobby=${body.code}`);
  });

  it("gives each new lobby its own code", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add(await createLobby());
    expect(codes.size).toBe(20);
  });

  it("returns a lobby's public info", async () => {
    const code = await createLobby();
    const response = await api(`/api/lobbies/${code}`);
    expect(response.status).toBe(200);
    expect(v.parse(LobbyInfoSchema, await response.json())).toEqual({
      code,
      players: 0,
      maxPlayers: MAX_PLAYERS,
      full: false,
    });
  });

  it("accepts a code the way people type it (lower case, O for 0, dashes)", async () => {
    const code = await createLobby();
    const typed = `${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase().replaceAll("0", "o");
    const response = await api(`/api/lobbies/${typed}`);
    expect(response.status).toBe(200);
    expect(v.parse(LobbyInfoSchema, await response.json()).code).toBe(code);
  });

  it.each(["ZZZZZZ", "not-a-code", "%E0%A4%A"])(
    "answers 404 with a JSON error for %s",
    async (code) => {
      const response = await api(`/api/lobbies/${code}`);
      expect(response.status).toBe(404);
      expect(v.parse(ApiErrorSchema, await response.json()).error).toBe("lobby-not-found");
    },
  );

  it("answers 426 to a socket request without an Upgrade header", async () => {
    const code = await createLobby();
    const response = await api(`/api/lobbies/${code}/ws`);
    expect(response.status).toBe(426);
    expect(v.parse(ApiErrorSchema, await response.json()).error).toBe("upgrade-required");
  });

  it("answers 404 to a socket request for an unknown lobby", async () => {
    const response = await api("/api/lobbies/ZZZZZZ/ws", { headers: { Upgrade: "websocket" } });
    expect(response.status).toBe(404);
    expect(response.webSocket).toBeNull();
  });

  it("answers 405 to the wrong method and 404 to unknown API paths", async () => {
    const wrongMethod = await api("/api/lobbies", { method: "GET" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    const unknown = await api("/api/nothing");
    expect(unknown.status).toBe(404);
    expect(v.parse(ApiErrorSchema, await unknown.json()).error).toBe("not-found");
  });
});
