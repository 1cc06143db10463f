/**
 * The Room facade, whole, in Node: `transport: "edge"` makes no RTCPeerConnection, so the lobby
 * socket (a hand-driven fake) is the only way out. Welcomes and lobby news go in as frames;
 * what the game hears comes out as events; streams and actions travel as edge-relay frames on
 * the same socket. Fake timers drive the network tick and the reconnect backoff.
 */
import {
  type ConnectOptions,
  connect,
  msgpackCodec,
  type Room,
  type RoomEvents,
} from "edgeplay/client";
import {
  decodeRelayFrame,
  encodeRelayFrame,
  MAX_CHAT_CHARS,
  type PeerInfo,
  type ServerMessage,
} from "edgeplay/protocol";
import * as v from "valibot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { packPlain } from "../../game/kit/wire/plain-msgpack.ts";
import {
  decodeActionPacket,
  decodeStateChannelPacket,
  encodeActionPacket,
  encodeStateChannelPacket,
  type StreamPacket,
} from "../../game/kit/wire/state-channel.ts";
import { actionTag, streamTag } from "../../game/kit/wire/tags.ts";
import {
  type FakeLobbySocket,
  fakeSocketPlatform,
  newestSocket,
  resetFakeSockets,
  welcomeFrame,
} from "./fake-lobby-socket.ts";

const TICK_HZ = 20;
const TICK_MS = 1000 / TICK_HZ;
const SERVER = "https://play.test";

const ALICE = peer("alice", "Alice", 1);
const BOB = peer("bob", "Bob", 2);
const CAROL = peer("carol", "Carol", 3);
const DAVE = peer("dave", "Dave", 4);

function peer(id: string, name: string, joinOrder: number): PeerInfo {
  return { id, name, color: joinOrder - 1, joinOrder, ready: false, connected: true };
}

/** What the game heard, in order (the network tick left out: it comes every TICK_MS). */
type Heard = readonly [event: keyof RoomEvents, value: unknown];

interface Joined {
  readonly room: Room;
  readonly heard: Heard[];
  /** The HTTP requests the room made (the lobby check after a drop, a leave by token). */
  readonly fetched: { readonly url: string; readonly method: string }[];
}

const rooms: Room[] = [];

/** A room on fake sockets and a recording `fetch` that answers 503 (the API cannot tell). */
function open(options: Partial<ConnectOptions> = {}): Joined {
  const fetched: { url: string; method: string }[] = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    fetched.push({ url: String(input), method: init?.method ?? "GET" });
    return new Response(null, { status: 503 });
  };
  const { platform } = fakeSocketPlatform();
  const room = connect({
    server: SERVER,
    code: "7kx2-qm",
    name: "Alice",
    transport: "edge",
    tickHz: TICK_HZ,
    ...options,
    platform: { ...platform, epochNow: () => Date.now(), fetch: fakeFetch },
  });
  rooms.push(room);
  const heard: Heard[] = [];
  room.on("welcome", (welcome) => heard.push(["welcome", welcome]));
  room.on("peer-join", (joined) => heard.push(["peer-join", joined.id]));
  room.on("peer-leave", (left) => heard.push(["peer-leave", left]));
  room.on("peer-away", (peerId) => heard.push(["peer-away", peerId]));
  room.on("peer-back", (peerId) => heard.push(["peer-back", peerId]));
  room.on("peer-ready", (ready) => heard.push(["peer-ready", ready]));
  room.on("host-change", (host) => heard.push(["host-change", host]));
  room.on("phase", (phase) => heard.push(["phase", phase]));
  room.on("chat", (line) => heard.push(["chat", line]));
  room.on("connection", (state) => heard.push(["connection", state]));
  room.on("problem", (problem) => heard.push(["problem", problem]));
  room.on("ended", (end) => heard.push(["ended", end]));
  return { room, heard, fetched };
}

/** The newest socket opens and the lobby welcomes it (the first of `peers` is us). */
function welcome(peers: readonly PeerInfo[], extra: Parameters<typeof welcomeFrame>[0] = {}) {
  const socket = newestSocket();
  socket.serverOpens();
  const self = peers[0]?.id ?? "alice";
  socket.serverSends(welcomeFrame({ peerId: self, hostId: self, peers: [...peers], ...extra }));
  return socket;
}

/** A room welcomed as Alice, with Bob and Carol already there. */
function joined(options: Partial<ConnectOptions> = {}): Joined & { socket: FakeLobbySocket } {
  const setup = open(options);
  const socket = welcome([ALICE, BOB, CAROL]);
  return { ...setup, socket };
}

