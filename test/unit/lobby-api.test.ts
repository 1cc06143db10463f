import { describe, expect, it } from "vitest";
import { LobbyApi } from "../../game/kit/lobby/lobby-api.ts";

const CODE = "7KX2QM";
const TOKEN = "b".repeat(32);

const LOBBY_INFO = {
  code: CODE,
  name: "Test",
  mode: "arena",
  visibility: "private",
  phase: "waiting",
  players: 1,
  maxPlayers: 4,
  full: false,
  joinUrl: `https://play.example.com/?lobby=${CODE}`,
};

interface SentRequest {
  readonly url: string;
  readonly method: string;
  readonly accept: string | null;
  readonly body: string | null;
  readonly keepalive: boolean;
}

/** A server that answers every request with `answer()`, recording what was asked. */
function fakeServer(answer: () => Response = () => Response.json(LOBBY_INFO)) {
  const sent: SentRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init.method ?? "GET",
      accept: new Headers(init.headers).get("accept"),
      body: typeof init.body === "string" ? init.body : null,
      keepalive: init.keepalive ?? false,
    });
    return answer();
  };
  return { fetch, sent };
}

/** A server that never answers: the request only ends when its signal aborts it. */
function hangingServer() {
  const signals: AbortSignal[] = [];
  const fetch = (_input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise((_resolve, reject) => {
      const signal = init.signal;
      if (!signal) return;
      signals.push(signal);
      signal.addEventListener("abort", () => reject(signal.reason));
    });
  return { fetch, signals };
}

function apiAnswering(answer: () => Response): LobbyApi {
  return new LobbyApi({ server: "https://play.example", fetch: fakeServer(answer).fetch });
}

describe("asking whether a lobby still exists", () => {
  it("gives up on a server that does not answer and says it cannot tell", async () => {
    const server = hangingServer();
    const api = new LobbyApi({ server: "https://play.example", fetch: server.fetch });
    // Resolving at all shows the request was cut off: the server above never answers.
    expect(await api.lobbyExists(CODE, 50)).toBeNull();
    expect(server.signals).toHaveLength(1);
    expect(server.signals[0]?.reason).toMatchObject({ name: "TimeoutError" });
  });

  it("reports a request cut off by its signal as a timeout", async () => {
    const server = hangingServer();
    const api = new LobbyApi({ server: "https://play.example", fetch: server.fetch });
    expect(await api.getLobbyInfo(CODE, AbortSignal.timeout(10))).toEqual({
      ok: false,
      status: 0,
      error: "timeout",
    });
  });

  it("reads 404 as gone and 200 as there", async () => {
    const gone = apiAnswering(() =>
      Response.json(
        { error: "lobby-not-found", message: "No lobby with that code." },
        { status: 404 },
      ),
    );
    expect(await gone.lobbyExists(CODE)).toBe(false);
    expect(await apiAnswering(() => Response.json(LOBBY_INFO)).lobbyExists(CODE)).toBe(true);
  });

  it("cannot tell when the server fails or cannot be reached", async () => {
    const failing = apiAnswering(() => new Response("oops", { status: 503 }));
    expect(await failing.lobbyExists(CODE)).toBeNull();
    const unreachable = new LobbyApi({
      server: "https://play.example",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    expect(await unreachable.lobbyExists(CODE)).toBeNull();
  });
});

describe("the lobby API's failures, as codes", () => {
  it("keeps the server's code and sentence, as detail", async () => {
    const api = apiAnswering(() =>
      Response.json({ error: "lobby-full", message: "That lobby is full." }, { status: 409 }),
    );
    expect(await api.quickJoin("arena")).toEqual({
      ok: false,
      status: 409,
      error: "lobby-full",
      detail: "That lobby is full.",
    });
  });

  it("passes on the field names of a request the server could not read, as detail", async () => {
    const api = apiAnswering(() =>
      Response.json(
        { error: "invalid-request", message: "maxPlayers: Invalid value: Expected <=8" },
        { status: 400 },
      ),
    );
    expect(await api.createLobby({ maxPlayers: 9 })).toEqual({
      ok: false,
      status: 400,
      error: "invalid-request",
      detail: "maxPlayers: Invalid value: Expected <=8",
    });
  });

  it("calls an error status without the API's error body `http`", async () => {
    const api = apiAnswering(() => new Response("nope", { status: 405 }));
    expect(await api.quickJoin("arena")).toEqual({ ok: false, status: 405, error: "http" });
  });

  it("gives how long to wait when rate limited with Retry-After", async () => {
    const limited = apiAnswering(() =>
      Response.json(
        { error: "rate-limited", message: "Too many requests." },
        { status: 429, headers: { "retry-after": "7" } },
      ),
    );
    expect(await limited.quickJoin("arena")).toEqual({
      ok: false,
      status: 429,
      error: "rate-limited",
      retryAfterMs: 7000,
    });
    const unsaid = apiAnswering(() => new Response(null, { status: 429 }));
    const result = await unsaid.quickJoin("arena");
    expect(result).toEqual({ ok: false, status: 429, error: "rate-limited" });
    expect(Object.hasOwn(result, "retryAfterMs")).toBe(false);
  });

  it("calls an unreachable server `network`", async () => {
    const api = new LobbyApi({
      server: "https://play.example",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    expect(await api.listPublicLobbies()).toEqual({ ok: false, status: 0, error: "network" });
  });

  it("calls an answer that does not match its schema `bad-response`", async () => {
    const api = apiAnswering(() => Response.json({ code: "not a code", created: "yes" }));
    expect(await api.quickJoin("arena")).toEqual({
      ok: false,
      status: 200,
      error: "bad-response",
    });
  });

  it("returns a validated answer", async () => {
    const api = apiAnswering(() => Response.json(LOBBY_INFO));
    expect(await api.getLobbyInfo(CODE)).toEqual({ ok: true, value: LOBBY_INFO });
  });
});

describe("where the lobby API's requests go", () => {
  it("uses /api on the server's origin by default, asking for JSON", async () => {
    const server = fakeServer();
    const api = new LobbyApi({ server: "https://play.example/some/page?x=1", fetch: server.fetch });
    await api.getLobbyInfo(CODE);
    expect(server.sent).toEqual([
      {
        url: `https://play.example/api/lobbies/${CODE}`,
        method: "GET",
        accept: "application/json",
        body: null,
        keepalive: false,
      },
    ]);
    expect(api.socketUrl(CODE)).toBe(`wss://play.example/api/lobbies/${CODE}/ws`);
  });

  it("reaches another origin, and a custom API prefix, for every call", async () => {
    const server = fakeServer();
    const api = new LobbyApi({
      server: "https://games.example:8443",
      apiPrefix: "/lobby-api",
      fetch: server.fetch,
    });
    await api.createLobby({ name: "Friday" });
    await api.getLobbyInfo(CODE);
    await api.listPublicLobbies("arena");
    await api.listPublicLobbies();
    await api.quickJoin("arena");
    await api.leaveLobby(CODE, TOKEN);
    const base = "https://games.example:8443/lobby-api/lobbies";
    expect(server.sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      `POST ${base}`,
      `GET ${base}/${CODE}`,
      `GET ${base}?mode=arena`,
      `GET ${base}`,
      `POST ${base}/quick-join`,
      `POST ${base}/${CODE}/leave`,
    ]);
    expect(server.sent.map((request) => request.body)).toEqual([
      JSON.stringify({ name: "Friday" }),
      null,
      null,
      null,
      JSON.stringify({ mode: "arena" }),
      JSON.stringify({ resumeToken: TOKEN }),
    ]);
    expect(api.socketUrl(CODE, "alice")).toBe(
      `wss://games.example:8443/lobby-api/lobbies/${CODE}/ws?peer=alice`,
    );
  });

  it("opens ws: sockets on a plain-http server, naming the held seat but never its token", () => {
    const api = new LobbyApi({ server: "http://localhost:8787", fetch: fakeServer().fetch });
    expect(api.socketUrl(CODE)).toBe(`ws://localhost:8787/api/lobbies/${CODE}/ws`);
    expect(api.socketUrl(CODE, "alice")).toBe(
      `ws://localhost:8787/api/lobbies/${CODE}/ws?peer=alice`,
    );
  });

  it("leaves with keepalive, so the request outlives a closing page, and says whether it worked", async () => {
    const server = fakeServer(() => new Response(null, { status: 204 }));
    const api = new LobbyApi({ server: "https://play.example", fetch: server.fetch });
    expect(await api.leaveLobby(CODE, TOKEN)).toBe(true);
    expect(server.sent[0]?.keepalive).toBe(true);
    const failing = apiAnswering(() => new Response(null, { status: 404 }));
    expect(await failing.leaveLobby(CODE, TOKEN)).toBe(false);
    const unreachable = new LobbyApi({
      server: "https://play.example",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    expect(await unreachable.leaveLobby(CODE, TOKEN)).toBe(false);
  });
});
