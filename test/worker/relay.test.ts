import { describe, expect, it } from "vitest";
import { MAX_RELAY_PAYLOAD_BYTES } from "../../shared/limits.ts";
import { encodeRelayFrame } from "../../shared/relay-frame.ts";
import { connect, createLobby, join, names, roundTrip } from "./helpers.ts";

const offer = {
  kind: "description",
  type: "offer",
  sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n",
} as const;

describe("joining and relaying", () => {
  it("welcomes players with their id and the roster, and announces newcomers", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    expect(alice.welcome.lobby).toBe(code);
    expect(alice.welcome.peers).toEqual([
      {
        id: alice.welcome.peerId,
        name: "Alice",
        color: 0,
        joinOrder: 1,
        ready: false,
        connected: true,
      },
    ]);

    const bob = await join(code, "  Bob  ");
    expect(names(bob.welcome)).toEqual(["Alice", "Bob"]);
    expect(bob.welcome.peers[1]).toEqual({
      id: bob.welcome.peerId,
      name: "Bob",
      color: 1,
      joinOrder: 2,
      ready: false,
      connected: true,
    });
    const joined = await alice.client.next("peer-joined");
    expect(joined.peer).toEqual(bob.welcome.peers[1]);
    expect(bob.client.pending("peer-joined")).toEqual([]);
  });

  it("relays a signal only to the addressed peer, with `from` stamped by the lobby", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const carol = await join(code, "Carol");

    alice.client.sendJson({
      type: "signal",
      to: bob.welcome.peerId,
      from: carol.welcome.peerId,
      data: offer,
    });
    const received = await bob.client.next("signal");
    expect(received).toEqual({ type: "signal", from: alice.welcome.peerId, data: offer });

    await roundTrip(carol.client);
    expect(carol.client.pending("signal")).toEqual([]);
  });

  it("relays candidates both ways, including end-of-candidates", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const candidate = {
      kind: "candidate",
      candidate: "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
      sdpMid: "0",
      sdpMLineIndex: 0,
      usernameFragment: "abcd",
    } as const;
    bob.client.sendJson({ type: "signal", to: alice.welcome.peerId, data: candidate });
    bob.client.sendJson({
      type: "signal",
      to: alice.welcome.peerId,
      data: { kind: "candidate", candidate: "" },
    });
    expect((await alice.client.next("signal")).data).toEqual(candidate);
    expect((await alice.client.next("signal")).data).toEqual({ kind: "candidate", candidate: "" });
  });

  it("answers a signal to an unknown peer with an error and keeps serving everyone", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    alice.client.sendJson({ type: "signal", to: "nobody", data: offer });
    const error = await alice.client.next("error");
    expect(error.code).toBe("unknown-peer");

    alice.client.sendJson({ type: "signal", to: bob.welcome.peerId, data: offer });
    expect((await bob.client.next("signal")).from).toBe(alice.welcome.peerId);
  });

  it("never delivers a signal to a peer in another lobby", async () => {
    const alice = await join(await createLobby(), "Alice");
    const mallory = await join(await createLobby(), "Mallory");
    mallory.client.sendJson({ type: "signal", to: alice.welcome.peerId, data: offer });
    expect((await mallory.client.next("error")).code).toBe("unknown-peer");
    await roundTrip(alice.client);
    expect(alice.client.pending("signal")).toEqual([]);
  });

  it("rejects a signal addressed to the sender itself", async () => {
    const alice = await join(await createLobby(), "Alice");
    alice.client.sendJson({ type: "signal", to: alice.welcome.peerId, data: offer });
    expect((await alice.client.next("error")).code).toBe("unknown-peer");
  });

  it("does not announce or relay to a socket that never said hello", async () => {
    const code = await createLobby();
    const lurker = await connect(code);
    const alice = await join(code, "Alice");
    expect(names(alice.welcome)).toEqual(["Alice"]);
    lurker.sendJson({ type: "signal", to: alice.welcome.peerId, data: offer });
    expect((await lurker.next("error")).code).toBe("not-joined");
    expect(lurker.pending("peer-joined")).toEqual([]);
    await roundTrip(alice.client);
    expect(alice.client.pending("signal")).toEqual([]);
  });
});

describe("edge relay: game packets over the lobby socket", () => {
  const packet = new Uint8Array([0x93, 0x01, 0x02, 0x03]);

  it("forwards a binary frame to the named peer only, stamped with the sender", async () => {
    const code = await createLobby();
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const carol = await join(code, "Carol");
    alice.client.ws.send(encodeRelayFrame(bob.welcome.peerId, packet));
    const [relayed] = await bob.client.relayedAtLeast(1);
    expect(relayed?.peerId).toBe(alice.welcome.peerId);
    expect([...(relayed?.payload ?? [])]).toEqual([...packet]);
    await roundTrip(carol.client);
    expect(carol.client.relayed).toEqual([]);
  });

  it("drops packets for unknown peers, other lobbies and oneself without an error", async () => {
    const alice = await join(await createLobby(), "Alice");
    const stranger = await join(await createLobby(), "Stranger");
    for (const to of ["nobody", stranger.welcome.peerId, alice.welcome.peerId]) {
      alice.client.ws.send(encodeRelayFrame(to, packet));
    }
    await roundTrip(alice.client);
    expect(
      alice.client.pending("error").filter((m) => m.type === "error" && m.code !== "unknown-peer"),
    ).toEqual([]);
    expect(stranger.client.relayed).toEqual([]);
    expect(alice.client.relayed).toEqual([]);
  });

  it("refuses relay frames before hello, and malformed ones with an error", async () => {
    const code = await createLobby();
    const lurker = await connect(code);
    lurker.ws.send(encodeRelayFrame("someone", packet));
    expect((await lurker.next("error")).code).toBe("not-joined");
    const alice = await join(code, "Alice");
    const bob = await join(code, "Bob");
    const oversized = new Uint8Array(2 + 10 + MAX_RELAY_PAYLOAD_BYTES + 1);
    oversized.set(encodeRelayFrame(bob.welcome.peerId, new Uint8Array([1])).subarray(0, 12));
    for (const junk of [new Uint8Array([9, 1, 65, 1]), new Uint8Array([1, 0, 1]), oversized]) {
      alice.client.ws.send(junk);
      expect((await alice.client.next("error")).code).toBe("invalid-message");
    }
    expect(bob.client.relayed).toEqual([]);
  });
});
