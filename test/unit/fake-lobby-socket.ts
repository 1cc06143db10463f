/**
 * A stand-in for the browser's WebSocket, driven by hand: tests open it, feed it frames and
 * drop it, and read what the game sent. Installed as the global `WebSocket` (with no-op
 * window listeners) so LobbyLink and LobbyConnection run unchanged in Node.
 */
import { vi } from "vitest";
import { PROTOCOL_VERSION, type Welcome } from "../../shared/protocol.ts";

export class FakeLobbySocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket the code under test opened, oldest first. */
  static readonly opened: FakeLobbySocket[] = [];

  readonly url: string;
  readonly sent: (string | ArrayBufferView | ArrayBuffer)[] = [];
  readyState = FakeLobbySocket.CONNECTING;
  binaryType = "blob";
  bufferedAmount = 0;
  /** The close code the game asked for, if it closed this socket itself. */
  closedWith: number | null = null;

  constructor(url: string) {
    super();
    this.url = url;
    FakeLobbySocket.opened.push(this);
  }

  send(data: string | ArrayBufferView | ArrayBuffer): void {
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

  /** The connection ends without a close frame (what a browser reports as 1006). */
  drops(code = 1006): void {
    this.readyState = FakeLobbySocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason: "" }));
  }

  /** Text frames the game sent, in order. */
  get sentText(): string[] {
    return this.sent.filter((frame): frame is string => typeof frame === "string");
  }
}

export function installFakeSockets(): void {
  FakeLobbySocket.opened.length = 0;
  vi.stubGlobal("WebSocket", FakeLobbySocket);
  vi.stubGlobal("addEventListener", () => undefined);
  vi.stubGlobal("removeEventListener", () => undefined);
}

export function newestSocket(): FakeLobbySocket {
  const socket = FakeLobbySocket.opened.at(-1);
  if (!socket) throw new Error("no socket was opened");
  return socket;
}

export function welcomeFrame(overrides: Partial<Welcome> = {}): string {
  const welcome: Welcome = {
    type: "welcome",
    v: PROTOCOL_VERSION,
    lobby: "7KX2QM",
    settings: { name: "Test", maxPlayers: 4, visibility: "private", mode: "arena" },
    phase: "waiting",
    peerId: "alice",
    resumeToken: "a".repeat(32),
    resumed: false,
    graceMs: 20_000,
    hostId: "alice",
    hostEpoch: 1,
    peers: [{ id: "alice", name: "Alice", joinOrder: 1, ready: false, connected: true }],
    iceServers: [],
    iceServersExpireAt: null,
    ...overrides,
  };
  return JSON.stringify(welcome);
}
