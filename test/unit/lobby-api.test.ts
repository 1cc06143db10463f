import { afterEach, describe, expect, it, vi } from "vitest";
import { lobbyExists } from "../../game/net/lobby-api.ts";

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
