import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiFailure } from "../../game/kit/index.ts";
import { LobbyApi } from "../../game/kit/lobby/lobby-api.ts";
import { apiErrorText } from "../../game/ui/api-error-text.ts";

function failure(status: number, error: string, extra: Partial<ApiFailure> = {}): ApiFailure {
  return { ok: false, status, error, ...extra };
}

describe("the lobby API's errors, as a player reads them", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps the server's sentence, but not a field name meant for developers", () => {
    expect(apiErrorText(failure(409, "lobby-full", { detail: "That lobby is full." }))).toBe(
      "That lobby is full.",
    );
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const refused = failure(400, "invalid-request", {
      detail: "maxPlayers: Invalid value: Expected <=8",
    });
    const text = apiErrorText(refused);
    expect(text).toMatch(/^The lobby server could not read/);
    expect(text).not.toContain("maxPlayers");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("maxPlayers"));
    expect(apiErrorText(failure(400, "bad-json", { detail: "Body is not JSON." }))).toMatch(
      /^The lobby server could not read/,
    );
  });

  it("words what LobbyApi reports for a server sentence", async () => {
    const api = new LobbyApi({
      server: "https://play.example",
      fetch: async () =>
        Response.json({ error: "lobby-full", message: "That lobby is full." }, { status: 409 }),
    });
    const result = await api.quickJoin("arena");
    expect(result.ok ? "" : apiErrorText(result)).toBe("That lobby is full.");
  });

  it("says what to do about a bare HTTP error", () => {
    expect(apiErrorText(failure(405, "http"))).toBe(
      "The lobby server gave an unexpected answer (HTTP 405). Reload the page and try again.",
    );
    expect(apiErrorText(failure(502, "http"))).toBe(
      "The lobby server is unavailable right now (HTTP 502). Try again in a moment.",
    );
  });

  it("says how long to wait when rate limited, in whole seconds when the server said", () => {
    expect(apiErrorText(failure(429, "rate-limited", { retryAfterMs: 6500 }))).toMatch(
      /Wait about 7 s and try again\.$/,
    );
    expect(apiErrorText(failure(429, "rate-limited"))).toMatch(/Wait a minute and try again\.$/);
  });

  it("points at the connection when the server could not be reached or did not answer", () => {
    expect(apiErrorText(failure(0, "network"))).toMatch(/Could not reach the lobby server/);
    expect(apiErrorText(failure(0, "timeout"))).toMatch(/did not answer in time/);
  });

  it("has a sentence for an answer it could not read, and for a refusal without words", () => {
    expect(apiErrorText(failure(200, "bad-response"))).toBe(
      "The lobby server sent an unexpected answer.",
    );
    expect(apiErrorText(failure(403, "origin-not-allowed"))).toBe(
      "The lobby server refused the request.",
    );
  });
});