function send(socket: FakeLobbySocket, message: ServerMessage): void {
  socket.serverSends(JSON.stringify(message));
}

/** Waits out the reconnect backoff (under 500 ms for a first attempt) until a new socket opens. */
async function nextSocket(after: FakeLobbySocket): Promise<FakeLobbySocket> {
  for (let waited = 0; waited < 1000; waited += 10) {
    if (newestSocket() !== after) return newestSocket();
    await vi.advanceTimersByTimeAsync(10);
  }
  throw new Error("no new socket within 1 s");
}

/** Stream packets the room relayed on `socket`, by recipient, in order. */
function relayedStreams(socket: FakeLobbySocket): { to: string; packet: StreamPacket }[] {
  return socket.sentBinary.flatMap((bytes) => {
    const frame = decodeRelayFrame(bytes);
    if (frame === null) throw new Error("the room sent a binary frame that is no relay frame");
    const decoded = decodeStateChannelPacket(frame.payload);
    return decoded.ok && decoded.packet.kind === "stream"
      ? [{ to: frame.peerId, packet: decoded.packet }]
      : [];
  });
}

/** Action packets (first byte 0x43) the room relayed on `socket`. */
/** Relayed packets of one action (the kit's own, such as its voice state, left out). */
function relayedActions(
  socket: FakeLobbySocket,
  name: string,
): { to: string; payload: Uint8Array }[] {
  return socket.sentBinary.flatMap((bytes) => {
    const frame = decodeRelayFrame(bytes);
    if (frame === null) return [];
    const decoded = decodeActionPacket(frame.payload);
    return decoded.ok && decoded.packet.action === actionTag(name)
      ? [{ to: frame.peerId, payload: frame.payload }]
      : [];
  });
}

interface Dot {
  readonly x: number;
  readonly y: number;
}
const DotSchema = v.object({ x: v.number(), y: v.number() });
const dotCodec = msgpackCodec<Dot>("dot/v1", (value) => {
  const parsed = v.safeParse(DotSchema, value);
  return parsed.success ? parsed.output : null;
});
const DOT_TAG = streamTag("dot", dotCodec.id);

const PingSchema = v.object({ n: v.pipe(v.number(), v.integer()) });

/** A stream packet of the dot stream, as a peer relays it to us. */
function dotFrom(from: string, seq: number, tick: number, dot: Dot): Uint8Array {
  const packet = encodeStateChannelPacket({
    kind: "stream",
    stream: DOT_TAG,
    seq,
    tick,
    hz: TICK_HZ,
    data: dotCodec.encode(dot),
  });
  return encodeRelayFrame(from, packet);
}

beforeEach(() => {
  vi.useFakeTimers();
  resetFakeSockets();
});

afterEach(() => {
  for (const room of rooms.splice(0)) room.leave();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a room's first welcome", () => {
  it("says nothing of a seat until the lobby welcomes it", () => {
    const { room, heard } = open();
    expect(room.code).toBe("7KX2QM");
    expect(room.connection).toBe("connecting");
    expect(room.selfId).toBeNull();
    expect(room.peers).toEqual([]);
    expect(room.welcomedAt).toBeNull();
    const socket = newestSocket();
    expect(socket.url).toBe("wss://play.test/api/lobbies/7KX2QM/ws");
    socket.serverOpens();
    expect(JSON.parse(socket.sentText[0] ?? "")).toMatchObject({ type: "hello", name: "Alice" });
    expect(heard).toEqual([]);
  });

  it("gives a new seat: the roster, host, phase and settings, and a link to each other player", () => {
    const { room, heard } = open();
    vi.setSystemTime(1_700_000_000_000);
    welcome([ALICE, BOB, CAROL], { hostId: "bob", hostEpoch: 2, phase: "playing" });
    expect(heard).toEqual([
      ["welcome", { selfId: "alice", newSeat: true }],
      ["connection", "open"],
    ]);
    expect(room.selfId).toBe("alice");
    expect(room.connection).toBe("open");
    expect(room.welcomedAt).toBe(1_700_000_000_000);
    expect(room.roster.map((p) => p.id)).toEqual(["alice", "bob", "carol"]);
    expect(room.hostId).toBe("bob");
    expect(room.hostEpoch).toBe(2);
    expect(room.isHost).toBe(false);
    expect(room.phase).toBe("playing");
    expect(room.settings).toEqual({
      name: "Test",
      maxPlayers: 4,
      visibility: "private",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    });
    expect(room.peers).toEqual(["bob", "carol"]);
    expect(room.peer("carol")).toEqual(CAROL);
    expect(room.nameOf("bob")).toBe("Bob");
    expect(room.nameOf("zed")).toBeNull();
  });

  it("sends every pair through the edge relay from the first network tick, with no WebRTC", () => {
    const { room } = joined();
    expect(room.stats("bob")?.path).toBe("none");
    expect(room.reachable("bob")).toBe(false);
    vi.advanceTimersByTime(TICK_MS);
    expect(room.reachable("bob")).toBe(true);
    expect(room.stats("bob")).toMatchObject({
      id: "bob",
      path: "edge",
      connectionState: "none",
      channels: [],
      channelsOpenAt: null,
    });
    expect(room.stats("alice")).toBeNull();
    expect(room.stats("zed")).toBeNull();
  });
});

