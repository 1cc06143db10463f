import { describe, expect, it } from "vitest";
import { corsHeaders, preflight, withCors } from "../../worker/cors.ts";

describe("CORS for the lobby API", () => {
  it("lets any origin read when no list is set (the default), and says nothing varies", () => {
    const headers = corsHeaders("https://games.example", []);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(headers.get("vary")).toBeNull();
    expect(corsHeaders(null, []).get("access-control-allow-origin")).toBe("*");
  });

  it("echoes a listed origin, and only that one", () => {
    const list = ["https://a.example", "https://b.example"];
    expect(corsHeaders("https://b.example", list).get("access-control-allow-origin")).toBe(
      "https://b.example",
    );
    expect(corsHeaders("https://c.example", list).get("access-control-allow-origin")).toBeNull();
    expect(corsHeaders(null, list).get("access-control-allow-origin")).toBeNull();
    expect(corsHeaders("https://c.example", list).get("vary")).toBe("Origin");
  });

  it("answers preflights with 204, and adds nothing when no origin may read", () => {
    expect(preflight("https://a.example", []).status).toBe(204);
    const upgrade = new Response(null, { status: 200 });
    const cors = corsHeaders(null, []);
    expect(withCors(upgrade, cors).headers.get("access-control-allow-origin")).toBe("*");
    expect(withCors(upgrade, new Headers())).toBe(upgrade);
  });
});
