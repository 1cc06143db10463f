/**
 * One Durable Object per lobby: settings, phase, host and roster in SQLite; players' sockets
 * through the Hibernation API, tagged by peer id so a message to one peer is a tag lookup
 * that never touches the others. No timers: grace windows, TURN refreshes, hello deadlines
 * and idle cleanup all run from the one alarm.
 *
 * What one client can cost the others is bounded at each door: upgrades per address (the
 * worker), sockets waiting for `welcome` per lobby and per address, seats per address in
 * public lobbies, one frame size, token buckets per socket with a flood budget behind them,
 * and a backlog per recipient that closes a socket which stopped reading.
 */
import { DurableObject } from "cloudflare:workers";
import * as v from "valibot";
import { ApiErrorCode, type DirectoryEntry, type LobbyStatus } from "../../shared/api.ts";
import { assertNever } from "../../shared/assert-never.ts";
import {
  CloseCode,
  COUNTED_ERRORS,
  ERROR_MESSAGES,
  ErrorCode,
  type LeaveReason,
} from "../../shared/codes.ts";
import { isRecord } from "../../shared/guards.ts";
import {
  HELLO_TIMEOUT_MS,
  MAX_ERRORS_PER_SOCKET,
  MAX_FRAME_CHARS,
  MAX_SOCKET_BACKLOG_BYTES,
  maxPublicSeatsPerAddress,
  RELAY_BACKLOG_BYTES,
} from "../../shared/limits.ts";
import {
  type ClientMessage,
  type LobbyPhase,
  type LobbySettings,
  PeerIdSchema,
  PING_FRAME,
  PONG_FRAME,
  PROTOCOL_VERSION,
  parseClientMessage,
  RESUME_PEER_PARAM,
  type ServerMessage,
} from "../../shared/protocol.ts";
import { decodeRelayFrame, MAX_RELAY_FRAME_BYTES } from "../../shared/relay-frame.ts";
import { TokenBucket } from "../../shared/token-bucket.ts";
import { clientAddress } from "../client-address.ts";
import { DIRECTORY_RENEW_MS, reportToDirectory } from "../directory/report.ts";
import type { Env } from "../env.ts";
import { apiError, NO_SUCH_LOBBY, refusedSocket } from "../http.ts";
import type { IceGrant } from "../ice/grant.ts";
import { mintSeatGrant, type SeatGrant } from "../ice/seat-grant.ts";
import { newPeerId, newResumeToken } from "../ids.ts";
import { readSettings, type Settings } from "../settings.ts";
import { admitPending } from "./admission.ts";
import { freeColorSlot } from "./color-slot.ts";
import { plainErrorText, readdressRelayFrame } from "./relay-path.ts";
import {
  holdsToken,
  type LobbyRecord,
  publicInfo,
  RosterStore,
  type Seat,
} from "./roster-store.ts";
import { SeatBudgets } from "./seat-budget.ts";
import {
  isPending,
  limitsOf,
  readSocketState,
  type SocketState,
  signalBytesTo,
  updateSocketState,
  writeSocketState,
} from "./socket-state.ts";
import { nameKey, uniqueName } from "./unique-name.ts";

type Message<T extends ClientMessage["type"]> = Extract<ClientMessage, { type: T }>;

/** Allowed phase changes, all by the host. */
const NEXT_PHASES: Readonly<Record<LobbyPhase, LobbyPhase>> = {
  waiting: "playing",
  playing: "finished",
  finished: "waiting",
};

/** The ICE servers a hello is answered with, and whether they were minted for it. */
interface Grant extends SeatGrant {
  readonly minted: boolean;
}

/** A socket whose `hello` is being answered (while TURN credentials are minted). */
interface Joining {
  /** A new seat (counts toward the lobby's capacity) rather than a held one taken back. */
  readonly fresh: boolean;
  readonly address: string;
}