describe("a room in a runtime without WebRTC", () => {
  it("plays through the edge relay even when asked for direct paths", () => {
    const { room } = open({ transport: "auto" });
    welcome([ALICE, BOB]);
    let ticks = 0;
    room.on("tick", () => ticks++);
    vi.advanceTimersByTime(TICK_MS);
    expect(ticks).toBe(1);
    expect(room.stats("bob")).toMatchObject({ path: "edge", connectionState: "none" });
  });
});

describe("a room after its socket drops", () => {
  it("resumes the same seat and tells what changed meanwhile, in order", async () => {
    // The backoff's jitter, pinned (the room's planner takes Math.random when it is made): the
    // first retry waits 250 ms, five ticks without a socket.
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { room, heard, fetched, socket } = joined();
    const dots = room.stream("dot", { codec: dotCodec, read: () => ({ x: 1, y: 2 }) });
    vi.advanceTimersByTime(5 * TICK_MS);
    const seqsTo = (on: FakeLobbySocket, id: string): number[] =>
      relayedStreams(on)
        .filter(({ to }) => to === id)
        .map(({ packet }) => packet.seq);
    const carolBefore = seqsTo(socket, "carol");
    expect(carolBefore.length).toBeGreaterThan(0);

    socket.drops(1006);
    expect(room.connection).toBe("reconnecting");
    // A bare 1006 may mean the lobby is gone: the room asks the API before trying again.
    expect(fetched).toEqual([{ url: `${SERVER}/api/lobbies/7KX2QM`, method: "GET" }]);
    const again = await nextSocket(socket);
    expect(again.url).toContain("peer=alice");
    heard.length = 0;
    welcome([ALICE, CAROL, DAVE], {
      resumed: true,
      phase: "playing",
      hostId: "carol",
      hostEpoch: 2,
    });
    // The held seat is proven with its token in hello (never in the URL).
    expect(again.sentText[0]).toContain(`"resume":"${"a".repeat(32)}"`);

    expect(heard).toEqual([
      ["welcome", { selfId: "alice", newSeat: false }],
      ["peer-leave", { type: "peer-leave", peerId: "bob", name: "Bob", reason: "left" }],
      ["peer-join", "dave"],
      ["phase", "playing"],
      [
        "host-change",
        { type: "host-change", hostId: "carol", hostEpoch: 2, previousHostId: "alice" },
      ],
      ["connection", "open"],
    ]);
    expect(room.selfId).toBe("alice");
    expect(room.peers).toEqual(["carol", "dave"]);
    expect(room.stats("bob")).toBeNull();
    expect(room.nameOf("bob")).toBe("Bob");
    expect(room.isHost).toBe(false);

    vi.advanceTimersByTime(5 * TICK_MS);
    expect(seqsTo(again, "bob")).toEqual([]);
    // Carol's link lived on: its sequence numbers carry on (those of ticks while the socket
    // was down were spent on counted drops). Dave's link is new: his start at 1.
    const carolAfter = seqsTo(again, "carol");
    expect(carolAfter[0]).toBeGreaterThan(carolBefore.at(-1) ?? 0);
    expect(room.stats("carol")?.streamSendDrops).toBeGreaterThan(0);
    expect(seqsTo(again, "dave")[0]).toBe(1);
    expect(dots.sent).toBeGreaterThan(10);
  });

  it("joins afresh after the seat expired: a new peer id, and everything per peer starts over", async () => {
    const { room, heard, socket } = joined();
    const dots = room.stream("dot", { codec: dotCodec, read: () => ({ x: 1, y: 2 }) });
    vi.advanceTimersByTime(2 * TICK_MS);
    socket.serverSendsBinary(dotFrom("bob", 1, 1, { x: 5, y: 6 }));
    expect(dots.latest("bob")).toMatchObject({ seq: 1, tick: 1, value: { x: 5, y: 6 } });
    heard.length = 0;

    socket.drops(4006);
    expect(heard).toEqual([
      ["problem", { code: "seat-expired", retry: true }],
      ["connection", "reconnecting"],
    ]);
    const fresh = await nextSocket(socket);
    expect(fresh.url).not.toContain("peer=");
    heard.length = 0;
    welcome([peer("alice2", "Alice", 4), BOB], { hostId: "bob", hostEpoch: 3 });
    expect(fresh.sentText[0]).not.toContain('"resume"');

    // A new player: no news of who came and went, since nothing carries over.
    expect(heard).toEqual([
      ["welcome", { selfId: "alice2", newSeat: true }],
      ["connection", "open"],
    ]);
    expect(room.selfId).toBe("alice2");
    expect(room.peers).toEqual(["bob"]);
    expect(room.hostId).toBe("bob");
    expect(dots.latest("bob")).toBeNull();
    expect(dots.received("bob")).toBe(0);
    vi.advanceTimersByTime(TICK_MS);
    expect(relayedStreams(fresh).map(({ to, packet }) => [to, packet.seq])).toEqual([["bob", 1]]);
  });
});

