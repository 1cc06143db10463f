/**
 * One Durable Object per lobby: settings, phase, host and roster in SQLite; players' sockets
 * through the Hibernation API, tagged by peer id so a message to one peer is a tag lookup
 * that never touches the others. No timers: grace windows, TURN refreshes and idle cleanup
 * all run from the one alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { DirectoryEntry, LobbyInfo } from "../../shared/api.ts";
import { CloseCode, ERROR_MESSAGES, ErrorCode, type LeaveReason } from "../../shared/codes.ts";
import {
  HELLO_TIMEOUT_MS,
  MAX_ERRORS_PER_SOCKET,
  MAX_FRAME_CHARS,
  MAX_PENDING_SOCKETS,
} from "../../shared/limits.ts";
import {
  type ClientMessage,
  type LobbyPhase,
  type LobbySettings,
  PING_FRAME,
  PONG_FRAME,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
} from "../../shared/protocol.ts";
import { decodeRelayFrame, encodeRelayFrame } from "../../shared/relay-frame.ts";
import { DIRECTORY_RENEW_MS, reportToDirectory } from "../directory/report.ts";
import type { Env } from "../env.ts";
import { apiError } from "../http.ts";
import { grantIceServers, type IceGrant, refreshDueAt } from "../ice/grant.ts";
import { newPeerId, newResumeToken } from "../ids.ts";
import { readSettings, type Settings } from "../settings.ts";
import { type LobbyRecord, publicInfo, RosterStore } from "./roster-store.ts";
import {
  isPending,
  limitsOf,
  readSocketState,
  type SocketState,
  writeSocketState,
} from "./socket-state.ts";

type Message<T extends ClientMessage["type"]> = Extract<ClientMessage, { type: T }>;

/** Errors that mean a client is misbehaving, not just racing the roster: these count toward a close. */
const ABUSE_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.BadJson,
  ErrorCode.InvalidMessage,
  ErrorCode.FrameTooLarge,
  ErrorCode.SdpTooLarge,
  ErrorCode.RateLimited,
  ErrorCode.NotJoined,
]);

/** Allowed phase changes, all by the host. */
const NEXT_PHASES: Readonly<Record<LobbyPhase, LobbyPhase>> = {
  waiting: "playing",
  playing: "finished",
  finished: "waiting",
};

function iceRefreshTime(grant: IceGrant, nowMs: number): number | null {
  return refreshDueAt(grant.expiresAt, grant.expiresAt === null ? 0 : grant.expiresAt - nowMs);
}

export class Lobby extends DurableObject<Env> {
  readonly #store: RosterStore;
  readonly #settings: Settings;
  /** Sockets whose `hello` is waiting for TURN credentials: a second hello must not slip in. */
  readonly #joining = new WeakSet<WebSocket>();
  #directoryReports: Promise<void> = Promise.resolve();
  #lastDirectoryReport = "";

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new RosterStore(ctx.storage.sql);
    this.#settings = readSettings(env);
    // Heartbeats are answered by the runtime itself: a ping never wakes a hibernating lobby.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // ---- RPC from the worker ----

