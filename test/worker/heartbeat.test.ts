import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_ERRORS_PER_SOCKET } from "../../shared/limits.ts";
import { PING_FRAME } from "../../shared/protocol.ts";
import { connect, createLobby, join, lobbyStub, roundTrip } from "./helpers.ts";

describe("heartbeat", () => {
  it("answers a ping with a pong from the runtime, without waking the lobby", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    alice.client.ws.send(PING_FRAME);
    await alice.client.pongsAtLeast(1);
    // The runtime stamps a socket when it auto-answers for the Durable Object.
    const stamped = await runInDurableObject(lobbyStub(code), (_lobby, state) =>
      state.getWebSockets().map((ws) => state.getWebSocketAutoResponseTimestamp(ws)),
    );
    expect(stamped).toHaveLength(1);
    expect(stamped[0]).toBeInstanceOf(Date);
  });

  it("answers before hello too, and pings never count as bad frames", async () => {
    const code = await createLobby();
    const early = await connect(code);
    early.ws.send(PING_FRAME);
    await early.pongsAtLeast(1);

    const alice = await join(code, "Alice");
    // More pings than the error budget: none of them reaches the lobby's JSON parser.
    for (let i = 0; i < MAX_ERRORS_PER_SOCKET + 5; i++) alice.client.ws.send(PING_FRAME);
    await alice.client.pongsAtLeast(MAX_ERRORS_PER_SOCKET + 5);
    await roundTrip(alice.client);
    expect(
      alice.client.pending("error").filter((e) => e.type === "error" && e.code !== "unknown-peer"),
    ).toEqual([]);
    expect(alice.client.ws.readyState).toBe(WebSocket.OPEN);
  });
});