describe("a room that takes back a seat an earlier page held", () => {
  const HELD = { peerId: "alice", token: "b".repeat(32) };

  it("asks for the seat with ?peer= and its token in hello, and keeps the newest token", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { room, heard } = open({ resume: HELD });
    const first = newestSocket();
    expect(first.url).toBe("wss://play.test/api/lobbies/7KX2QM/ws?peer=alice");
    first.serverOpens();
    expect(JSON.parse(first.sentText[0] ?? "")).toMatchObject({
      type: "hello",
      resume: HELD.token,
    });
    // Not ours until the lobby says so.
    expect(room.seat).toBeNull();
    first.serverSends(
      welcomeFrame({ peerId: "alice", resumed: true, resumeToken: "c".repeat(32), peers: [ALICE] }),
    );
    expect(heard).toEqual([
      ["welcome", { selfId: "alice", newSeat: true }],
      ["connection", "open"],
    ]);
    expect(room.seat).toEqual({ peerId: "alice", token: "c".repeat(32) });

    // Every welcome brings a new token: the seat follows it, and the next resume uses it.
    first.drops(1001);
    const again = await nextSocket(first);
    again.serverOpens();
    expect(again.sentText[0]).toContain(`"resume":"${"c".repeat(32)}"`);
    again.serverSends(
      welcomeFrame({ peerId: "alice", resumed: true, resumeToken: "d".repeat(32), peers: [ALICE] }),
    );
    expect(room.seat).toEqual({ peerId: "alice", token: "d".repeat(32) });

    room.leave();
    expect(room.seat).toBeNull();
  });

  it("joins as a new player when the seat is gone, and reports it as seat-expired", () => {
    const { room, heard } = open({ resume: HELD });
    const refused = newestSocket();
    refused.serverOpens();
    refused.drops(4006);
    expect(heard).toEqual([
      ["problem", { code: "seat-expired", retry: true }],
      // Never welcomed yet: still connecting, not reconnecting.
      ["connection", "connecting"],
    ]);
    const fresh = newestSocket();
    expect(fresh).not.toBe(refused);
    expect(fresh.url).not.toContain("peer=");
    heard.length = 0;
    welcome([peer("alice2", "Alice", 3), BOB], { hostId: "bob" });
    expect(fresh.sentText[0]).not.toContain('"resume"');
    expect(JSON.parse(fresh.sentText[0] ?? "")).toMatchObject({ type: "hello", name: "Alice" });
    expect(heard).toEqual([
      ["welcome", { selfId: "alice2", newSeat: true }],
      ["connection", "open"],
    ]);
    expect(room.seat).toEqual({ peerId: "alice2", token: "a".repeat(32) });
  });

  it("ends, without joining afresh, when the host removed that seat", () => {
    const { room, heard } = open({ resume: HELD });
    newestSocket().serverOpens();
    newestSocket().drops(4003);
    expect(heard).toEqual([
      ["connection", "closed"],
      ["ended", { reason: "closed", closeCode: 4003, rejoin: false }],
    ]);
    expect(room.seat).toBeNull();
  });

  it("refuses a resume that is not a peer id and a token as the lobby gives them", () => {
    expect(() => open({ resume: { peerId: "alice", token: "not-a-token" } })).toThrow(RangeError);
    expect(() => open({ resume: { peerId: "a b", token: HELD.token } })).toThrow(RangeError);
  });
});

