/**
 * A game on another origin reads the lobby API with `fetch`: preflights are answered, and
 * every answer (errors too) says which origin may read it, from the same ALLOWED_ORIGINS list
 * that guards sockets (the tests run with a list; `test/unit/cors.test.ts` covers "any").
 */
import { describe, expect, it } from "vitest";
import { api, createLobby, ORIGIN } from "./helpers.ts";

const OTHER_ALLOWED = "https://other.edgeplay.test";
const FOREIGN = "https://evil.example";

describe("cross-origin reads of the lobby API", () => {
  it("answers a preflight for an allowed origin with the methods and header a client uses", async () => {
    const response = await api("/api/lobbies", {
      method: "OPTIONS",
      headers: {
        Origin: OTHER_ALLOWED,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(OTHER_ALLOWED);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("lets an allowed origin read answers, errors included", async () => {
    const code = await createLobby();
    const found = await api(`/api/lobbies/${code}`, { headers: { Origin: OTHER_ALLOWED } });
    expect(found.status).toBe(200);
    expect(found.headers.get("access-control-allow-origin")).toBe(OTHER_ALLOWED);
    const missing = await api("/api/lobbies/ZZZZZZ", { headers: { Origin: ORIGIN } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const created = await api("/api/lobbies", {
      method: "POST",
      body: "{}",
      headers: { Origin: OTHER_ALLOWED, "content-type": "application/json" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe(OTHER_ALLOWED);
  });

  it("gives an origin outside the list nothing to read with", async () => {
    const preflight = await api("/api/lobbies", {
      method: "OPTIONS",
      headers: { Origin: FOREIGN },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const listing = await api("/api/lobbies", { headers: { Origin: FOREIGN } });
    expect(listing.status).toBe(200);
    expect(listing.headers.get("access-control-allow-origin")).toBeNull();
    expect(listing.headers.get("vary")).toContain("Origin");
  });

  it("leaves paths outside the API to the mounting Worker", async () => {
    const response = await api("/not-the-api", { method: "OPTIONS", headers: { Origin: ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
