import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import {
  CHAT_LIMIT,
  FLOOD_LIMIT,
  MAX_CHAT_CHARS,
  MAX_ERRORS_PER_SOCKET,
  MAX_FRAME_CHARS,
  MAX_PENDING_SOCKETS,
  MAX_PLAYERS,
  MAX_SDP_CHARS,
  RELAY_FRAME_LIMIT,
  SIGNAL_BYTES_PER_PEER_LIMIT,
  SOCKET_FRAME_LIMIT,
} from "../../shared/limits.ts";
import { PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { encodeRelayFrame, MAX_RELAY_FRAME_BYTES } from "../../shared/relay-frame.ts";
import { readSocketState, writeSocketState } from "../../worker/lobby/socket-state.ts";
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

  it("answers a message before hello with not-joined, and closes that socket", async () => {
    const client = await connect(await createLobby());
    client.sendJson({ type: "signal", to: "abc", data: { kind: "candidate", candidate: "" } });
    expect((await client.next("error")).code).toBe("not-joined");
    expect((await client.closed).code).toBe(CloseCode.TooManyErrors);
  });

  it("rejects a name that is empty, too long, has control characters or shows nothing", async () => {
    const code = await createLobby();
    const invisible = [
      "\u200b\u200b", // zero-width spaces
      "\u200e\u200f\u061c", // bidi marks
      "\u{e0041}\u{e0042}", // tag characters
      "\u3164", // Hangul filler
      "\u0301\u0301", // combining marks with nothing to sit on
      "\u2800", // blank braille pattern
    ];
    for (const name of ["   ", "x".repeat(33), "bad\u0007name", ...invisible]) {
      const client = await connect(code);
      client.sendJson({ type: "hello", v: PROTOCOL_VERSION, name });
      expect((await client.next("error")).code).toBe("invalid-message");
      expect((await client.closed).code).toBe(CloseCode.TooManyErrors);
    }
  });

  it("refuses ill-formed names and chat, so every later welcome stays valid", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    // Lone surrogates: SQLite would store each as three replacement characters.
    for (const name of ["\ud800".repeat(32), "Ana\udc00"]) {
      const client = await connect(code);
      client.sendJson({ type: "hello", v: PROTOCOL_VERSION, name });
      expect((await client.next("error")).message).toContain("not well-formed");
    }
    alice.client.sendJson({ type: "chat", text: "hi \ud83d" });
    expect((await alice.client.next("error")).message).toContain("not well-formed");
    // The test client validates every frame it gets: these welcomes parse.
    const bob = await join(code, "Bob 😀".padEnd(30, "😀").slice(0, 32));
    expect(bob.welcome.peers).toHaveLength(2);
    expect((await join(code, "Carol")).welcome.peers.map((peer) => peer.name)).toEqual([
      "Alice",
      bob.welcome.peers[1]?.name,
      "Carol",
    ]);
  });

  it("closes a client with the wrong protocol version with a code that says so", async () => {
    const client = await connect(await createLobby());
    client.sendJson({ type: "hello", v: PROTOCOL_VERSION + 1, name: "Time traveller" });
    expect((await client.closed).code).toBe(CloseCode.ProtocolVersion);
    // Also when a newer hello has a shape this version cannot read.
    const newer = await connect(await createLobby());
    newer.sendJson({ type: "hello", v: PROTOCOL_VERSION + 1, name: { first: "Ana" }, seat: 3 });
    expect((await newer.closed).code).toBe(CloseCode.ProtocolVersion);
  });

  it("keeps a seat's error count across resumes: a new socket is no fresh start", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    for (let i = 0; i < MAX_ERRORS_PER_SOCKET; i++) alice.client.ws.send("garbage");
    for (let i = 0; i < MAX_ERRORS_PER_SOCKET; i++) {
      expect((await alice.client.next("error")).code).toBe("bad-json");
    }
    alice.client.ws.close(4100, "dropping on purpose");
    await bob.client.next("peer-disconnected");
    const back = await join(code, "Alice", { resume: alice.welcome });
    back.client.ws.send("garbage");
    expect((await back.client.closed).code).toBe(CloseCode.TooManyErrors);
    expect(await bob.client.next("peer-left")).toMatchObject({
      peerId: alice.welcome.peerId,
      reason: "errors",
    });
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

  it("drops a burst of signals over the frame limit with errors, and keeps the player", async () => {
    const { alice, bob, bobId, code } = await lobbyWithWitness();
    const carol = await join(code, "Carol");
    const frame = JSON.stringify({
      type: "signal",
      to: bobId,
      data: { kind: "candidate", candidate: "" },
    });
    // Over the frame bucket, but far inside the flood budget: a burst of ICE candidates.
    const burst = SOCKET_FRAME_LIMIT.capacity + FLOOD_LIMIT.capacity / 2;
    const startedAt = Date.now();
    for (let i = 0; i < burst; i++) alice.ws.send(frame);
    // Every frame is accounted for: relayed to Bob, or answered with an error.
    await expect
      .poll(() => alice.pending("error").length + bob.pending("signal").length)
      .toBe(burst);
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const errors = alice.pending("error");
    expect(errors.every((m) => m.type === "error" && m.code === "rate-limited")).toBe(true);
    expect(alice.ws.readyState).toBe(WebSocket.OPEN);
    await expectRelayStillWorks(carol.client, bob, bobId);
    // The bucket's burst got through, plus at most what it refilled while the burst lasted.
    const relayed = bob.pending("signal").length;
    expect(relayed).toBeGreaterThanOrEqual(SOCKET_FRAME_LIMIT.capacity);
    expect(relayed).toBeLessThanOrEqual(
      SOCKET_FRAME_LIMIT.capacity +
        Math.ceil(SOCKET_FRAME_LIMIT.refillPerSecond * elapsedSeconds) +
        1,
    );
    expect(bob.pending("peer-left")).toEqual([]);
    expect(carol.client.pending("error")).toEqual([]);
  });

  it.each([
    ["valid signals", "text"],
    ["edge-relay packets", "binary"],
  ] as const)(
    "closes a socket that keeps sending %s over its limits; others keep relaying",
    async (_label, kind) => {
      const { alice, aliceId, bob, bobId, code } = await lobbyWithWitness();
      const carol = await join(code, "Carol");
      const frame =
        kind === "text"
          ? JSON.stringify({
              type: "signal",
              to: bobId,
              data: { kind: "candidate", candidate: "" },
            })
          : encodeRelayFrame(bobId, new Uint8Array([1, 2, 3]));
      // Sent at once, so the buckets refill by little while the lobby works through them.
      const flood =
        SOCKET_FRAME_LIMIT.capacity + RELAY_FRAME_LIMIT.capacity + FLOOD_LIMIT.capacity * 2;
      for (let i = 0; i < flood; i++) alice.ws.send(frame);
      expect((await alice.closed).code).toBe(CloseCode.Flooding);
      expect(await bob.next("peer-left")).toMatchObject({ peerId: aliceId, reason: "errors" });
      await expectRelayStillWorks(carol.client, bob, bobId);
      expect(carol.client.pending("error")).toEqual([]);
    },
  );

  it("closes a socket that sends a frame over the size limit, at the first one", async () => {
    const { alice, aliceId, bob, bobId, code } = await lobbyWithWitness();
    const carol = await join(code, "Carol");
    alice.sendJson({ type: "chat", text: "x".repeat(MAX_FRAME_CHARS) });
    expect((await alice.closed).code).toBe(CloseCode.MessageTooBig);
    expect(await bob.next("peer-left")).toMatchObject({ peerId: aliceId, reason: "errors" });
    await expectRelayStillWorks(carol.client, bob, bobId);

    const dave = await join(code, "Dave");
    dave.client.ws.send(new Uint8Array(MAX_RELAY_FRAME_BYTES + 1));
    expect((await dave.client.closed).code).toBe(CloseCode.MessageTooBig);
    // Before hello too: a socket that has not joined does not get to send a second one.
    const stranger = await connect(code);
    stranger.ws.send("x".repeat(MAX_FRAME_CHARS + 1));
    expect((await stranger.closed).code).toBe(CloseCode.MessageTooBig);
    await expectRelayStillWorks(bob, carol.client, carol.welcome.peerId);
  });

  it("caps the bytes of signals one player may have relayed to another, per pair", async () => {
    const { alice, aliceId, bob, bobId, code } = await lobbyWithWitness();
    const carol = await join(code, "Carol");
    const offer = {
      type: "signal",
      to: bobId,
      data: { kind: "description", type: "offer", sdp: "o".repeat(MAX_SDP_CHARS) },
    };
    const count = 20;
    const startedAt = Date.now();
    for (let i = 0; i < count; i++) alice.sendJson(offer);
    await expect
      .poll(() => alice.pending("error").length + bob.pending("signal").length)
      .toBe(count);
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const { capacity, refillPerSecond } = SIGNAL_BYTES_PER_PEER_LIMIT;
    const allowed = Math.floor((capacity + refillPerSecond * elapsedSeconds) / MAX_SDP_CHARS);
    const relayed = bob.pending("signal").length;
    expect(relayed).toBeGreaterThanOrEqual(Math.floor(capacity / (MAX_SDP_CHARS + 100)));
    expect(relayed).toBeLessThanOrEqual(allowed);
    for (const error of alice.pending("error")) {
      expect(error).toMatchObject({ code: "rate-limited" });
    }
    // Another pair has its own budget: Alice still reaches Carol, Carol still reaches Bob.
    alice.sendJson({ ...offer, to: carol.welcome.peerId });
    expect((await carol.client.next("signal")).from).toBe(aliceId);
    carol.client.sendJson({
      type: "signal",
      to: bobId,
      data: { kind: "candidate", candidate: "" },
    });
    const fromCarol = (m: { type: string; from?: string }) => m.from === carol.welcome.peerId;
    await expect.poll(() => bob.pending("signal").some(fromCarol)).toBe(true);
  });

  it("relays a signal of the largest legal frame, and the receiver's parser accepts it", async () => {
    const { alice, bob, bobId } = await lobbyWithWitness();
    const empty = JSON.stringify({
      type: "signal",
      to: bobId,
      data: { kind: "description", type: "offer", sdp: "" },
    });
    // The frame limit, not the SDP limit, is what this checks: pad with fields the lobby drops.
    const sdp = "s".repeat(MAX_SDP_CHARS);
    const framed = JSON.stringify({
      type: "signal",
      to: bobId,
      data: { kind: "description", type: "offer", sdp },
      pad: "p".repeat(MAX_FRAME_CHARS - empty.length - sdp.length - ',"pad":""'.length),
    });
    expect(framed.length).toBe(MAX_FRAME_CHARS);
    alice.ws.send(framed);
    const signal = await bob.next("signal");
    expect(signal.data).toEqual({ kind: "description", type: "offer", sdp });
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
    // Through the lobby's own accessors: it keeps each socket's state in memory as well.
    await runInDurableObject(stub, (_lobby, state) => {
      for (const ws of state.getWebSockets()) {
        const socket = readSocketState(ws);
        if (socket && !socket.joined) writeSocketState(ws, { ...socket, helloBy: Date.now() - 1 });
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

  it("get no second chance: a wrong first frame closes them", async () => {
    const client = await connect(await createLobby());
    client.sendJson({ type: "chat", text: "hi" });
    expect((await client.next("error")).code).toBe("not-joined");
    expect((await client.closed).code).toBe(CloseCode.TooManyErrors);
  });
});