describe("lobby news", () => {
  it("ignores a host change with an epoch not newer than the one it knows", () => {
    const { room, heard } = joined();
    heard.length = 0;
    send(newestSocket(), { type: "host-changed", hostId: "bob", hostEpoch: 1 });
    expect(heard).toEqual([]);
    expect(room.hostId).toBe("alice");
    expect(room.isHost).toBe(true);
    send(newestSocket(), { type: "host-changed", hostId: "bob", hostEpoch: 3 });
    send(newestSocket(), { type: "host-changed", hostId: "carol", hostEpoch: 2 });
    expect(heard).toEqual([
      [
        "host-change",
        { type: "host-change", hostId: "bob", hostEpoch: 3, previousHostId: "alice" },
      ],
    ]);
    expect(room.hostId).toBe("bob");
    expect(room.hostEpoch).toBe(3);
    expect(room.isHost).toBe(false);
  });

  it("tells a phase once, not again when the lobby repeats it", () => {
    const { room, heard } = joined();
    heard.length = 0;
    send(newestSocket(), { type: "phase-changed", phase: "waiting" });
    send(newestSocket(), { type: "phase-changed", phase: "playing" });
    send(newestSocket(), { type: "phase-changed", phase: "playing" });
    expect(heard).toEqual([["phase", "playing"]]);
    expect(room.phase).toBe("playing");
  });

  it("makes a link for a player who joins and closes it when they leave", () => {
    const { room, heard } = joined();
    heard.length = 0;
    send(newestSocket(), { type: "peer-joined", peer: DAVE });
    expect(room.peers).toEqual(["bob", "carol", "dave"]);
    send(newestSocket(), { type: "peer-left", peerId: "bob", reason: "kicked" });
    send(newestSocket(), { type: "peer-left", peerId: "bob", reason: "kicked" });
    expect(room.peers).toEqual(["carol", "dave"]);
    expect(heard).toEqual([
      ["peer-join", "dave"],
      ["peer-leave", { type: "peer-leave", peerId: "bob", name: "Bob", reason: "kicked" }],
    ]);
  });

  it("reports a lobby error frame as a lobby-refused problem with the lobby's code", () => {
    const { heard } = joined();
    heard.length = 0;
    send(newestSocket(), {
      type: "error",
      code: "not-host",
      message: "Only the host can do that.",
    });
    expect(heard).toEqual([
      [
        "problem",
        { code: "lobby-refused", error: "not-host", detail: "Only the host can do that." },
      ],
    ]);
  });
});

describe("chat", () => {
  it("refuses an empty or too long line at once, and any line before the welcome", () => {
    const { room } = open();
    expect(room.chat("   ")).toEqual({ ok: false, reason: "empty" });
    expect(room.chat("x".repeat(MAX_CHAT_CHARS + 1))).toEqual({ ok: false, reason: "too-long" });
    expect(room.chat("hello")).toEqual({ ok: false, reason: "offline" });
    newestSocket().serverOpens();
    expect(room.chat("hello")).toEqual({ ok: false, reason: "offline" });
  });

  it("sends a trimmed line as a chat frame, and refuses a sixth quick one as too fast", () => {
    const { room, socket } = joined();
    for (let line = 1; line <= 5; line++) {
      expect(room.chat(`  line ${line} `)).toEqual({ ok: true });
    }
    expect(room.chat("one more")).toEqual({ ok: false, reason: "too-fast" });
    const chats = socket.sentText
      .map((text) => JSON.parse(text))
      .filter((frame) => frame.type === "chat");
    expect(chats).toEqual([1, 2, 3, 4, 5].map((line) => ({ type: "chat", text: `line ${line}` })));
  });

  it("tells a chat line with the sender's name and colour, even after they left", () => {
    const { room, heard } = joined();
    heard.length = 0;
    send(newestSocket(), { type: "peer-left", peerId: "bob", reason: "left" });
    send(newestSocket(), { type: "chat", from: "bob", text: "bye", at: 5 });
    expect(heard.at(-1)).toEqual([
      "chat",
      { from: "bob", name: "Bob", color: 1, text: "bye", at: 5 },
    ]);
    expect(room.colorOf("bob")).toBe(1);
  });
});

