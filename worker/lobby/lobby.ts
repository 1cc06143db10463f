/**
 * One Durable Object per lobby. It keeps the roster and relays signaling between the lobby's
 * players. Sockets use the Hibernation API and are tagged by peer id, so relaying to one peer
 * is a tag lookup that never touches the others.
 */
import { DurableObject } from "cloudflare:workers";
import type { LobbyInfo } from "../../shared/api.ts";
import { CloseCode, ERROR_MESSAGES, ErrorCode } from "../../shared/codes.ts";
import { MAX_ERRORS_PER_SOCKET, MAX_FRAME_CHARS, MAX_PLAYERS } from "../../shared/limits.ts";
import {
  type ClientMessage,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
} from "../../shared/protocol.ts";
import type { Env } from "../env.ts";
import { apiError } from "../http.ts";
import { newPeerId } from "../ids.ts";
import { RosterStore } from "./roster-store.ts";
import { readSocketState, type SocketState, writeSocketState } from "./socket-state.ts";

type Hello = Extract<ClientMessage, { type: "hello" }>;
type Signal = Extract<ClientMessage, { type: "signal" }>;

export class Lobby extends DurableObject<Env> {
  readonly #store: RosterStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new RosterStore(ctx.storage.sql);
  }

  // ---- RPC from the worker ----

  /** Claims this object for a new lobby; false if the code is already taken. */
  create(code: string): boolean {
    return this.#store.createLobby({ code, createdAt: Date.now(), maxPlayers: MAX_PLAYERS });
  }

  info(): LobbyInfo | null {
    const lobby = this.#store.lobby();
    if (!lobby) return null;
    const players = this.#store.count();
    return {
      code: lobby.code,
      players,
      maxPlayers: lobby.maxPlayers,
      full: players >= lobby.maxPlayers,
    };
  }

  // ---- WebSocket lifecycle ----

  override fetch(request: Request): Response {
    if (!this.#store.lobby()) return apiError(404, "lobby-not-found", "No lobby with that code.");
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return apiError(426, "upgrade-required", "This endpoint speaks WebSocket only.");
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const peerId = newPeerId();
    this.ctx.acceptWebSocket(server, [peerId]);
    writeSocketState(server, { peerId, name: null, errors: 0 });
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): void {
    const state = readSocketState(ws);
    if (!state) {
      ws.close(CloseCode.TooManyErrors, "Unknown socket.");
      return;
    }
    try {
      if (typeof frame !== "string") {
        this.#reject(ws, state, ErrorCode.InvalidMessage, "binary frames are not accepted");
        return;
      }
      const parsed = parseClientMessage(frame, MAX_FRAME_CHARS);
      if (!parsed.ok) {
        this.#reject(ws, state, parsed.code, parsed.detail);
        return;
      }
      this.#dispatch(ws, state, parsed.message);
    } catch (error) {
      // Never let one bad frame take the lobby down, and never show internals to a client.
      console.error("lobby: message handler failed", error);
      this.#reject(ws, state, ErrorCode.Internal, "");
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.#depart(ws);
    // Completes the closing handshake; harmless if the runtime already did.
    try {
      ws.close(code === 1005 ? CloseCode.Normal : code, reason);
    } catch {
      // already closed
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.#depart(ws);
  }

  // ---- messages ----

  #dispatch(ws: WebSocket, state: SocketState, message: ClientMessage): void {
    switch (message.type) {
      case "hello":
        this.#hello(ws, state, message);
        return;
      case "signal":
        this.#relay(ws, state, message);
        return;
      case "leave":
        this.#depart(ws);
        ws.close(CloseCode.Normal, "Left the lobby.");
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  #hello(ws: WebSocket, state: SocketState, hello: Hello): void {
    if (state.name !== null) {
      this.#reject(ws, state, ErrorCode.AlreadyJoined, "");
      return;
    }
    if (hello.v !== PROTOCOL_VERSION) {
      ws.close(CloseCode.ProtocolVersion, `Protocol ${PROTOCOL_VERSION} required.`);
      return;
    }
    this.#pruneDeparted();
    const lobby = this.#store.lobby();
    if (!lobby || this.#store.count() >= lobby.maxPlayers) {
      ws.close(CloseCode.LobbyFull, "The lobby is full.");
      return;
    }
    const peer = { id: state.peerId, name: hello.name };
    this.#store.addPeer(peer);
    writeSocketState(ws, { ...state, name: hello.name });
    send(ws, {
      type: "welcome",
      v: PROTOCOL_VERSION,
      lobby: lobby.code,
      peerId: peer.id,
      peers: this.#store.peers(),
    });
    this.#broadcast({ type: "peer-joined", peer }, peer.id);
  }

  #relay(ws: WebSocket, state: SocketState, signal: Signal): void {
    if (state.name === null) {
      this.#reject(ws, state, ErrorCode.NotJoined, "");
      return;
    }
    const target = signal.to === state.peerId ? undefined : this.#joinedSocket(signal.to);
    if (!target) {
      this.#reject(ws, state, ErrorCode.UnknownPeer, signal.to);
      return;
    }
    send(target, { type: "signal", from: state.peerId, data: signal.data });
  }

  /** Removes the socket's peer from the roster (once) and tells the others. */
  #depart(ws: WebSocket): void {
    const state = readSocketState(ws);
    if (!state || state.name === null) return;
    writeSocketState(ws, { ...state, name: null });
    if (this.#store.removePeer(state.peerId)) {
      this.#broadcast({ type: "peer-left", peerId: state.peerId }, state.peerId);
    }
  }

  /** Drops roster rows whose socket is gone (e.g. the runtime restarted without close events). */
  #pruneDeparted(): void {
    for (const peer of this.#store.peers()) {
      if (!this.#joinedSocket(peer.id)) this.#store.removePeer(peer.id);
    }
  }

  #joinedSocket(peerId: string): WebSocket | undefined {
    return this.ctx
      .getWebSockets(peerId)
      .find((ws) => ws.readyState === WebSocket.OPEN && readSocketState(ws)?.name != null);
  }

  #broadcast(message: ServerMessage, exceptPeerId: string): void {
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      const state = readSocketState(ws);
      if (!state || state.name === null || state.peerId === exceptPeerId) continue;
      sendText(ws, text);
    }
  }

  #reject(ws: WebSocket, state: SocketState, code: ErrorCode, detail: string): void {
    const errors = state.errors + 1;
    writeSocketState(ws, { ...state, errors });
    if (errors > MAX_ERRORS_PER_SOCKET) {
      this.#depart(ws);
      ws.close(CloseCode.TooManyErrors, "Too many invalid messages.");
      return;
    }
    const message = detail ? `${ERROR_MESSAGES[code]} (${detail})` : ERROR_MESSAGES[code];
    send(ws, { type: "error", code, message });
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  sendText(ws, JSON.stringify(message));
}

/** A socket can close between lookup and send; that peer's close handler cleans up. */
function sendText(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // closed meanwhile
  }
}