export class Lobby extends DurableObject<Env> {
  readonly #store: RosterStore;
  readonly #settings: Settings;
  /** Sockets whose `hello` is being answered: they hold a place until it is. */
  readonly #joining = new Map<WebSocket, Joining>();
  /**
   * ICE servers being minted for a socket that has not said `hello` yet: started on the upgrade,
   * so a TURN API round trip runs while the client opens the socket and sends its hello.
   */
  readonly #earlyGrants = new WeakMap<WebSocket, Promise<SeatGrant>>();
  readonly #seatBudgets = new SeatBudgets();
  /** Frames from all sockets together (LOBBY_FRAME_LIMIT): past it, frames are shed. */
  readonly #frameBudget: TokenBucket;
  #directoryReports: Promise<void> = Promise.resolve();
  /** When the stored alarm fires; unknown after a restart, so the first schedule writes it. */
  #alarmAt: number | null = null;
  #lastDirectoryReport = "";

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new RosterStore(ctx.storage.sql);
    this.#settings = readSettings(env);
    this.#frameBudget = new TokenBucket(this.#settings.lobbyFrameLimit, Date.now());
    // Heartbeats are answered by the runtime itself: a ping never wakes a hibernating lobby.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    // Before anything is served (the constructor runs before any event, and this is synchronous):
    // seats whose sockets did not survive a restart get the grace window.
    try {
      this.#reconcileSeats();
    } catch (error) {
      console.error("lobby: reconciling seats failed", error);
    }
  }

  // ---- RPC from the worker ----

  /** Claims this object for a new lobby; false if the code is already taken. */
  create(code: string, settings: LobbySettings): boolean {
    if (!this.#store.createLobby(code, settings, Date.now())) return false;
    this.#afterChange();
    return true;
  }

  info(): LobbyStatus | null {
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

  /**
   * What this lobby shows in the public directory now; null when it is not listed: private,
   * deleted, or nobody connected (a lobby everyone left, or that nobody has joined yet). The
   * directory's copy can be seconds old; quick-join asks here before it sends anyone.
   */
  listing(): DirectoryEntry | null {
    const lobby = this.#store.lobby();
    if (lobby?.settings.visibility !== "public" || this.#store.connectedCount() === 0) return null;
    return {
      code: lobby.code,
      name: lobby.settings.name,
      mode: lobby.settings.mode,
      phase: lobby.phase,
      players: this.#store.count(),
      maxPlayers: lobby.settings.maxPlayers,
      updatedAt: Date.now(),
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
    const upgrade = request.headers.get("Upgrade")?.toLowerCase() === "websocket";
    if (!this.#store.lobby()) {
      // The socket itself says so: a client need not look the lobby up before every join.
      if (upgrade) return refusedSocket(CloseCode.LobbyNotFound, NO_SUCH_LOBBY);
      return apiError(404, ApiErrorCode.LobbyNotFound, NO_SUCH_LOBBY);
    }
    if (!upgrade) {
      return apiError(426, ApiErrorCode.UpgradeRequired, "This endpoint speaks WebSocket only.");
    }
    const address = clientAddress(request);
    const wanted = new URL(request.url).searchParams.get(RESUME_PEER_PARAM);
    const { 0: client, 1: server } = new WebSocketPair();
    const now = Date.now();
    const admission = admitPending(this.#pendingSockets(), address);
    const peerId = wanted !== null && v.is(PeerIdSchema, wanted) ? wanted : newPeerId();
    this.ctx.acceptWebSocket(server, [peerId]);
    writeSocketState(server, {
      peerId,
      address,
      joined: false,
      resuming: wanted !== null,
      retired: false,
      helloBy: now + HELLO_TIMEOUT_MS,
    });
    // Refusals still upgrade: only a close code can tell a browser why.
    if (admission.kind === "refuse") {
      const reason =
        admission.reason === "address-busy"
          ? "Too many sockets from your address are joining this lobby."
          : "Too many players are joining at once.";
      this.#retire(server, CloseCode.TryAgainLater, reason);
    } else if (wanted !== null && !this.#store.seat(peerId)) {
      this.#refuseUnknownSeat(server, peerId);
    } else {
      if (admission.kind === "admit-displacing") {
        this.#retire(
          admission.socket,
          CloseCode.TryAgainLater,
          "Too many players are joining at once.",
        );
      }
      if (wanted === null) this.#mintEarly(server, peerId, address, now);
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
      // The runtime has read the frame whole already; refuse to be sent another.
      const oversized = oversizeReason(frame);
      if (oversized !== null) {
        this.#closeForAbuse(ws, state, CloseCode.MessageTooBig, oversized);
        return;
      }
      if (!state.joined) {
        await this.#beforeWelcome(ws, state, frame);
        return;
      }
      const now = Date.now();
      if (typeof frame !== "string") {
        this.#relayPacket(ws, state, frame, now);
        return;
      }
      if (!limitsOf(ws, this.#settings, now).frames.take(now)) {
        this.#overLimit(ws, state, now);
        return;
      }
      if (!this.#frameBudget.take(now)) {
        this.#shed(ws);
        return;
      }
      const parsed = parseClientMessage(frame);
      if (!parsed.ok) {
        this.#reject(ws, state, parsed.code, parsed.detail);
        return;
      }
      this.#dispatch(ws, state, parsed.message);
    } catch (error) {
      // Never let one frame take the lobby down, and never show internals to a client.
      console.error("lobby: message handler failed", error);
      if (readSocketState(ws)?.joined) this.#reject(ws, state, ErrorCode.Internal, "");
      // Before welcome, every error ends the socket (section 4.2), this one included.
      else this.#retire(ws, CloseCode.TryAgainLater, "The lobby hit an error; try again.");
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.#disconnected(ws);
    try {
      // Echo what may be sent back; 1005, 1006, 1015 and unassigned codes may not be.
      ws.close(isSendableCloseCode(code) ? code : CloseCode.Normal, reason);
    } catch {
      // already closed
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.#disconnected(ws);
  }

  /** A version the lobby does not speak: the client must be updated. */
  #refuseVersion(ws: WebSocket): void {
    this.#retire(ws, CloseCode.ProtocolVersion, `Protocol ${PROTOCOL_VERSION} required.`);
  }

  override async alarm(): Promise<void> {
    // A fired alarm is gone: the schedule at the end sets the next one.
    this.#alarmAt = null;
    const now = Date.now();
    for (const seat of this.#store.expiredSeats(now)) this.#removeSeat(seat.id, "timed-out");
    for (const seat of this.#store.iceRefreshDue(now)) await this.#refreshIceServers(seat);
    for (const ws of this.ctx.getWebSockets()) {
      const state = readSocketState(ws);
      // A hello being answered (TURN can take seconds) arrived in time.
      if (isPending(state) && state.helloBy <= now && !this.#joining.has(ws)) {
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

  // ---- joining ----

  /**
   * Until `welcome`, a socket may send one frame: `hello`. Anything else (another frame while
   * the hello is answered, a malformed hello, a binary frame) gets its error and a close: a
   * socket without a seat has nothing to lose and no second chance to waste the lobby's time.
   */
  async #beforeWelcome(
    ws: WebSocket,
    state: SocketState,
    frame: string | ArrayBuffer,
  ): Promise<void> {
    if (typeof frame !== "string" || this.#joining.has(ws)) {
      this.#refuseBeforeWelcome(ws, ErrorCode.NotJoined, "");
      return;
    }
    const parsed = parseClientMessage(frame);
    if (!parsed.ok) {
      // A newer client's hello may not fit this version's schema: it must hear "out of date".
      if (isHelloOfAnotherVersion(frame)) {
        this.#refuseVersion(ws);
      } else {
        this.#refuseBeforeWelcome(ws, parsed.code, parsed.detail);
      }
      return;
    }
    if (parsed.message.type !== "hello") {
      this.#refuseBeforeWelcome(ws, ErrorCode.NotJoined, "");
      return;
    }
    await this.#hello(ws, state, parsed.message);
  }

  #refuseBeforeWelcome(ws: WebSocket, code: ErrorCode, detail: string): void {
    this.#send(ws, errorFrame(code, detail));
    this.#retire(ws, CloseCode.TooManyErrors, "Send hello, and nothing else until welcome.");
  }

  async #hello(ws: WebSocket, state: SocketState, hello: Message<"hello">): Promise<void> {
    if (hello.v !== PROTOCOL_VERSION) {
      this.#refuseVersion(ws);
      return;
    }
    if (state.resuming !== (hello.resume !== undefined)) {
      const detail = state.resuming
        ? "resume: a socket opened with ?peer= must send that seat's token"
        : "resume: open the socket with ?peer=PEER_ID to take a seat back";
      this.#refuseBeforeWelcome(ws, ErrorCode.InvalidMessage, detail);
      return;
    }
    const lobby = this.#store.lobby();
    if (!lobby) {
      this.#retire(ws, CloseCode.LobbyClosed, "The lobby has closed.");
      return;
    }
    const seat = hello.resume === undefined ? null : this.#heldSeat(ws, state, hello.resume);
    if (hello.resume !== undefined && !seat) return;
    // Every resume is news to everyone else: a seat may not come and go as fast as it likes.
    const now = Date.now();
    if (seat && !this.#seatBudgets.of(seat.id, now).resumes.take(now)) {
      this.#retire(ws, CloseCode.TryAgainLater, "Too many reconnections; wait a few seconds.");
      return;
    }
    if (!seat) {
      if (this.#refusedAsBarred(ws, state.address, hello.name)) return;
      if (!this.#roomForNewSeat(ws, state.address, lobby)) return;
    }

    this.#joining.set(ws, { fresh: seat === null, address: state.address });
    let grant: Grant;
    try {
      grant = await this.#grantFor(ws, seat, state);
    } finally {
      this.#joining.delete(ws);
    }
    // Other events ran while we waited: look at everything afresh.
    const current = readSocketState(ws);
    if (ws.readyState !== WebSocket.OPEN || !current || current.retired) return;
    if (!this.#store.lobby()) {
      this.#retire(ws, CloseCode.LobbyClosed, "The lobby has closed.");
      return;
    }
    if (hello.resume === undefined) {
      this.#takeNewSeat(ws, current, hello.name, grant);
      return;
    }
    const stillHeld = this.#heldSeat(ws, current, hello.resume);
    if (stillHeld) this.#resumeSeat(ws, current, stillHeld, hello.resume, grant);
  }

  /** The seat this socket asked for, if the token opens it; otherwise the socket is closed. */
  #heldSeat(ws: WebSocket, state: SocketState, token: string): Seat | null {
    const seat = this.#store.seat(state.peerId);
    if (seat && holdsToken(seat, token, Date.now())) return seat;
    this.#refuseUnknownSeat(ws, state.peerId);
    return null;
  }

  #refuseUnknownSeat(ws: WebSocket, peerId: string): void {
    if (this.#store.wasKicked(peerId)) this.#retire(ws, CloseCode.Kicked, "Removed by the host.");
    else this.#retire(ws, CloseCode.SeatExpired, "That seat is no longer held.");
  }

  /**
   * A fresh join from an address or under a name the host barred by a kick is refused like the
   * kicked socket was (4003). The name counts as asked for and as it would be numbered.
   */
  #refusedAsBarred(ws: WebSocket, address: string, name: string): boolean {
    const given = uniqueName(name, this.#store.heldNamesAndColors().names);
    if (!this.#store.barsJoin(address, [nameKey(name), nameKey(given)])) return false;
    this.#retire(ws, CloseCode.Kicked, "Removed by the host.");
    return true;
  }

  /** Capacity for one more seat, counting the new seats still being answered. */
  #roomForNewSeat(ws: WebSocket, address: string, lobby: LobbyRecord): boolean {
    const joining = [...this.#joining.values()].filter((join) => join.fresh);
    if (this.#store.count() + joining.length >= lobby.settings.maxPlayers) {
      this.#retire(ws, CloseCode.LobbyFull, "The lobby is full.");
      return false;
    }
    if (lobby.settings.visibility !== "public") return true;
    const fromAddress =
      this.#store.countFromAddress(address) +
      joining.filter((join) => join.address === address).length;
    if (fromAddress >= maxPublicSeatsPerAddress(lobby.settings.maxPlayers)) {
      this.#retire(
        ws,
        CloseCode.AddressLimit,
        "Too many seats of this public lobby are held from your address.",
      );
      return false;
    }
    return true;
  }

  /**
   * Starts minting a new player's ICE servers as their socket opens, if the lobby has a seat
   * for them (a full lobby's refusals spend none of an address's TURN budget). A socket that
   * goes before its hello wastes one grant, as a hello refused later would.
   */
  #mintEarly(ws: WebSocket, peerId: string, address: string, nowMs: number): void {
    const lobby = this.#store.lobby();
    if (!lobby || this.#store.count() + this.#joining.size >= lobby.settings.maxPlayers) return;
    const minting = mintSeatGrant(this.env, peerId, address, nowMs);
    // Awaited by the hello; until then a failure must not surface as an unhandled rejection.
    minting.catch(() => undefined);
    this.#earlyGrants.set(ws, minting);
  }

  /**
   * A resumed seat keeps its ICE servers while they are fresh; a new one takes what was minted
   * as its socket opened; everything else is minted now.
   */
  async #grantFor(ws: WebSocket, seat: Seat | null, state: SocketState): Promise<Grant> {
    const now = Date.now();
    if (seat?.iceGrant && (seat.iceRefreshAt === null || seat.iceRefreshAt > now)) {
      return { grant: seat.iceGrant, refreshAt: seat.iceRefreshAt, minted: false };
    }
    const early = this.#earlyGrants.get(ws);
    this.#earlyGrants.delete(ws);
    const minted = await (early ?? mintSeatGrant(this.env, state.peerId, state.address, now));
    return { ...minted, minted: true };
  }

  #takeNewSeat(ws: WebSocket, state: SocketState, name: string, grant: Grant): void {
    const lobby = this.#store.lobby();
    if (!lobby || this.#store.count() >= lobby.settings.maxPlayers) {
      this.#retire(ws, CloseCode.LobbyFull, "The lobby is full.");
      return;
    }
    // A kick may have barred this player while their credentials were minted.
    if (this.#refusedAsBarred(ws, state.address, name)) return;
    const held = this.#store.heldNamesAndColors();
    const seat = this.#store.addSeat(
      state.peerId,
      uniqueName(name, held.names),
      freeColorSlot(held.colors),
      state.address,
      newResumeToken(),
    );
    this.#store.setIceGrant(seat.id, grant.grant, grant.refreshAt);
    this.#seatTaken(ws, seat.id);
    this.#broadcast({ type: "peer-joined", peer: publicInfo(seat) }, seat.id);
    this.#welcome(ws, seat.id, seat.resumeToken, false, grant.grant);
    this.#afterChange();
  }

  #resumeSeat(
    ws: WebSocket,
    state: SocketState,
    seat: Seat,
    presentedToken: string,
    grant: Grant,
  ): void {
    // An older socket (a connection that died quietly, or another tab) spoke for this seat.
    for (const other of this.ctx.getWebSockets(seat.id)) {
      if (other !== ws) this.#retire(other, CloseCode.Replaced, "This seat was opened elsewhere.");
    }
    const now = Date.now();
    const token = newResumeToken();
    this.#store.rotateToken(seat.id, presentedToken, token, now + this.#settings.reconnectGraceMs);
    this.#store.markConnected(seat.id, state.address);
    // A grant the seat already had is in storage already.
    if (grant.minted) this.#store.setIceGrant(seat.id, grant.grant, grant.refreshAt);
    this.#seatTaken(ws, seat.id);
    this.#broadcast({ type: "peer-reconnected", peerId: seat.id }, seat.id);
    this.#welcome(ws, seat.id, token, true, grant.grant);
    this.#afterChange();
  }

  #seatTaken(ws: WebSocket, peerId: string): void {
    updateSocketState(ws, { joined: true });
    this.#store.setEmptySince(null);
    this.#electHost(peerId);
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
    this.#send(ws, {
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

  // ---- messages from joined players ----

  #dispatch(ws: WebSocket, state: SocketState, message: ClientMessage): void {
    switch (message.type) {
      case "hello":
        this.#reject(ws, state, ErrorCode.AlreadyJoined, "");
        return;
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
      default:
        assertNever(message, "client message");
    }
  }

  #relay(ws: WebSocket, state: SocketState, signal: Message<"signal">): void {
    const target = signal.to === state.peerId ? undefined : this.#joinedSocket(signal.to);
    if (!target) {
      this.#reject(ws, state, ErrorCode.UnknownPeer, signal.to);
      return;
    }
    const relayed: ServerMessage = { type: "signal", from: state.peerId, data: signal.data };
    const text = JSON.stringify(relayed);
    // Large but legal signals must not fill another player's connection.
    const now = Date.now();
    const limits = limitsOf(ws, this.#settings, now);
    if (!signalBytesTo(limits, signal.to, now).take(now, text.length)) {
      this.#overLimit(ws, state, now);
      return;
    }
    this.#sendText(target, text);
  }

  /**
   * Edge relay: a game packet for a peer this player cannot reach directly. A packet over the
   * relay bucket or the lobby's budget, or for a peer with a backlog, is shed and the sender
   * told; one for a peer that just left is dropped like any lost packet (the roster says why).
   */
  #relayPacket(ws: WebSocket, state: SocketState, frame: ArrayBuffer, nowMs: number): void {
    if (!limitsOf(ws, this.#settings, nowMs).relay.take(nowMs)) {
      this.#overLimit(ws, state, nowMs);
      return;
    }
    if (!this.#frameBudget.take(nowMs)) {
      this.#shed(ws);
      return;
    }
    const bytes = new Uint8Array(frame);
    const relay = decodeRelayFrame(bytes);
    if (!relay) {
      this.#reject(ws, state, ErrorCode.InvalidMessage, "not a relay frame");
      return;
    }
    const target = relay.peerId === state.peerId ? undefined : this.#joinedSocket(relay.peerId);
    if (!target) return;
    if (target.bufferedAmount > RELAY_BACKLOG_BYTES) {
      this.#shed(ws);
      return;
    }
    try {
      target.send(readdressRelayFrame(bytes, relay, state.peerId));
    } catch {
      // closed meanwhile: a lost packet
    }
  }

  /**
   * A frame over its socket's bucket is dropped and the sender told. Each drop spends the flood
   * budget; a socket that empties it is closed, since dropping alone costs the lobby as much
   * as the frames did.
   */
  #overLimit(ws: WebSocket, state: SocketState, nowMs: number): void {
    if (!this.#seatBudgets.of(state.peerId, nowMs).flood.take(nowMs)) {
      this.#closeForAbuse(ws, state, CloseCode.Flooding, "Too many messages.");
      return;
    }
    this.#sendText(ws, plainErrorText(ErrorCode.RateLimited));
  }

  /**
   * A frame the lobby has no room for (its budget is spent, or the recipient is behind) is shed
   * unread, and the sender told: under load the queue stays short and nothing goes missing
   * unannounced. Not the sender's fault, so no flood budget is spent.
   */
  #shed(ws: WebSocket): void {
    this.#sendText(ws, plainErrorText(ErrorCode.Overloaded));
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
    this.#store.bar(seat.id, seat.address, nameKey(seat.name));
    for (const target of this.ctx.getWebSockets(seat.id)) {
      this.#retire(target, CloseCode.Kicked, "Removed by the host.");
    }
    this.#removeSeat(seat.id, "kicked");
  }

  #chat(ws: WebSocket, state: SocketState, message: Message<"chat">): void {
    const now = Date.now();
    if (!limitsOf(ws, this.#settings, now).chat.take(now)) {
      this.#send(ws, errorFrame(ErrorCode.ChatTooFast, ""));
      return;
    }
    this.#broadcast({ type: "chat", from: state.peerId, text: message.text, at: now }, null);
  }

  // ---- roster ----

  /**
   * After a restart (a crash, a deploy, a reset) the roster may name connected players whose
   * sockets are gone: they get the grace window like any dropped player, so their seats end
   * unless they come back.
   */
  #reconcileSeats(): void {
    if (!this.#store.lobby()) return;
    for (const seat of this.#store.seats()) {
      if (seat.connected && !this.#joinedSocket(seat.id)) this.#holdSeat(seat.id);
    }
  }

  /** A socket went away without `leave`: hold its seat for the grace window. Never throws. */
  #disconnected(ws: WebSocket): void {
    try {
      const state = readSocketState(ws);
      if (!state || state.retired || !state.joined) return;
      writeSocketState(ws, { ...state, retired: true });
      this.#holdSeat(state.peerId);
    } catch (error) {
      console.error("lobby: close handler failed", error);
    }
  }

  /** The seat's player has no socket now: others are told, and the grace window starts. */
  #holdSeat(peerId: string): void {
    if (this.#store.seat(peerId)?.connected !== true) return;
    this.#store.markDisconnected(peerId, Date.now() + this.#settings.reconnectGraceMs);
    this.#broadcast({ type: "peer-disconnected", peerId }, peerId);
    this.#afterChange();
  }

  /** Holds the seat once the current handler's sends are out (see #sendText). */
  #holdSeatSoon(peerId: string): void {
    queueMicrotask(() => {
      try {
        this.#holdSeat(peerId);
      } catch (error) {
        console.error("lobby: holding a seat failed", error);
      }
    });
  }

  #removeSeat(peerId: string, reason: LeaveReason): void {
    if (!this.#store.removeSeat(peerId)) return;
    this.#seatBudgets.forget(peerId);
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

  async #refreshIceServers(seat: Seat): Promise<void> {
    const grant = await mintSeatGrant(this.env, seat.id, seat.address, Date.now());
    if (!this.#store.seat(seat.id)) return;
    this.#store.setIceGrant(seat.id, grant.grant, grant.refreshAt);
    // A retry the TURN limit put off again changes nothing the player could use.
    const unchanged =
      JSON.stringify(grant.grant.iceServers) === JSON.stringify(seat.iceGrant?.iceServers);
    const ws = unchanged ? undefined : this.#joinedSocket(seat.id);
    if (ws) {
      this.#send(ws, {
        type: "ice-servers",
        iceServers: grant.grant.iceServers,
        iceServersExpireAt: grant.grant.expiresAt,
      });
    }
  }

  /**
   * Deletes an idle lobby: its code stops resolving and its storage is gone, schema and all.
   * The storage goes first: while the directory is told, the code already answers 404.
   */
  async #deleteLobby(): Promise<void> {
    const lobby = this.#store.lobby();
    for (const ws of this.ctx.getWebSockets())
      this.#retire(ws, CloseCode.LobbyClosed, "The lobby has closed.");
    if (lobby?.settings.visibility === "public") this.#queueDirectoryReport(lobby.code, null);
    await this.ctx.storage.deleteAlarm();
    this.#alarmAt = null;
    await this.ctx.storage.deleteAll();
    this.#store.forget();
    await this.#directoryReports;
  }

  #afterChange(): void {
    this.#reportListing(false);
    this.#scheduleAlarm();
  }

  /**
   * A public lobby reports what a lister sees whenever it changes, and renews its entry (a
   * lease) every DIRECTORY_RENEW_MS even when nothing changed. When its last connected player
   * leaves or drops, it is taken out at once (held seats alone are no game to join).
   */
  #reportListing(renew: boolean): void {
    const lobby = this.#store.lobby();
    if (lobby?.settings.visibility !== "public") return;
    if (renew) this.#lastDirectoryReport = "";
    const entry = this.listing();
    // Nothing to take out when it is not listed (a new lobby nobody has joined yet).
    if (entry === null && lobby.directoryRenewAt === null) return;
    this.#queueDirectoryReport(lobby.code, entry);
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

  /**
   * Moves the alarm only when it must come earlier. Every alarm write holds back what the lobby
   * sends after it until it is stored (the output gate), a `welcome` or a 101 included; an alarm
   * that comes early or for nothing costs one wake-up, which schedules the next one.
   */
  #scheduleAlarm(): void {
    const next = this.#nextDeadline();
    if (next === null || (this.#alarmAt !== null && this.#alarmAt <= next)) return;
    this.#alarmAt = next;
    void this.ctx.storage.setAlarm(next);
  }

  #nextDeadline(): number | null {
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
    return deadlines.length === 0 ? null : Math.min(...deadlines);
  }

  // ---- sockets ----

  #pendingSockets(): { socket: WebSocket; address: string; openedAt: number }[] {
    return this.ctx.getWebSockets().flatMap((socket) => {
      const state = readSocketState(socket);
      return isPending(state) ? [{ socket, address: state.address, openedAt: state.helloBy }] : [];
    });
  }

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
      this.#sendText(ws, text);
    }
  }

  #send(ws: WebSocket, message: ServerMessage): void {
    this.#sendText(ws, JSON.stringify(message));
  }

  /**
   * Sends unless the socket stopped reading: past MAX_SOCKET_BACKLOG_BYTES queued for it, it
   * is closed with 4011 and its seat held for the grace window, like any dropped connection.
   * The hold (and its `peer-disconnected`) waits until what is being sent now has gone out, so
   * everyone still sees events in one order and a newcomer's `welcome` comes first.
   */
  #sendText(ws: WebSocket, text: string): void {
    if (ws.bufferedAmount > MAX_SOCKET_BACKLOG_BYTES) {
      const state = readSocketState(ws);
      if (state?.retired) return;
      this.#retire(ws, CloseCode.TooSlow, "Too far behind: the socket stopped reading.");
      if (state?.joined) this.#holdSeatSoon(state.peerId);
      return;
    }
    try {
      ws.send(text);
    } catch {
      // closed meanwhile: that peer's close handler cleans up
    }
  }

  /** Closes a socket on purpose: its close event must not look like a dropped connection. */
  #retire(ws: WebSocket, code: CloseCode, reason: string): void {
    updateSocketState(ws, { retired: true });
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Closes a misbehaving socket; a seat it held is released at once, without a grace window. */
  #closeForAbuse(ws: WebSocket, state: SocketState, code: CloseCode, reason: string): void {
    this.#retire(ws, code, reason);
    if (state.joined) this.#removeSeat(state.peerId, "errors");
  }

  #reject(ws: WebSocket, state: SocketState, code: ErrorCode, detail: string): void {
    if (COUNTED_ERRORS.has(code)) {
      const budget = this.#seatBudgets.of(state.peerId, Date.now());
      budget.errors++;
      if (budget.errors > MAX_ERRORS_PER_SOCKET) {
        this.#closeForAbuse(ws, state, CloseCode.TooManyErrors, "Too many invalid messages.");
        return;
      }
    }
    this.#send(ws, errorFrame(code, detail));
  }
}

function errorFrame(code: ErrorCode, detail: string): ServerMessage {
  const message = detail ? `${ERROR_MESSAGES[code]} (${detail})` : ERROR_MESSAGES[code];
  return { type: "error", code, message };
}

/** A `hello` that names a protocol version other than this one, whatever else it holds. */
function isHelloOfAnotherVersion(frame: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return false;
  }
  return (
    isRecord(value) &&
    value["type"] === "hello" &&
    typeof value["v"] === "number" &&
    value["v"] !== PROTOCOL_VERSION
  );
}

function oversizeReason(frame: string | ArrayBuffer): string | null {
  if (typeof frame === "string") {
    return frame.length > MAX_FRAME_CHARS ? `Frame over ${MAX_FRAME_CHARS} characters.` : null;
  }
  return frame.byteLength > MAX_RELAY_FRAME_BYTES
    ? `Frame over ${MAX_RELAY_FRAME_BYTES} bytes.`
    : null;
}

/** Codes a close frame may carry (RFC 6455 7.4): 1000-1003, 1007-1014, 3000-4999. */
function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1003) ||
    (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
  );
}