describe("the end of a stay", () => {
  it("ends when the lobby closes the socket for good (kicked), and stops its tick", () => {
    const { room, heard, socket } = joined();
    room.stream("dot", { codec: dotCodec, read: () => ({ x: 1, y: 2 }) });
    vi.advanceTimersByTime(TICK_MS);
    heard.length = 0;
    socket.drops(4003);
    expect(heard).toEqual([
      ["connection", "closed"],
      ["ended", { reason: "closed", closeCode: 4003, rejoin: false }],
    ]);
    expect(room.connection).toBe("closed");
    const sent = socket.sent.length;
    vi.advanceTimersByTime(10 * TICK_MS);
    expect(socket.sent.length).toBe(sent);
    expect(room.peers).toEqual([]);
  });

  it("leaves with a leave frame and closes the socket, with no ended event (the player asked)", () => {
    const { room, heard, fetched, socket } = joined();
    heard.length = 0;
    room.leave();
    expect(JSON.parse(socket.sentText.at(-1) ?? "")).toEqual({ type: "leave" });
    expect(socket.closedWith).toBe(1000);
    expect(room.connection).toBe("closed");
    expect(heard).toEqual([]);
    // The leave frame went out: no need for the API.
    expect(fetched).toEqual([]);
    expect(room.chat("still here?")).toEqual({ ok: false, reason: "offline" });
  });

  it("leaves through the API when no welcomed socket can carry the leave frame", async () => {
    const { room, fetched, socket } = joined();
    socket.drops(1001);
    room.leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetched).toEqual([{ url: `${SERVER}/api/lobbies/7KX2QM/leave`, method: "POST" }]);
  });
});

describe("the game's listeners", () => {
  it("runs every listener when one throws, and reports the throw as a listener-failed problem", () => {
    const { room, heard } = open();
    const after: string[] = [];
    room.on("welcome", () => {
      throw new Error("boom");
    });
    room.on("welcome", ({ selfId }) => after.push(selfId));
    welcome([ALICE, BOB]);
    expect(after).toEqual(["alice"]);
    expect(heard).toContainEqual(["problem", { code: "listener-failed", detail: "welcome: boom" }]);
    expect(room.connection).toBe("open");
  });

  it("stops calling a listener once it unsubscribed", () => {
    const { room } = joined();
    const phases: string[] = [];
    const stop = room.on("phase", (phase) => phases.push(phase));
    send(newestSocket(), { type: "phase-changed", phase: "playing" });
    stop();
    send(newestSocket(), { type: "phase-changed", phase: "finished" });
    expect(phases).toEqual(["playing"]);
  });
});

