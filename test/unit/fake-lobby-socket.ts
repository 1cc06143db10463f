/**
 * A stand-in for a WebSocket, driven by hand: tests open it, feed it frames and drop it, and
 * read what the kit sent. Handed to the kit as its platform's WebSocket class (no globals),
 * with a clock and a hand-driven "back online" signal, so ReconnectingLobby and LobbySocket run
 * unchanged in Node.
 */
import type { Platform } from "../../game/kit/platform/platform.ts";
import { PROTOCOL_VERSION, type Welcome } from "../../shared/protocol.ts";

export class FakeLobbySocket extends EventTarget implements WebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket the code under test opened, oldest first (see `resetFakeSockets`). */
  static readonly opened: FakeLobbySocket[] = [];

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly url: string;
  readonly extensions = "";
  readonly protocol = "";
  readonly sent: (string | ArrayBufferLike | Blob | ArrayBufferView)[] = [];
  readyState: WebSocket["readyState"] = FakeLobbySocket.CONNECTING;
  binaryType: BinaryType = "blob";
  bufferedAmount = 0;
  onopen: WebSocket["onopen"] = null;
  onmessage: WebSocket["onmessage"] = null;
  onclose: WebSocket["onclose"] = null;
  onerror: WebSocket["onerror"] = null;
  /** The close code the kit asked for, if it closed this socket itself. */
  closedWith: number | null = null;

  constructor(url: string) {
    super();
    this.url = url;
    FakeLobbySocket.opened.push(this);
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    this.sent.push(data);
  }

  /** Like a browser on a dead network: the close handshake never finishes, no close event. */
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = FakeLobbySocket.CLOSING;
  }

  serverOpens(): void {
    this.readyState = FakeLobbySocket.OPEN;
    this.dispatchEvent(new Event("open"));
  }

  serverSends(text: string): void {
    this.dispatchEvent(new MessageEvent("message", { data: text }));
  }

  /** A binary frame from the lobby (an edge-relay frame), as a browser with `arraybuffer` delivers it. */
  serverSendsBinary(frame: Uint8Array): void {
    const data = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
    this.dispatchEvent(new MessageEvent("message", { data }));
  }

  /** The connection ends without a close frame (what a browser reports as 1006), or with `code`. */
  drops(code = 1006): void {
    this.readyState = FakeLobbySocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason: "" }));
  }

  /** Text frames the kit sent, in order. */
  get sentText(): string[] {
    return this.sent.filter((frame): frame is string => typeof frame === "string");
  }

  /** Binary frames the kit sent (edge-relay frames), in order. */
  get sentBinary(): Uint8Array[] {
    return this.sent.filter((frame): frame is Uint8Array => frame instanceof Uint8Array);
  }
}

/** Forgets the sockets earlier tests opened. */
export function resetFakeSockets(): void {
  FakeLobbySocket.opened.length = 0;
}

export function newestSocket(): FakeLobbySocket {
  const socket = FakeLobbySocket.opened.at(-1);
  if (!socket) throw new Error("no socket was opened");
  return socket;
}

/** The part of the platform a lobby link uses, with the "network is back" signal in hand. */
export interface FakeSocketPlatform {
  readonly platform: Pick<Platform, "WebSocket" | "now" | "onOnline">;
  /** The device reports it is online again: calls every listener still subscribed. */
  goOnline(): void;
  /** How many listeners are subscribed to the online signal. */
  readonly onlineListeners: number;
}

/** Fake sockets, the clock `now` (the fake timers' `Date.now` unless given) and an online signal. */
export function fakeSocketPlatform(now: () => number = () => Date.now()): FakeSocketPlatform {
  const listeners = new Set<() => void>();
  return {
    platform: {
      WebSocket: FakeLobbySocket,
      now,
      onOnline: (listener) => {
        // A listener of its own per call, so subscribing twice needs two unsubscribes.
        const own = (): void => listener();
        listeners.add(own);
        return () => listeners.delete(own);
      },
    },
    goOnline: () => {
      for (const listener of [...listeners]) listener();
    },
    get onlineListeners() {
      return listeners.size;
    },
  };
}

export function welcomeFrame(overrides: Partial<Welcome> = {}): string {
  const welcome: Welcome = {
    type: "welcome",
    v: PROTOCOL_VERSION,
    lobby: "7KX2QM",
    settings: {
      name: "Test",
      maxPlayers: 4,
      visibility: "private",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    },
    phase: "waiting",
    peerId: "alice",
    resumeToken: "a".repeat(32),
    resumed: false,
    graceMs: 20_000,
    hostId: "alice",
    hostEpoch: 1,
    peers: [{ id: "alice", name: "Alice", color: 0, joinOrder: 1, ready: false, connected: true }],
    iceServers: [],
    iceServersExpireAt: null,
    ...overrides,
  };
  return JSON.stringify(welcome);
}
