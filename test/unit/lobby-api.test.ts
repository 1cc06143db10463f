import { afterEach, describe, expect, it, vi } from "vitest";
import { lobbyExists, quickJoin } from "../../game/kit/lobby/lobby-api.ts";

/** A server that never answers: the request only ends when its signal aborts it. */
function hangingFetch(_input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return new Promise((_resolve, reject) => {
    init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });
}

describe("asking whether a lobby still exists", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("gives up on a server that does not answer and says it cannot tell", async () => {
    vi.stubGlobal("fetch", hangingFetch);
    const startedAt = Date.now();
    expect(await lobbyExists("7KX2QM", 50)).toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it("reads 404 as gone and 200 as there", async () => {
    vi.stubGlobal("fetch", async () =>
      Response.json(
        { error: "lobby-not-found", message: "No lobby with that code." },
        { status: 404 },
      ),
    );
    expect(await lobbyExists("7KX2QM")).toBe(false);
    vi.stubGlobal("fetch", async () =>
      Response.json({
        code: "7KX2QM",
        name: "Test",
        mode: "arena",
        visibility: "private",
        phase: "waiting",
        players: 1,
        maxPlayers: 4,
        full: false,
      }),
    );
    expect(await lobbyExists("7KX2QM")).toBe(true);
  });
});

describe("the lobby API's errors, as a player reads them", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps the server's sentence, but not a field name meant for developers", async () => {
    vi.stubGlobal("fetch", async () =>
      Response.json({ error: "lobby-full", message: "That lobby is full." }, { status: 409 }),
    );
    expect(await quickJoin("arena")).toMatchObject({ ok: false, message: "That lobby is full." });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.stubGlobal("fetch", async () =>
      Response.json(
        { error: "invalid-request", message: "maxPlayers: Invalid value: Expected <=8" },
        { status: 400 },
      ),
    );
    const refused = await quickJoin("arena");
    expect(refused).toMatchObject({ ok: false, error: "invalid-request" });
    expect(refused.ok ? "" : refused.message).toMatch(/^The lobby server could not read/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("maxPlayers"));
    warn.mockRestore();
  });

  it("says what to do about a bare HTTP error", async () => {
    vi.stubGlobal("fetch", async () => new Response("nope", { status: 405 }));
    const result = await quickJoin("arena");
    expect(result.ok ? "" : result.message).toBe(
      "The lobby server gave an unexpected answer (HTTP 405). Reload the page and try again.",
    );
  });
});