describe("streams over the edge relay", () => {
  it("relays our value to a linked peer every tick, read and encoded once per tick", () => {
    const { room } = open();
    const socket = welcome([ALICE, BOB]);
    let x = 0;
    const dots = room.stream("dot", { codec: dotCodec, read: () => ({ x: x++, y: 7 }) });
    vi.advanceTimersByTime(3 * TICK_MS);
    const relayed = relayedStreams(socket);
    expect(relayed.map(({ to, packet }) => [to, packet.seq, packet.tick])).toEqual([
      ["bob", 1, 1],
      ["bob", 2, 2],
      ["bob", 3, 3],
    ]);
    for (const { packet } of relayed) {
      expect(packet.stream).toBe(DOT_TAG);
      expect(packet.hz).toBe(TICK_HZ);
    }
    expect(relayed.map(({ packet }) => dotCodec.decode(packet.data))).toEqual([
      { x: 0, y: 7 },
      { x: 1, y: 7 },
      { x: 2, y: 7 },
    ]);
    expect(dots.sent).toBe(3);
    expect(room.stats("bob")).toMatchObject({ path: "edge", sendDrops: 0, streamSendDrops: 0 });
    expect(room.stats("bob")?.edgePacketsOut).toBeGreaterThanOrEqual(3);
  });

  it("thins each relayed peer's stream when two share the lobby's relay budget (30 Hz tick)", () => {
    const { room } = open({ tickHz: 30 });
    const socket = welcome([ALICE, BOB, CAROL]);
    const dots = room.stream("dot", { codec: dotCodec, read: () => ({ x: 1, y: 1 }) });
    // 30 ticks of 1000/30 ms (the fake clock counts whole ms: 33 each).
    vi.advanceTimersByTime(30 * 33);
    expect(dots.sent).toBe(30);
    for (const id of ["bob", "carol"]) {
      const seqs = relayedStreams(socket)
        .filter(({ to }) => to === id)
        .map(({ packet }) => packet.seq);
      // edgeStreamHz(2): 24 of every 30 ticks, numbered without gaps (nothing was dropped).
      expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(room.stats(id)?.streamSendDrops).toBe(0);
    }
  });

  it("sends nothing before the welcome, nor for a stream without read", () => {
    const { room } = open();
    const dots = room.stream("dot", { codec: dotCodec, read: () => ({ x: 1, y: 1 }) });
    room.stream("listen-only", { codec: dotCodec });
    vi.advanceTimersByTime(5 * TICK_MS);
    expect(dots.sent).toBe(0);
    const socket = welcome([ALICE, BOB]);
    vi.advanceTimersByTime(TICK_MS);
    expect(relayedStreams(socket).map(({ packet }) => packet.stream)).toEqual([DOT_TAG]);
  });

  it("hands a peer's relayed value to the stream, and counts a packet of a stream we lack", () => {
    const { room, socket } = joined();
    const dots = room.stream("dot", { codec: dotCodec });
    vi.advanceTimersByTime(TICK_MS);
    socket.serverSendsBinary(dotFrom("bob", 1, 10, { x: 3, y: 4 }));
    socket.serverSendsBinary(dotFrom("bob", 2, 11, { x: 5, y: 6 }));
    expect(dots.latest("bob")).toMatchObject({ seq: 2, tick: 11, value: { x: 5, y: 6 } });
    expect(dots.received("bob")).toBe(2);
    expect(dots.latest("carol")).toBeNull();
    expect(room.stats("bob")?.edgePacketsIn).toBe(2);

    const other = encodeStateChannelPacket({
      kind: "stream",
      stream: (DOT_TAG + 1) & 0xffff,
      seq: 3,
      tick: 12,
      hz: TICK_HZ,
      data: new Uint8Array([0xc0]),
    });
    socket.serverSendsBinary(encodeRelayFrame("bob", other));
    expect(room.drops.stream["unknown-stream"]).toBe(1);
    expect(room.stats("bob")?.receiveDrops).toBe(1);
  });

  it("drops relayed packets from someone it has no link to", () => {
    const { room, socket } = joined();
    const dots = room.stream("dot", { codec: dotCodec });
    socket.serverSendsBinary(dotFrom("zed", 1, 1, { x: 1, y: 1 }));
    expect(dots.latest("zed")).toBeNull();
    expect(room.drops.stream["unknown-stream"]).toBe(0);
  });

  it("reports a game clock that gives no whole tick, and keeps ticking the other streams", () => {
    const { room, heard } = open();
    const socket = welcome([ALICE, BOB]);
    room.stream("bad", {
      codec: dotCodec,
      read: () => ({ x: 1, y: 1 }),
      clock: { tick: () => 1.5, hz: 60 },
    });
    room.stream("dot", { codec: dotCodec, read: () => ({ x: 2, y: 2 }) });
    let ticks = 0;
    room.on("tick", () => ticks++);
    vi.advanceTimersByTime(2 * TICK_MS);
    expect(ticks).toBe(2);
    expect(relayedStreams(socket).map(({ packet }) => packet.stream)).toEqual([DOT_TAG, DOT_TAG]);
    expect(heard).toContainEqual([
      "problem",
      { code: "listener-failed", detail: expect.stringMatching(/^stream bad: tick 1\.5/) },
    ]);
  });

  it("refuses a second stream of the same name", () => {
    const { room } = open();
    room.stream("dot", { codec: dotCodec });
    expect(() => room.stream("dot", { codec: dotCodec })).toThrow(RangeError);
  });
});

describe("voice", () => {
  it("tells each peer once what our voice does, and says a pair on the edge relay has none", () => {
    const { room, socket } = joined();
    const changed: (string | null)[] = [];
    room.on("voice", (peerId) => changed.push(peerId));
    vi.advanceTimersByTime(TICK_MS);
    vi.advanceTimersByTime(TICK_MS);
    expect(relayedActions(socket, "edgeplay.voice").map(({ to }) => to)).toEqual(["bob", "carol"]);
    const bobsVoice = { capable: true, on: true, muted: false, deafened: false, talking: true };
    const body = packPlain(bobsVoice);
    const action = actionTag("edgeplay.voice");
    socket.serverSendsBinary(
      encodeRelayFrame("bob", encodeActionPacket({ kind: "action", action, body })),
    );
    expect(changed).toEqual(["bob"]);
    expect(room.voice.peer("bob")).toMatchObject({ status: "no-path", state: bobsVoice });
    expect(room.voice.peer("carol")).toMatchObject({ status: "no-path", state: null });
  });

  it("is unsupported without a microphone, and asks for nothing", async () => {
    const { room } = joined();
    expect(room.voice.supported).toBe(false);
    expect(await room.voice.enable()).toEqual({ ok: false, failure: "unsupported" });
    expect(room.voice.state.phase).toBe("off");
  });

  it("keeps a player's volume by name, clamped to 200%", () => {
    const { room } = joined();
    room.voice.setVolume("bob", 3);
    room.voice.setPeerMuted("carol", true);
    expect(room.voice.peer("bob")).toMatchObject({ volume: 2, muted: false });
    expect(room.voice.peer("carol")).toMatchObject({ volume: 1, muted: true });
  });

  it("refuses a game action of the kit's own name", () => {
    const { room } = joined();
    expect(() => room.action("edgeplay.voice", PingSchema)).toThrow(RangeError);
  });
});

