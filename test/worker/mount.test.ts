/**
 * The lobby service as another Worker mounts it (`edgeplay/server`): under its own path
 * prefix, with its own game modes and join page. Imported by the package's public names.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  ApiErrorSchema,
  CreatedLobbySchema,
  PROTOCOL_VERSION,
  parseServerMessage,
  QuickJoinResultSchema,
} from "edgeplay/protocol";
import { handleLobbyApi, type LobbyApiOptions } from "edgeplay/server";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { freshAddress, ORIGIN } from "./helpers.ts";

const OPTIONS: LobbyApiOptions = {
  pathPrefix: "/games/lobby",
  modes: ["race", "tag"],
  defaultMode: "race",
  joinUrl: (code, origin) => `${origin}/play/${code}`,
};

async function call(
  path: string,
  init: RequestInit = {},
  options = OPTIONS,
): Promise<Response | null> {
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", freshAddress());
  const request = new Request(`${ORIGIN}${path}`, { ...init, headers });
  return handleLobbyApi(request, env, createExecutionContext(), options);
}

async function answer(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await call(path, init);
  if (!response) throw new Error(`${path} was not answered`);
  return response;
}

describe("the lobby API mounted by another Worker", () => {
  it("answers under its prefix only, and leaves every other path to the Worker", async () => {
    expect(await call("/api/lobbies", { method: "POST" })).toBeNull();
    expect(await call("/games/lobbyist")).toBeNull();
    const response = await answer("/games/lobby/lobbies", { method: "POST" });
    expect(response.status).toBe(201);
    const created = v.parse(CreatedLobbySchema, await response.json());
    expect(created.settings.mode).toBe("race");
    expect(created.joinUrl).toBe(`${ORIGIN}/play/${created.code}`);
    expect((await answer(`/games/lobby/lobbies/${created.code}`)).status).toBe(200);
  });

  it("takes only its own modes, and its default when none is named", async () => {
    const wrong = await answer("/games/lobby/lobbies", {
      method: "POST",
      body: JSON.stringify({ mode: "arena" }),
    });
    expect(wrong.status).toBe(400);
    expect(v.parse(ApiErrorSchema, await wrong.json()).message).toContain("race, tag");
    expect((await answer("/games/lobby/lobbies?mode=arena")).status).toBe(400);
    const tag = await answer("/games/lobby/lobbies", {
      method: "POST",
      body: JSON.stringify({ mode: "tag" }),
    });
    expect(v.parse(CreatedLobbySchema, await tag.json()).settings.mode).toBe("tag");
    const quick = await answer("/games/lobby/lobbies/quick-join", { method: "POST" });
    const joined = v.parse(QuickJoinResultSchema, await quick.json());
    expect(joined.joinUrl).toBe(`${ORIGIN}/play/${joined.code}`);
  });

  it("opens lobby sockets under its prefix", async () => {
    const created = v.parse(
      CreatedLobbySchema,
      await (await answer("/games/lobby/lobbies", { method: "POST" })).json(),
    );
    const upgrade = await answer(`/games/lobby/lobbies/${created.code}/ws`, {
      headers: { Upgrade: "websocket", Origin: ORIGIN },
    });
    const ws = upgrade.webSocket;
    if (!ws) throw new Error("no socket");
    ws.accept();
    const welcome = new Promise<unknown>((resolve) =>
      ws.addEventListener("message", (event) => {
        if (typeof event.data === "string") resolve(parseServerMessage(event.data));
      }),
    );
    ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: "Racer" }));
    expect(await welcome).toMatchObject({
      ok: true,
      message: { type: "welcome", settings: { mode: "race" } },
    });
    ws.close(1000);
  });

  it("refuses options that cannot work, before answering anyone", async () => {
    const bad: LobbyApiOptions[] = [
      { pathPrefix: "games/" },
      { pathPrefix: "/games/" },
      { modes: ["Not A Mode"] },
      { modes: ["race"], defaultMode: "tag" },
    ];
    for (const options of bad) {
      await expect(call("/games/lobby/lobbies", {}, options)).rejects.toThrow(RangeError);
    }
  });
});
