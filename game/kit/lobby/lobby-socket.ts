/**
 * One WebSocket to a lobby: says hello, validates every frame the lobby sends and hands each
 * message to its owner by kind. One socket, one life: reconnecting opens a new one
 * (see reconnecting-lobby.ts).
 */

import { assertNever } from "../../../shared/assert-never.ts";
import {
  ABNORMAL_CLOSURE,
  type CloseAdvice,
  closeAdvice,
  type ErrorCode,
} from "../../../shared/codes.ts";
import {
  type ClientMessage,
  type IceServer,
  PING_FRAME,
  PONG_FRAME,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type SignalData,
  type Welcome,
} from "../../../shared/protocol.ts";
import { decodeRelayFrame } from "../../../shared/relay-frame.ts";
import { type Platform, SOCKET_OPEN } from "../platform/platform.ts";
import { type Problem, ProblemCode } from "../problems.ts";
import { Heartbeat } from "./heartbeat.ts";
import type { LobbyEvent } from "./lobby-event.ts";

export interface LobbyClose {
  readonly code: number;
  readonly advice: CloseAdvice;
  /** True when this side asked to close (leave or dispose), so nothing went wrong. */
  readonly byUs: boolean;
}

export interface LobbySocketHandlers {
  onWelcome(welcome: Welcome): void;
  /** Roster, host, phase and chat news. */
  onEvent(event: LobbyEvent): void;
  onSignal(from: string, data: SignalData): void;
  /** A game packet another player sent us through the lobby (edge relay). */
  onRelayPacket(from: string, packet: Uint8Array): void;
  /** Fresh TURN credentials. */
  onIceServers(iceServers: readonly IceServer[], expireAt: number | null): void;
  /** The lobby rejected something we sent; the socket stays open. */
  onServerError(code: ErrorCode, message: string): void;
  /** A frame that failed validation and was ignored, or a lobby that stopped answering. */
  onProblem(problem: Problem): void;
  onClose(close: LobbyClose): void;
}

/** How often the heartbeat is asked what to do; its own timings are much longer. */
const HEARTBEAT_POLL_MS = 1000;

export class LobbySocket {
  readonly #socket: WebSocket;
  readonly #handlers: LobbySocketHandlers;
  #closingByUs = false;
  /** Set once onClose has been called: a socket ends once, however many ways it does. */
  #ended = false;
  #heartbeat: Heartbeat | null = null;
  #heartbeatTimer: ReturnType<typeof setInterval> | null = null;

  readonly #now: () => number;

  /** `resumeToken` asks for the held seat that `url` names (see LobbyApi.socketUrl). */
  constructor(
    platform: Pick<Platform, "WebSocket" | "now">,
    url: string,
    playerName: string,
    resumeToken: string | null,
    handlers: LobbySocketHandlers,
  ) {
    this.#handlers = handlers;
    this.#now = platform.now;
    this.#socket = new platform.WebSocket(url);
    // Relay frames arrive as binary frames; an ArrayBuffer reads synchronously, a Blob would not.
    this.#socket.binaryType = "arraybuffer";
    this.#socket.addEventListener("open", () => {
      this.send({
        type: "hello",
        v: PROTOCOL_VERSION,
        name: playerName,
        ...(resumeToken === null ? {} : { resume: resumeToken }),
      });
      this.#startHeartbeat();
    });
    this.#socket.addEventListener("message", (event) => this.#onFrame(event.data));
    this.#socket.addEventListener("close", (event) => this.#end(event.code));
  }

  /** Sends if the socket is open; returns whether it did. */
  send(message: ClientMessage): boolean {
    if (this.#socket.readyState !== SOCKET_OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /**
   * Sends one binary frame (an edge-relay frame) if the socket is open and has at most
   * `maxBufferedBytes` queued; returns whether it did.
   */
  sendBinary(frame: Uint8Array<ArrayBuffer>, maxBufferedBytes: number): boolean {
    const socket = this.#socket;
    if (socket.readyState !== SOCKET_OPEN || socket.bufferedAmount > maxBufferedBytes) {
      return false;
    }
    socket.send(frame);
    return true;
  }

  /**
   * Tells the lobby we are going (so others see `peer-left` at once), then closes normally;
   * returns whether `leave` went out.
   */
  leave(): boolean {
    const sent = this.send({ type: "leave" });
    this.close();
    return sent;
  }

  /** Closes without leaving: the lobby holds our seat for its grace window. */
  close(): void {
    this.#closingByUs = true;
    this.#stopHeartbeat();
    this.#socket.close(1000);
  }

  #startHeartbeat(): void {
    this.#heartbeat = new Heartbeat(this.#now());
    this.#heartbeatTimer = setInterval(() => {
      switch (this.#heartbeat?.poll(this.#now())) {
        case "ping":
          this.#socket.send(PING_FRAME);
          return;
        case "dead":
          this.#droppedSilently();
          return;
        default:
          return;
      }
    }, HEARTBEAT_POLL_MS);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer !== null) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    this.#heartbeat = null;
  }

  /**
   * The lobby stopped answering: report a dropped connection now. The browser's own close
   * event would wait for a close handshake the dead network cannot carry.
   */
  #droppedSilently(): void {
    this.#handlers.onProblem({ code: ProblemCode.LobbySilent, retry: true });
    this.#socket.close(1000);
    this.#end(ABNORMAL_CLOSURE);
  }

  #end(code: number): void {
    this.#stopHeartbeat();
    if (this.#ended) return;
    this.#ended = true;
    this.#handlers.onClose({ code, advice: closeAdvice(code), byUs: this.#closingByUs });
  }

  #onFrame(data: unknown): void {
    this.#heartbeat?.heard();
    if (data === PONG_FRAME) return;
    if (data instanceof ArrayBuffer) {
      this.#onBinaryFrame(new Uint8Array(data));
      return;
    }
    if (typeof data !== "string") return;
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this.#handlers.onProblem({
        code: ProblemCode.InvalidFrame,
        detail: `${parsed.code}: ${parsed.detail}`,
      });
      return;
    }
    this.#dispatch(parsed.message);
  }

  #onBinaryFrame(bytes: Uint8Array): void {
    const frame = decodeRelayFrame(bytes);
    if (frame === null) {
      this.#handlers.onProblem({ code: ProblemCode.InvalidFrame, detail: "not a relay frame" });
      return;
    }
    this.#handlers.onRelayPacket(frame.peerId, frame.payload);
  }

  #dispatch(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        this.#handlers.onWelcome(message);
        return;
      case "signal":
        this.#handlers.onSignal(message.from, message.data);
        return;
      case "ice-servers":
        this.#handlers.onIceServers(message.iceServers, message.iceServersExpireAt);
        return;
      case "error":
        this.#handlers.onServerError(message.code, message.message);
        return;
      case "peer-joined":
      case "peer-left":
      case "peer-disconnected":
      case "peer-reconnected":
      case "peer-ready":
      case "host-changed":
      case "phase-changed":
      case "chat":
        this.#handlers.onEvent(message);
        return;
      default:
        assertNever(message, "lobby message");
    }
  }
}
