/**
 * One player's WebSocket to a lobby: says hello, validates every frame the lobby sends,
 * hands roster changes to its owner and signals to the mesh (as a SignalingChannel).
 */
import { type CloseAdvice, closeAdvice, type ErrorCode } from "../../shared/codes.ts";
import { MAX_FRAME_CHARS } from "../../shared/limits.ts";
import {
  type ClientMessage,
  type PeerInfo,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type SignalData,
  type Welcome,
} from "../../shared/protocol.ts";
import type { SignalHandler, SignalingChannel } from "./signaling-channel.ts";

export interface LobbyClose {
  readonly code: number;
  readonly advice: CloseAdvice;
  /** True when this side asked to close (leave or dispose), so nothing went wrong. */
  readonly byUs: boolean;
}

export interface LobbyConnectionHandlers {
  onWelcome(welcome: Welcome): void;
  onPeerJoined(peer: PeerInfo): void;
  onPeerLeft(peerId: string): void;
  /** The lobby rejected something we sent; the socket stays open. */
  onServerError(code: ErrorCode, message: string): void;
  /** A frame from the lobby failed validation and was ignored. */
  onInvalidFrame(detail: string): void;
  onClose(close: LobbyClose): void;
}

/** `ws:`/`wss:` URL of a lobby's socket, on the page's own origin. */
export function lobbySocketUrl(
  socketPath: string,
  page: Pick<Location, "protocol" | "host">,
): string {
  const scheme = page.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${page.host}${socketPath}`;
}

export class LobbyConnection implements SignalingChannel {
  readonly #socket: WebSocket;
  readonly #handlers: LobbyConnectionHandlers;
  readonly #signalHandlers = new Set<SignalHandler>();
  #closingByUs = false;

  constructor(url: string, playerName: string, handlers: LobbyConnectionHandlers) {
    this.#handlers = handlers;
    this.#socket = new WebSocket(url);
    this.#socket.addEventListener("open", () => {
      this.#sendMessage({ type: "hello", v: PROTOCOL_VERSION, name: playerName });
    });
    this.#socket.addEventListener("message", (event) => this.#onFrame(event.data));
    this.#socket.addEventListener("close", (event) => {
      this.#signalHandlers.clear();
      handlers.onClose({
        code: event.code,
        advice: closeAdvice(event.code),
        byUs: this.#closingByUs,
      });
    });
  }

  send(to: string, data: SignalData): void {
    this.#sendMessage({ type: "signal", to, data });
  }

  onSignal(handler: SignalHandler): () => void {
    this.#signalHandlers.add(handler);
    return () => this.#signalHandlers.delete(handler);
  }

  /** Tells the lobby we are going (so others see `peer-left` at once), then closes normally. */
  leave(): void {
    this.#sendMessage({ type: "leave" });
    this.close();
  }

  close(): void {
    this.#closingByUs = true;
    this.#socket.close(1000);
  }

  #sendMessage(message: ClientMessage): void {
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    this.#socket.send(JSON.stringify(message));
  }

  #onFrame(data: unknown): void {
    // Binary frames are reserved for the relay fallback; this client does not use it yet.
    if (typeof data !== "string") return;
    const parsed = parseServerMessage(data, MAX_FRAME_CHARS);
    if (!parsed.ok) {
      this.#handlers.onInvalidFrame(`${parsed.code}: ${parsed.detail}`);
      return;
    }
    this.#dispatch(parsed.message);
  }

  #dispatch(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        this.#handlers.onWelcome(message);
        return;
      case "peer-joined":
        this.#handlers.onPeerJoined(message.peer);
        return;
      case "peer-left":
        this.#handlers.onPeerLeft(message.peerId);
        return;
      case "signal":
        for (const handler of this.#signalHandlers) handler(message.from, message.data);
        return;
      case "error":
        this.#handlers.onServerError(message.code, message.message);
        return;
      default:
        assertNever(message);
    }
  }
}

/** Compile-time proof that every message type is handled; unreachable for validated input. */
function assertNever(value: never): never {
  throw new Error(`unhandled lobby message: ${JSON.stringify(value)}`);
}