describe("actions over the edge relay", () => {
  it("sends to one peer or to everyone once the relay is up, and hears a peer's message", () => {
    const { room, socket } = joined();
    const ping = room.action("ping", PingSchema);
    const heard: [number, string][] = [];
    ping.on((message, from) => heard.push([message.n, from]));
    // Before the first tick no pair has a path yet.
    expect(ping.send({ n: 0 }, { to: "bob" })).toBe(0);
    vi.advanceTimersByTime(TICK_MS);
    expect(ping.send({ n: 1 }, { to: "bob" })).toBe(1);
    expect(ping.send({ n: 2 })).toBe(2);
    expect(ping.send({ n: 3 }, { to: "zed" })).toBe(0);
    const actions = relayedActions(socket, "ping");
    expect(actions.map(({ to }) => to)).toEqual(["bob", "bob", "carol"]);

    // What we sent Bob, coming back as if Bob sent it.
    const [first] = actions;
    if (!first) throw new Error("no action was relayed");
    socket.serverSendsBinary(encodeRelayFrame("bob", first.payload));
    expect(heard).toEqual([[1, "bob"]]);
    expect(room.stats("bob")?.edgePacketsIn).toBe(1);
  });

  it("counts a junk payload, an unknown action and a message its schema refuses, and never throws", () => {
    const { room, socket, heard: roomHeard } = joined();
    const ping = room.action("ping", PingSchema);
    const heard: number[] = [];
    ping.on((message) => heard.push(message.n));
    vi.advanceTimersByTime(TICK_MS);
    const body = packPlain({ n: 1 });
    const frames = [
      new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      encodeActionPacket({ kind: "action", action: actionTag("pong"), body }),
      encodeActionPacket({
        kind: "action",
        action: actionTag("ping"),
        body: packPlain({ n: "one" }),
      }),
      encodeActionPacket({
        kind: "action",
        action: actionTag("ping"),
        body: packPlain({ n: 1.5 }),
      }),
    ];
    for (const payload of frames) {
      expect(() => socket.serverSendsBinary(encodeRelayFrame("bob", payload))).not.toThrow();
    }
    expect(heard).toEqual([]);
    expect(room.drops.reliable).toEqual({
      "too-large": 0,
      junk: 1,
      "unknown-stream": 0,
      "unknown-action": 1,
      invalid: 2,
    });
    expect(room.drops.stream).toMatchObject({ junk: 0, invalid: 0 });
    expect(roomHeard.filter(([event]) => event === "problem")).toEqual([]);
    // The room goes on: a good one still arrives.
    socket.serverSendsBinary(
      encodeRelayFrame(
        "bob",
        encodeActionPacket({ kind: "action", action: actionTag("ping"), body }),
      ),
    );
    expect(heard).toEqual([1]);
  });

  it("throws a RangeError for a message its own schema refuses, before anything goes out", () => {
    const { room, socket } = joined();
    const ping = room.action("ping", PingSchema);
    vi.advanceTimersByTime(TICK_MS);
    const before = socket.sent.length;
    expect(() => ping.send({ n: 1.5 })).toThrow(RangeError);
    expect(socket.sent.length).toBe(before);
    expect(() => room.action("ping", PingSchema)).toThrow(RangeError);
  });

  it("reports an action listener that throws as a problem, and still runs the others", () => {
    const { room, socket, heard: roomHeard } = joined();
    const ping = room.action("ping", PingSchema);
    const heard: number[] = [];
    ping.on(() => {
      throw new Error("bad listener");
    });
    ping.on((message) => heard.push(message.n));
    vi.advanceTimersByTime(TICK_MS);
    const packet = encodeActionPacket({
      kind: "action",
      action: actionTag("ping"),
      body: packPlain({ n: 4 }),
    });
    socket.serverSendsBinary(encodeRelayFrame("bob", packet));
    expect(heard).toEqual([4]);
    expect(roomHeard).toContainEqual([
      "problem",
      { code: "listener-failed", detail: "action ping: bad listener" },
    ]);
  });
});