  /** Claims this object for a new lobby; false if the code is already taken. */
  create(code: string, settings: LobbySettings): boolean {
    if (!this.#store.createLobby(code, settings, Date.now())) return false;
    this.#afterChange();
    return true;
  }

  info(): LobbyInfo | null {
    const lobby = this.#store.lobby();
    if (!lobby) return null;
    const players = this.#store.count();
    return {
      code: lobby.code,
      name: lobby.settings.name,
      mode: lobby.settings.mode,
      visibility: lobby.settings.visibility,
      phase: lobby.phase,
      players,
      maxPlayers: lobby.settings.maxPlayers,
      full: players >= lobby.settings.maxPlayers,
    };
  }

  /** `POST /api/lobbies/:code/leave`: the seat holding this token leaves, as with `leave`. */
  leaveByToken(resumeToken: string): "left" | "no-lobby" | "no-seat" {
    if (!this.#store.lobby()) return "no-lobby";
    const seat = this.#store.seatByToken(resumeToken);
    if (!seat) return "no-seat";
    // A socket may still speak for the seat (its player's network is half up): end it too.
    for (const ws of this.ctx.getWebSockets(seat.id)) {
      this.#retire(ws, CloseCode.Normal, "Left the lobby.");
    }
    this.#removeSeat(seat.id, "left");
    return "left";
  }

  // ---- sockets ----

  override fetch(request: Request): Response {
    if (!this.#store.lobby()) return apiError(404, "lobby-not-found", "No lobby with that code.");
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return apiError(426, "upgrade-required", "This endpoint speaks WebSocket only.");
    }
    const token = new URL(request.url).searchParams.get("resume");
    const seat = token === null ? null : this.#store.seatByToken(token);
    const pending = this.ctx.getWebSockets().filter((ws) => isPending(readSocketState(ws))).length;
    const { 0: client, 1: server } = new WebSocketPair();
    const peerId = seat?.id ?? newPeerId();
    this.ctx.acceptWebSocket(server, [peerId]);
    writeSocketState(server, {
      peerId,
      joined: false,
      resuming: seat !== null,
      retired: false,
      errors: 0,
      helloBy: Date.now() + HELLO_TIMEOUT_MS,
    });
    // Refusals still upgrade: only a close code can tell a browser why.
    if (pending >= MAX_PENDING_SOCKETS) {
      this.#retire(server, CloseCode.TryAgainLater, "Too many players are joining at once.");
    } else if (token !== null && seat === null) {
      const kicked = this.#store.isRevoked(token);
      this.#retire(
        server,
        kicked ? CloseCode.Kicked : CloseCode.SeatExpired,
        kicked ? "Removed by the host." : "That seat is no longer held.",
      );
    }
    this.#scheduleAlarm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const state = readSocketState(ws);
    if (!state) {
      ws.close(CloseCode.TooManyErrors, "Unknown socket.");
      return;
    }
    if (state.retired) return;
    try {
      const now = Date.now();
      if (typeof frame !== "string") {
        this.#relayPacket(ws, state, frame, now);
        return;
      }
      const withinLimit = limitsOf(ws, this.#settings.socketFrameLimit, now).frames.take(now);
      const parsed = parseClientMessage(frame, MAX_FRAME_CHARS);
      if (!withinLimit) {
        // A player with 7 peers legitimately bursts ICE candidates past the bucket: dropping
        // those frames is enough. Only other frames over the limit count as abuse.
        const signal = parsed.ok && parsed.message.type === "signal";
        this.#reject(ws, state, ErrorCode.RateLimited, "", !signal);
        return;
      }
      if (!parsed.ok) {
        this.#reject(ws, state, parsed.code, parsed.detail);
        return;
      }
      await this.#dispatch(ws, state, parsed.message);
    } catch (error) {
      // Never let one frame take the lobby down, and never show internals to a client.
      console.error("lobby: message handler failed", error);
      this.#reject(ws, state, ErrorCode.Internal, "");
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.#disconnected(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? CloseCode.Normal : code, reason);
    } catch {
      // already closed
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.#disconnected(ws);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const seat of this.#store.expiredSeats(now)) this.#removeSeat(seat.id, "timed-out");
    for (const seat of this.#store.iceRefreshDue(now)) await this.#refreshIceServers(seat.id);
    for (const ws of this.ctx.getWebSockets()) {
      const state = readSocketState(ws);
      if (isPending(state) && state.helloBy <= now) {
        this.#retire(ws, CloseCode.HelloTimeout, "No hello in time.");
      }
    }
    const lobby = this.#store.lobby();
    const renewAt = lobby?.directoryRenewAt ?? null;
    if (renewAt !== null && renewAt <= now) this.#reportListing(true);
    const idleSince = lobby?.emptySince ?? null;
    if (
      idleSince !== null &&
      now >= idleSince + this.#settings.idleLobbyTtlMs &&
      this.#store.count() === 0
    ) {
      await this.#deleteLobby();
      return;
    }
    this.#scheduleAlarm();
  }

  // ---- messages ----

  async #dispatch(ws: WebSocket, state: SocketState, message: ClientMessage): Promise<void> {
    if (message.type === "hello") {
      await this.#hello(ws, state, message);
      return;
    }
    if (!state.joined) {
      this.#reject(ws, state, ErrorCode.NotJoined, "");
      return;
    }
    switch (message.type) {
      case "signal":
        this.#relay(ws, state, message);
        return;
      case "leave":
        this.#retire(ws, CloseCode.Normal, "Left the lobby.");
        this.#removeSeat(state.peerId, "left");
        return;
      case "set-ready":
        this.#setReady(ws, state, message);
        return;
      case "set-phase":
        this.#setPhase(ws, state, message);
        return;
      case "kick":
        this.#kick(ws, state, message);
        return;
      case "chat":
        this.#chat(ws, state, message);
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  async #hello(ws: WebSocket, state: SocketState, hello: Message<"hello">): Promise<void> {
    if (state.joined || this.#joining.has(ws)) {
      this.#reject(ws, state, ErrorCode.AlreadyJoined, "");
      return;
    }
    if (hello.v !== PROTOCOL_VERSION) {
      this.#retire(ws, CloseCode.ProtocolVersion, `Protocol ${PROTOCOL_VERSION} required.`);
      return;
    }
    this.#joining.add(ws);
    let grant: IceGrant;
    try {
      grant = await grantIceServers(this.env, state.peerId, Date.now());
    } finally {
      this.#joining.delete(ws);
    }
    // Other events ran while we waited: look at everything afresh.
    if (ws.readyState !== WebSocket.OPEN) return;
    const lobby = this.#store.lobby();
    if (!lobby) {
      this.#retire(ws, CloseCode.LobbyClosed, "The lobby has closed.");
      return;
    }
    if (state.resuming) this.#resumeSeat(ws, state, grant);
    else this.#takeNewSeat(ws, state, hello.name, grant, lobby);
  }

  #takeNewSeat(
    ws: WebSocket,
    state: SocketState,
    name: string,
    grant: IceGrant,
    lobby: LobbyRecord,
  ): void {
    if (this.#store.count() >= lobby.settings.maxPlayers) {
      this.#retire(ws, CloseCode.LobbyFull, "The lobby is full.");
      return;
    }
    const seat = this.#store.addSeat(state.peerId, name, newResumeToken());
    this.#seatTaken(ws, state, grant);
    this.#broadcast({ type: "peer-joined", peer: publicInfo(seat) }, seat.id);
    this.#welcome(ws, seat.id, seat.resumeToken, false, grant);
    this.#afterChange();
  }

  #resumeSeat(ws: WebSocket, state: SocketState, grant: IceGrant): void {
    const seat = this.#store.seat(state.peerId);
    if (!seat) {
      this.#retire(ws, CloseCode.SeatExpired, "That seat is no longer held.");
      return;
    }
    // An older socket (a connection that died quietly, or another tab) spoke for this seat.
    for (const other of this.ctx.getWebSockets(seat.id)) {
      if (other !== ws) this.#retire(other, CloseCode.Replaced, "This seat was opened elsewhere.");
    }
    this.#store.markConnected(seat.id);
    this.#seatTaken(ws, state, grant);
    this.#broadcast({ type: "peer-reconnected", peerId: seat.id }, seat.id);
    this.#welcome(ws, seat.id, seat.resumeToken, true, grant);
    this.#afterChange();
  }

  #seatTaken(ws: WebSocket, state: SocketState, grant: IceGrant): void {
    writeSocketState(ws, { ...state, joined: true });
    this.#store.setIceRefreshAt(state.peerId, iceRefreshTime(grant, Date.now()));
    this.#store.setEmptySince(null);
    this.#electHost(state.peerId);
  }

  #welcome(
    ws: WebSocket,
    peerId: string,
    resumeToken: string,
    resumed: boolean,
    grant: IceGrant,
  ): void {
    const lobby = this.#store.lobby();
    if (!lobby?.hostId) return;
    send(ws, {
      type: "welcome",
      v: PROTOCOL_VERSION,
      lobby: lobby.code,
      settings: lobby.settings,
      phase: lobby.phase,
      peerId,
      resumeToken,
      resumed,
      graceMs: this.#settings.reconnectGraceMs,
      hostId: lobby.hostId,
      hostEpoch: lobby.hostEpoch,
      peers: this.#store.seats().map(publicInfo),
      iceServers: grant.iceServers,
      iceServersExpireAt: grant.expiresAt,
    });
  }

