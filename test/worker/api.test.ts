import { exports } from "cloudflare:workers";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, CreatedLobbySchema, LobbyInfoSchema } from "../../shared/api.ts";
import { CloseCode } from "../../shared/codes.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import { isLobbyCode } from "../../shared/lobby-code.ts";
import { api, createLobby, freshAddress, inOneLimiterWindow, ORIGIN } from "./helpers.ts";

/** The API_RATE_LIMITER binding in wrangler.toml. */
const API_REQUESTS_PER_MINUTE = 120;

async function apiErrorOf(response: Response): Promise<string> {
  return v.parse(ApiErrorSchema, await response.json()).error;
}

function post(path: string, body: string): Promise<Response> {
  return api(path, { method: "POST", body, headers: { "content-type": "application/json" } });
}

describe("HTTP API", () => {
  it("creates a lobby: 201 with a code, a join URL on this origin and the settings", async () => {
    const response = await api("/api/lobbies", { method: "POST" });
    expect(response.status).toBe(201);
    const body = v.parse(CreatedLobbySchema, await response.json());
    expect(isLobbyCode(body.code)).toBe(true);
    expect(body.joinUrl).toBe(`${ORIGIN}/?lobby=${body.code}`);
    expect(body.settings).toEqual({
      name: `Lobby ${body.code}`,
      maxPlayers: MAX_PLAYERS,
      visibility: "private",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    });
  });

  it("gives each new lobby its own code", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add(await createLobby());
    expect(codes.size).toBe(20);
  });

  it("creates a lobby with chosen settings and reports them in its info", async () => {
    const code = await createLobby({
      name: "  Friday night  ",
      maxPlayers: 4,
      visibility: "public",
      mode: "capture-the-flag",
    });
    const response = await api(`/api/lobbies/${code}`);
    expect(response.status).toBe(200);
    expect(v.parse(LobbyInfoSchema, await response.json())).toEqual({
      code,
      name: "Friday night",
      mode: "capture-the-flag",
      visibility: "public",
      phase: "waiting",
      players: 0,
      maxPlayers: 4,
      full: false,
      joinUrl: `${ORIGIN}/?lobby=${code}`,
    });
  });

  it.each([
    ["too many players", { maxPlayers: MAX_PLAYERS + 1 }, "maxPlayers"],
    ["too few players", { maxPlayers: 1 }, "maxPlayers"],
    ["a fractional player count", { maxPlayers: 2.5 }, "maxPlayers"],
    ["an unknown visibility", { visibility: "secret" }, "visibility"],
    ["a name with control characters", { name: "bad\u0000name" }, "name"],
    ["a name that is too long", { name: "x".repeat(33) }, "name"],
    ["a blank name", { name: "   " }, "name"],
    ["a mode that is not a slug", { mode: "Capture The Flag" }, "mode"],
    ["no rounds", { rounds: 0 }, "rounds"],
    ["too many rounds", { rounds: 10 }, "rounds"],
    ["a fractional number of rounds", { rounds: 1.5 }, "rounds"],
    ["an unknown voice range", { voice: "whisper" }, "voice"],
  ])("refuses %s with 400 and says which field", async (_label, body, field) => {
    const response = await post("/api/lobbies", JSON.stringify(body));
    expect(response.status).toBe(400);
    const error = v.parse(ApiErrorSchema, await response.json());
    expect(error.error).toBe("invalid-request");
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it("refuses a body that is not JSON, or too large", async () => {
    const bad = await post("/api/lobbies", "{nope");
    expect(bad.status).toBe(400);
    expect(await apiErrorOf(bad)).toBe("bad-json");
    const large = await post("/api/lobbies", JSON.stringify({ name: "x".repeat(10_000) }));
    expect(large.status).toBe(413);
    expect(await apiErrorOf(large)).toBe("body-too-large");
  });

  it("refuses a streamed oversized body after the limit, without reading it to the end", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const total = 200 * 1024 * 1024;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) {
          controller.close();
          return;
        }
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    // No content-length: the size is only known by reading.
    const response = await api("/api/lobbies", { method: "POST", body });
    expect(response.status).toBe(413);
    expect(await apiErrorOf(response)).toBe("body-too-large");
    // A few chunks in flight at most, never the 200 MB.
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it.each(["[]", "null", "1", '"arena"', "true"])(
    "refuses %s as a body: bodies are JSON objects",
    async (body) => {
      for (const path of ["/api/lobbies", "/api/lobbies/quick-join"]) {
        const response = await post(path, body);
        expect(response.status).toBe(400);
        expect(v.parse(ApiErrorSchema, await response.json())).toEqual({
          error: "invalid-request",
          message: "body: must be a JSON object",
        });
      }
    },
  );

  it("opens no tunnel for an HTTP CONNECT: it answers with the API's error shape and closes", async () => {
    const socket = exports.default.connect("edgeplay.test:443");
    const answer = await new Response(socket.readable).text();
    expect(v.parse(ApiErrorSchema, JSON.parse(answer)).error).toBe("method-not-allowed");
    await socket.closed;
  });

  it.each(["\ud800".repeat(20), "\u200b\u200d", "\u{e0041}"])(
    "refuses a lobby name that is ill-formed or shows nothing (%j)",
    async (name) => {
      const response = await post("/api/lobbies", JSON.stringify({ name }));
      expect(response.status).toBe(400);
      expect(await apiErrorOf(response)).toBe("invalid-request");
    },
  );

  it("counts every path but a lobby's socket against the API limit, `/api/lobbies/ws` too", async () => {
    const seen = await inOneLimiterWindow(60_000, async () => {
      const from = { headers: { "cf-connecting-ip": freshAddress() } };
      const statuses: number[] = [];
      for (let i = 0; i < API_REQUESTS_PER_MINUTE; i++) {
        statuses.push((await api("/api/lobbies/ws", from)).status);
      }
      return { statuses, over: (await api("/api/lobbies/ws", from)).status };
    });
    expect(new Set(seen.statuses)).toEqual(new Set([404]));
    expect(seen.over).toBe(429);
  }, 120_000);

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
      expect(await apiErrorOf(response)).toBe("lobby-not-found");
    },
  );

  it("answers 426 to a socket request without an Upgrade header", async () => {
    const code = await createLobby();
    const response = await api(`/api/lobbies/${code}/ws`);
    expect(response.status).toBe(426);
    expect(await apiErrorOf(response)).toBe("upgrade-required");
  });

  it("closes a socket to an unknown lobby, or to a path that is no code, with 4013", async () => {
    for (const code of ["ZZZZZZ", "not-a-code"]) {
      const response = await api(`/api/lobbies/${code}/ws`, {
        headers: { Upgrade: "websocket", Origin: ORIGIN },
      });
      // A browser sees no HTTP status on a failed upgrade, but it does see a close code.
      expect(response.status).toBe(101);
      const ws = response.webSocket;
      if (!ws) throw new Error("no socket");
      ws.accept();
      const close = await new Promise<CloseEvent>((resolve) =>
        ws.addEventListener("close", resolve),
      );
      expect(close.code).toBe(CloseCode.LobbyNotFound);
      expect(close.reason).toBe("No lobby with that code.");
    }
  });

  it("refuses sockets from an origin that is not allowed, and without an origin", async () => {
    const code = await createLobby();
    const foreign = await api(`/api/lobbies/${code}/ws`, {
      headers: { Upgrade: "websocket", Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(await apiErrorOf(foreign)).toBe("origin-not-allowed");
    const none = await api(`/api/lobbies/${code}/ws`, { headers: { Upgrade: "websocket" } });
    expect(none.status).toBe(403);
    const other = await api(`/api/lobbies/${code}/ws`, {
      headers: { Upgrade: "websocket", Origin: "https://other.edgeplay.test" },
    });
    expect(other.status).toBe(101);
    other.webSocket?.accept();
    other.webSocket?.close();
  });

  it("limits lookups per client IP with 429 and Retry-After", async () => {
    const headers = { "cf-connecting-ip": "203.0.113.7" };
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 130 && !limited; i++) {
      const response = await api("/api/lobbies/ZZZZZZ", { headers });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 100).every((status) => status === 404)).toBe(true);
    expect(limited?.headers.get("retry-after")).toBe("60");
    expect(limited && (await apiErrorOf(limited))).toBe("rate-limited");
    // Someone else is not affected.
    expect((await api("/api/lobbies/ZZZZZZ")).status).toBe(404);
  });

  it("answers 405 to the wrong method and 404 to unknown API paths", async () => {
    const wrongMethod = await api("/api/lobbies", { method: "PUT" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
    const unknown = await api("/api/nothing");
    expect(unknown.status).toBe(404);
    expect(await apiErrorOf(unknown)).toBe("not-found");
  });
});
