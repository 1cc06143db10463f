import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import {
  CHAT_LIMIT,
  MAX_CHAT_CHARS,
  MAX_ERRORS_PER_SOCKET,
  MAX_FRAME_CHARS,
  MAX_PENDING_SOCKETS,
  MAX_PLAYERS,
  MAX_SDP_CHARS,
  SOCKET_FRAME_LIMIT,
} from "../../shared/limits.ts";
import { PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { api, connect, createLobby, join, lobbyStub, type TestClient } from "./helpers.ts";

/** Two joined players; `bob` checks after each case that relaying still works. */
async function lobbyWithWitness(): Promise<{
  code: string;
  alice: TestClient;
  aliceId: string;
  bob: TestClient;
  bobId: string;
}> {
  const code = await createLobby();
  const alice = await join(code, "Alice");
  const bob = await join(code, "Bob");
  await alice.client.next("peer-joined");
  return {
    code,
    alice: alice.client,
    aliceId: alice.welcome.peerId,
    bob: bob.client,
    bobId: bob.welcome.peerId,
  };
}

async function expectRelayStillWorks(
  from: TestClient,
  to: TestClient,
  toId: string,
): Promise<void> {
  from.sendJson({ type: "signal", to: toId, data: { kind: "candidate", candidate: "" } });
  expect((await to.next("signal")).data).toEqual({ kind: "candidate", candidate: "" });
}

describe("bad input gets a clear error and loses nothing", () => {
  const cases: [string, string | ArrayBuffer, string][] = [
    ["not JSON", "{nope", "bad-json"],
    ["JSON that is not a message", "[1,2,3]", "invalid-message"],
    ["an unknown type", JSON.stringify({ type: "teleport" }), "invalid-message"],
    ["a signal without data", JSON.stringify({ type: "signal", to: "abc" }), "invalid-message"],
    [
      "a malformed peer id",
      JSON.stringify({ type: "signal", to: "../../x", data: { kind: "candidate", candidate: "" } }),
      "invalid-message",
    ],
    ["a binary frame", new Uint8Array([1, 2, 3]).buffer, "invalid-message"],
    [
      "a second hello",
      JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: "Again" }),
      "already-joined",
    ],
    [
      "an oversized frame",
      JSON.stringify({ type: "leave", pad: "x".repeat(MAX_FRAME_CHARS) }),
      "frame-too-large",
    ],
    [
      "an oversized SDP",
      JSON.stringify({
        type: "signal",
        to: "abc",
        data: { kind: "description", type: "offer", sdp: "a".repeat(MAX_SDP_CHARS + 1) },
      }),
      "sdp-too-large",
    ],
  ];

  it.each(cases)("%s", async (_label, frame, code) => {
    const { alice, bob, bobId, aliceId } = await lobbyWithWitness();
    alice.ws.send(frame);
    const error = await alice.next("error");
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/at .*\.ts|Error:/);
    // Neither the sender nor anyone else lost anything.
    await expectRelayStillWorks(alice, bob, bobId);
    await expectRelayStillWorks(bob, alice, aliceId);
    expect(bob.pending("error")).toEqual([]);
    expect(bob.pending("peer-left")).toEqual([]);
  });

  it("answers a message before hello with not-joined", async () => {
    const client = await connect(await createLobby());
    client.sendJson({ type: "signal", to: "abc", data: { kind: "candidate", candidate: "" } });
    expect((await client.next("error")).code).toBe("not-joined");
  });

  it("rejects a name that is empty, too long or has control characters", async () => {
    const code = await createLobby();
    for (const name of ["   ", "x".repeat(33), "bad\u0007name"]) {
      const client = await connect(code);
      client.sendJson({ type: "hello", v: PROTOCOL_VERSION, name });
      expect((await client.next("error")).code).toBe("invalid-message");
    }
  });

  it("closes a client with the wrong protocol version with a code that says so", async () => {
    const client = await connect(await createLobby());
    client.sendJson({ type: "hello", v: PROTOCOL_VERSION + 1, name: "Time traveller" });
    expect((await client.closed).code).toBe(CloseCode.ProtocolVersion);
  });

  it("closes a socket after repeated invalid frames, and the others do not notice", async () => {
    const { alice, aliceId, bob, bobId, code } = await lobbyWithWitness();
    for (let i = 0; i <= MAX_ERRORS_PER_SOCKET; i++) alice.ws.send("garbage");
    expect((await alice.closed).code).toBe(CloseCode.TooManyErrors);
    expect(alice.pending("error")).toHaveLength(MAX_ERRORS_PER_SOCKET);
    expect(await bob.next("peer-left")).toMatchObject({ peerId: aliceId, reason: "errors" });
    const carol = await join(code, "Carol");
    await expectRelayStillWorks(carol.client, bob, bobId);
  });

  it("drops signals over the frame limit with errors, but never removes the player for them", async () => {
    const { alice, bob, bobId, code } = await lobbyWithWitness();
    const carol = await join(code, "Carol");
    const frame = JSON.stringify({
      type: "signal",
      to: bobId,
      data: { kind: "candidate", candidate: "" },
    });
    // Far more over the limit than the error budget: a burst of ICE candidates, not abuse.
    const flood = SOCKET_FRAME_LIMIT.capacity + MAX_ERRORS_PER_SOCKET * 3;
    for (let i = 0; i < flood; i++) alice.ws.send(frame);
    // Every frame is accounted for: relayed to Bob, or answered with an error.
    await expect
      .poll(() => alice.pending("error").length + bob.pending("signal").length)
      .toBe(flood);
    const errors = alice.pending("error");
    expect(errors.length).toBeGreaterThan(MAX_ERRORS_PER_SOCKET);
    expect(errors.every((m) => m.type === "error" && m.code === "rate-limited")).toBe(true);
    expect(alice.ws.readyState).toBe(WebSocket.OPEN);
    await expectRelayStillWorks(carol.client, bob, bobId);
    const relayed = bob.pending("signal").length;
    // The burst got through, the rest was dropped (a little refill may happen meanwhile).
    expect(relayed).toBeGreaterThanOrEqual(SOCKET_FRAME_LIMIT.capacity - 1);
    expect(relayed).toBeLessThan(SOCKET_FRAME_LIMIT.capacity + 10);
    expect(bob.pending("peer-left")).toEqual([]);
    expect(carol.client.pending("error")).toEqual([]);
  });

  it("still closes a socket that floods other frames over the limit; others keep relaying", async () => {
    const { alice, aliceId, bob, bobId, code } = await lobbyWithWitness();
    const carol = await join(code, "Carol");
    const frame = JSON.stringify({ type: "set-ready", ready: true });
    const flood = SOCKET_FRAME_LIMIT.capacity + MAX_ERRORS_PER_SOCKET + 10;
    for (let i = 0; i < flood; i++) alice.ws.send(frame);
    expect((await alice.closed).code).toBe(CloseCode.TooManyErrors);
    expect(
      alice.pending("error").every((m) => m.type === "error" && m.code === "rate-limited"),
    ).toBe(true);
    expect(await bob.next("peer-left")).toMatchObject({ peerId: aliceId, reason: "errors" });
    await expectRelayStillWorks(carol.client, bob, bobId);
  });

  it("caps chat length and rate without closing the socket", async () => {
    const { alice, bob } = await lobbyWithWitness();
    alice.sendJson({ type: "chat", text: "x".repeat(MAX_CHAT_CHARS + 1) });
    expect((await alice.next("error")).code).toBe("invalid-message");
    for (const sneaky of ["bell\u0007", "evil\u202Etxt.exe"]) {
      alice.sendJson({ type: "chat", text: sneaky });
      expect((await alice.next("error")).message).toContain("control characters");
    }
    for (let i = 0; i < CHAT_LIMIT.capacity + 2; i++)
      alice.sendJson({ type: "chat", text: `hi ${i}` });
    const limited = await alice.next("error");
    expect(limited.code).toBe("chat-too-fast");
    for (let i = 0; i < CHAT_LIMIT.capacity; i++)
      expect((await bob.next("chat")).text).toBe(`hi ${i}`);
    expect(bob.pending("chat")).toEqual([]);
    expect(alice.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("refuses a join to a full lobby with the lobby-full close code", async () => {
    const code = await createLobby();
    const players: TestClient[] = [];
    for (let i = 0; i < MAX_PLAYERS; i++) players.push((await join(code, `P${i}`)).client);
    const infoWhenFull = await (await api(`/api/lobbies/${code}`)).json();
    expect(infoWhenFull).toMatchObject({ players: MAX_PLAYERS, full: true });

    const late = await connect(code);
    late.sendJson({ type: "hello", v: PROTOCOL_VERSION, name: "Late" });
    expect((await late.closed).code).toBe(CloseCode.LobbyFull);
    const [first] = players;
    if (!first) throw new Error("no players");
    expect(
      first
        .pending("peer-joined")
        .filter((m) => m.type === "peer-joined" && m.peer.name === "Late"),
    ).toEqual([]);
  });
});

describe("sockets that never say hello", () => {
  it("are closed with the hello-timeout code once their deadline passes", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const silent = await connect(code);
    const stub = lobbyStub(code);
    await runInDurableObject(stub, (_lobby, state) => {
      for (const ws of state.getWebSockets()) {
        const attachment: unknown = ws.deserializeAttachment();
        if (
          typeof attachment === "object" &&
          attachment !== null &&
          "joined" in attachment &&
          !attachment.joined
        ) {
          ws.serializeAttachment({ ...attachment, helloBy: Date.now() - 1 });
        }
      }
    });
    await runDurableObjectAlarm(stub);
    expect((await silent.closed).code).toBe(CloseCode.HelloTimeout);
    alice.client.sendJson({ type: "chat", text: "still here" });
    expect((await alice.client.next("chat")).text).toBe("still here");
  });

  it("are capped per lobby: the next one is told to try again later", async () => {
    const code = await createLobby();
    const waiting: TestClient[] = [];
    for (let i = 0; i < MAX_PENDING_SOCKETS; i++) waiting.push(await connect(code));
    const extra = await connect(code);
    expect((await extra.closed).code).toBe(CloseCode.TryAgainLater);
    const [first] = waiting;
    first?.sendJson({ type: "hello", v: PROTOCOL_VERSION, name: "Patient" });
    expect((await first?.next("welcome"))?.peers.map((p) => p.name)).toEqual(["Patient"]);
  });

  it("count messages before hello toward the abuse limit", async () => {
    const client = await connect(await createLobby());
    const frame = JSON.stringify({ type: "chat", text: "hi" });
    for (let i = 0; i <= MAX_ERRORS_PER_SOCKET; i++) client.ws.send(frame);
    expect((await client.closed).code).toBe(CloseCode.TooManyErrors);
  });
});