  #relay(ws: WebSocket, state: SocketState, signal: Message<"signal">): void {
    const target = signal.to === state.peerId ? undefined : this.#joinedSocket(signal.to);
    if (!target) {
      this.#reject(ws, state, ErrorCode.UnknownPeer, signal.to);
      return;
    }
    send(target, { type: "signal", from: state.peerId, data: signal.data });
  }

  /**
   * Edge relay: a game packet for a peer this player cannot reach directly. Packets over the
   * relay budget, or for a peer that just left, are dropped like any lost packet: no error.
   */
  #relayPacket(ws: WebSocket, state: SocketState, frame: ArrayBuffer, nowMs: number): void {
    if (!state.joined) {
      this.#reject(ws, state, ErrorCode.NotJoined, "");
      return;
    }
    if (!limitsOf(ws, this.#settings.socketFrameLimit, nowMs).relay.take(nowMs)) return;
    const relay = decodeRelayFrame(new Uint8Array(frame));
    if (!relay) {
      this.#reject(ws, state, ErrorCode.InvalidMessage, "not a relay frame");
      return;
    }
    const target = relay.peerId === state.peerId ? undefined : this.#joinedSocket(relay.peerId);
    if (!target) return;
    try {
      target.send(encodeRelayFrame(state.peerId, relay.payload));
    } catch {
      // closed meanwhile: a lost packet
    }
  }

  #setReady(ws: WebSocket, state: SocketState, message: Message<"set-ready">): void {
    if (this.#store.lobby()?.phase !== "waiting") {
      this.#reject(ws, state, ErrorCode.WrongPhase, "ready only counts while waiting");
      return;
    }
    this.#store.setReady(state.peerId, message.ready);
    this.#broadcast({ type: "peer-ready", peerId: state.peerId, ready: message.ready }, null);
  }

  #setPhase(ws: WebSocket, state: SocketState, message: Message<"set-phase">): void {
    const lobby = this.#store.lobby();
    if (!lobby) return;
    if (lobby.hostId !== state.peerId) {
      this.#reject(ws, state, ErrorCode.NotHost, "");
      return;
    }
    if (NEXT_PHASES[lobby.phase] !== message.phase) {
      this.#reject(
        ws,
        state,
        ErrorCode.WrongPhase,
        `${lobby.phase} cannot become ${message.phase}`,
      );
      return;
    }
    if (message.phase === "playing") {
      const waitingFor = this.#store
        .seats()
        .filter((seat) => seat.id !== state.peerId && seat.connected && !seat.ready);
      if (waitingFor.length > 0) {
        this.#reject(ws, state, ErrorCode.NotReady, waitingFor.map((seat) => seat.name).join(", "));
        return;
      }
    }
    // Ready flags describe the next round: reopening starts everyone unready.
    if (message.phase === "waiting") this.#store.clearReady();
    this.#store.setPhase(message.phase);
    this.#broadcast({ type: "phase-changed", phase: message.phase }, null);
    this.#afterChange();
  }

  #kick(ws: WebSocket, state: SocketState, message: Message<"kick">): void {
    if (this.#store.lobby()?.hostId !== state.peerId) {
      this.#reject(ws, state, ErrorCode.NotHost, "");
      return;
    }
    const seat = message.peerId === state.peerId ? null : this.#store.seat(message.peerId);
    if (!seat) {
      this.#reject(ws, state, ErrorCode.UnknownPeer, message.peerId);
      return;
    }
    this.#store.revokeToken(seat.resumeToken);
    for (const target of this.ctx.getWebSockets(seat.id)) {
      this.#retire(target, CloseCode.Kicked, "Removed by the host.");
    }
    this.#removeSeat(seat.id, "kicked");
  }

  #chat(ws: WebSocket, state: SocketState, message: Message<"chat">): void {
    const now = Date.now();
    if (!limitsOf(ws, this.#settings.socketFrameLimit, now).chat.take(now)) {
      const code = ErrorCode.ChatTooFast;
      send(ws, { type: "error", code, message: ERROR_MESSAGES[code] });
      return;
    }
    this.#broadcast({ type: "chat", from: state.peerId, text: message.text, at: now }, null);
  }

  // ---- roster ----

  /** A socket went away without `leave`: hold its seat for the grace window. */
  #disconnected(ws: WebSocket): void {
    const state = readSocketState(ws);
    if (!state || state.retired || !state.joined) return;
    writeSocketState(ws, { ...state, retired: true });
    if (!this.#store.seat(state.peerId)) return;
    this.#store.markDisconnected(state.peerId, Date.now() + this.#settings.reconnectGraceMs);
    this.#broadcast({ type: "peer-disconnected", peerId: state.peerId }, state.peerId);
    this.#afterChange();
  }

  #removeSeat(peerId: string, reason: LeaveReason): void {
    if (!this.#store.removeSeat(peerId)) return;
    this.#broadcast({ type: "peer-left", peerId, reason }, peerId);
    this.#electHost(null);
    if (this.#store.count() === 0) this.#store.setEmptySince(Date.now());
    this.#afterChange();
  }

  /** The host is the earliest-joined player still holding a seat; tells others when that changes. */
  #electHost(exceptPeerId: string | null): void {
    const lobby = this.#store.lobby();
    if (!lobby) return;
    const hostId = this.#store.seats()[0]?.id ?? null;
    if (hostId === lobby.hostId) return;
    if (hostId === null) {
      this.#store.setHost(null, lobby.hostEpoch);
      return;
    }
    const hostEpoch = lobby.hostEpoch + 1;
    this.#store.setHost(hostId, hostEpoch);
    this.#broadcast({ type: "host-changed", hostId, hostEpoch }, exceptPeerId);
  }

  async #refreshIceServers(peerId: string): Promise<void> {
    const grant = await grantIceServers(this.env, peerId, Date.now());
    this.#store.setIceRefreshAt(peerId, iceRefreshTime(grant, Date.now()));
    const ws = this.#joinedSocket(peerId);
    if (ws) {
      send(ws, {
        type: "ice-servers",
        iceServers: grant.iceServers,
        iceServersExpireAt: grant.expiresAt,
      });
    }
  }

  /** Deletes an idle lobby: its code stops resolving and its storage is gone. */
  async #deleteLobby(): Promise<void> {
    const lobby = this.#store.lobby();
    for (const ws of this.ctx.getWebSockets())
      this.#retire(ws, CloseCode.LobbyClosed, "The lobby has closed.");
    if (lobby) this.#queueDirectoryReport(lobby.code, null);
    await this.#directoryReports;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#store.ensureSchema();
  }

  #afterChange(): void {
    this.#reportListing(false);
    this.#scheduleAlarm();
  }

  /**
   * A public lobby reports what a lister sees whenever it changes, and renews its entry (a
   * lease) every DIRECTORY_RENEW_MS even when nothing changed.
   */
  #reportListing(renew: boolean): void {
    const lobby = this.#store.lobby();
    if (lobby?.settings.visibility !== "public") return;
    if (renew) this.#lastDirectoryReport = "";
    this.#queueDirectoryReport(lobby.code, {
      code: lobby.code,
      name: lobby.settings.name,
      mode: lobby.settings.mode,
      phase: lobby.phase,
      players: this.#store.count(),
      maxPlayers: lobby.settings.maxPlayers,
      updatedAt: Date.now(),
    });
  }

  /** Reports go out one at a time, in order, and only when something a lister sees changed. */
  #queueDirectoryReport(code: string, entry: DirectoryEntry | null): void {
    const key = entry ? `${entry.players}/${entry.phase}` : "removed";
    if (key === this.#lastDirectoryReport) return;
    this.#lastDirectoryReport = key;
    // The lease is renewed by reports actually sent, not by changes a lister cannot see.
    this.#store.setDirectoryRenewAt(entry ? Date.now() + DIRECTORY_RENEW_MS : null);
    this.#directoryReports = this.#directoryReports.then(() =>
      reportToDirectory(this.env, code, entry),
    );
  }

  #scheduleAlarm(): void {
    const lobby = this.#store.lobby();
    const idleDeadline =
      lobby?.emptySince != null ? lobby.emptySince + this.#settings.idleLobbyTtlMs : null;
    const helloDeadlines = this.ctx
      .getWebSockets()
      .map(readSocketState)
      .filter(isPending)
      .map((state) => state.helloBy);
    const deadlines = [
      idleDeadline,
      this.#store.nextRosterDeadline(),
      lobby?.directoryRenewAt ?? null,
      ...helloDeadlines,
    ].filter((t): t is number => t !== null);
    if (deadlines.length === 0) void this.ctx.storage.deleteAlarm();
    else void this.ctx.storage.setAlarm(Math.min(...deadlines));
  }

  // ---- sockets ----

  #joinedSocket(peerId: string): WebSocket | undefined {
    return this.ctx.getWebSockets(peerId).find((ws) => {
      const state = readSocketState(ws);
      return ws.readyState === WebSocket.OPEN && state?.joined === true && !state.retired;
    });
  }

  #broadcast(message: ServerMessage, exceptPeerId: string | null): void {
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      const state = readSocketState(ws);
      if (!state?.joined || state.retired || state.peerId === exceptPeerId) continue;
      sendText(ws, text);
    }
  }

  /** Closes a socket on purpose: its close event must not look like a dropped connection. */
  #retire(ws: WebSocket, code: CloseCode, reason: string): void {
    const state = readSocketState(ws);
    if (state) writeSocketState(ws, { ...state, retired: true });
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  #reject(
    ws: WebSocket,
    state: SocketState,
    code: ErrorCode,
    detail: string,
    countsAsAbuse = ABUSE_ERRORS.has(code),
  ): void {
    if (countsAsAbuse) {
      const errors = state.errors + 1;
      writeSocketState(ws, { ...state, errors });
      if (errors > MAX_ERRORS_PER_SOCKET) {
        this.#retire(ws, CloseCode.TooManyErrors, "Too many invalid messages.");
        if (state.joined) this.#removeSeat(state.peerId, "errors");
        return;
      }
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
