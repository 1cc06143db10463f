/**
 * `PUBLIC_ORIGIN`: the origin join links advertise (`npm run start:lan` sets the machine's LAN
 * address), so a page opened on 127.0.0.1 still shares a link other devices can open.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { CreatedLobbySchema, LobbyInfoSchema, QuickJoinResultSchema } from "../../shared/api.ts";
import { handleLobbyApi } from "../../worker/api.ts";
import { freshAddress } from "./helpers.ts";

const LOOPBACK = "http://127.0.0.1:8787";
const LAN = "http://192.168.1.20:8787";

async function call(
  publicOrigin: string,
  path: string,
  method = "GET",
  body: string | null = null,
): Promise<unknown> {
  const headers = { "cf-connecting-ip": freshAddress(), "content-type": "application/json" };
  const request = new Request(`${LOOPBACK}${path}`, { method, body, headers });
  const response = await handleLobbyApi(
    request,
    { ...env, PUBLIC_ORIGIN: publicOrigin },
    createExecutionContext(),
  );
  if (!response?.ok) throw new Error(`${method} ${path}: ${response?.status ?? "not answered"}`);
  return response.json();
}

/** Create, look up and quick-join under one PUBLIC_ORIGIN: the three answers' join links. */
async function joinUrls(publicOrigin: string): Promise<string[]> {
  const created = v.parse(CreatedLobbySchema, await call(publicOrigin, "/api/lobbies", "POST"));
  const info = v.parse(LobbyInfoSchema, await call(publicOrigin, `/api/lobbies/${created.code}`));
  const quick = v.parse(
    QuickJoinResultSchema,
    await call(publicOrigin, "/api/lobbies/quick-join", "POST", JSON.stringify({ mode: "lan" })),
  );
  return [created.joinUrl, info.joinUrl, quick.joinUrl];
}

describe("PUBLIC_ORIGIN", () => {
  it("puts every join link on that origin, whatever address the request came to", async () => {
    const urls = await joinUrls(`${LAN}/`);
    expect(urls.map((url) => new URL(url).origin)).toEqual([LAN, LAN, LAN]);
    for (const url of urls) expect(url).toMatch(/^http:\/\/192\.168\.1\.20:8787\/\?lobby=\w{6}$/);
  });

  it("when empty or not an http(s) origin, leaves join links on the request's origin", async () => {
    for (const setting of ["", "  ", "192.168.1.20:8787", "ftp://192.168.1.20"]) {
      const urls = await joinUrls(setting);
      expect(
        urls.map((url) => new URL(url).origin),
        setting,
      ).toEqual([LOOPBACK, LOOPBACK, LOOPBACK]);
    }
  });
});
