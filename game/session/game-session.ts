/**
 * One stay in one lobby: the lobby link (socket, reconnects), what we know of the lobby, the
 * peer mesh, the local avatar and its 30 Hz broadcast, and the host-owned shared world. Created when the player joins, thrown
 * away when they leave or the lobby ends their stay.
 */

import { assertNever } from "../../shared/assert-never.ts";
import { ERROR_MESSAGES, ErrorCode } from "../../shared/codes.ts";
import { CHAT_LIMIT, MAX_CHAT_CHARS } from "../../shared/limits.ts";
import type { IceServer, LobbyPhase, Welcome } from "../../shared/protocol.ts";
import { TokenBucket } from "../../shared/token-bucket.ts";
import type { PeerSnapshot, WorldSnapshot } from "../debug.ts";
import { leaveLobby, lobbyExists } from "../kit/lobby/lobby-api.ts";
import type { LobbyEvent } from "../kit/lobby/lobby-event.ts";
import { type ConnectionState, type LinkEnd, LobbyLink } from "../kit/lobby/lobby-link.ts";
import { toRtcIceServers } from "../kit/mesh/ice-config.ts";
import { Mesh } from "../kit/mesh/mesh.ts";
import type { PeerLink } from "../kit/mesh/peer-link.ts";
import { SignalPacer } from "../kit/mesh/signal-pacer.ts";
import type { TransportMode } from "../kit/mesh/transport-mode.ts";
import { epochNow } from "../kit/platform/epoch-now.ts";
import { LobbyState } from "../kit/room/lobby-state.ts";
import { StateBroadcaster } from "../kit/room/state-broadcaster.ts";
import type { PlayView, RemoteAvatarView } from "../scenes/play-view.ts";
import { randomSpawn } from "../sim/avatar.ts";
import { LocalPlayer } from "../sim/local-player.ts";
import { DEFAULT_WORLD_CONFIG } from "../world/world-config.ts";
import {
  connectingStatus,
  meshStatus,
  reconnectingStatus,
  type StatusTone,
} from "./status-text.ts";
import { WorldDriver } from "./world-driver.ts";

/** A chat error stays under the input this long (or until the next line goes out). */
const CHAT_ERROR_SHOWN_MS = 6000;
/** Lobby errors that answer a player's own action (start, kick, ...): the player should see them. */
const ACTION_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.NotHost,
  ErrorCode.WrongPhase,
  ErrorCode.NotReady,
]);

export type SessionEnd = LinkEnd;

export type ChatSendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

/** Called from socket and peer events only, never from inside the constructor. */
export interface SessionEvents {
  /** `warning` while the lobby connection is being won back. */
  onStatus(text: string, tone: StatusTone): void;
  /** We have a seat (first join, or a fresh one after ours expired): (re)start the arena. */
  onEntered(view: PlayView): void;
  /** Roster, phase, host, log or connection changed: redraw the lobby panel. */
  onLobbyChanged(): void;
  /** Something went wrong that the player should know about, but the session goes on. */
  onProblem(message: string): void;
  /** The session is over without the player asking (kicked, lobby full, gave up reconnecting, ...). */
  onEnded(end: SessionEnd): void;
}

export interface GameSessionOptions {
  readonly lobbyCode: string;
  readonly playerName: string;
  readonly socketUrl: (seatPeerId: string | null) => string;
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** `edge`: every pair through the edge relay, no WebRTC (a developer switch). */
  readonly transportMode: TransportMode;
  readonly events: SessionEvents;
}

export class GameSession {
  readonly lobbyCode: string;
  readonly playerName: string;
  readonly player = new LocalPlayer(randomSpawn());
  readonly lobby = new LobbyState();
  readonly #events: SessionEvents;
  readonly #iceTransportPolicy: RTCIceTransportPolicy;
  readonly #transportMode: TransportMode;
  readonly #link: LobbyLink;
  readonly #broadcaster: StateBroadcaster;
  readonly #chatBucket = new TokenBucket(CHAT_LIMIT, Date.now());
  #mesh: Mesh | null = null;
  /** The mesh's signals, paced under the lobby's frame limit; one per mesh. */
  #signals: SignalPacer | null = null;
  /** One per seat, like the mesh: a new peer id is a new player in the world. */
  #world: WorldDriver | null = null;
  #iceServers: RTCIceServer[] = [];
  #iceServersExpireAt: number | null = null;
  #welcomedAt: number | null = null;
  #chatError: string | null = null;
  #chatErrorTimer: ReturnType<typeof setTimeout> | null = null;
  #lastConnection: ConnectionState = "connecting";
  #ended = false;

  constructor(options: GameSessionOptions) {
    this.lobbyCode = options.lobbyCode;
    this.playerName = options.playerName;
    this.#events = options.events;
    this.#iceTransportPolicy = options.iceTransportPolicy;
    this.#transportMode = options.transportMode;
    this.#broadcaster = new StateBroadcaster(this.player, {
      broadcastState: (state, nowMs) => this.#mesh?.broadcastState(state, nowMs),
    });
    this.#link = new LobbyLink({
      socketUrl: options.socketUrl,
      playerName: options.playerName,
      lobbyExists: () => lobbyExists(options.lobbyCode),
      leaveByToken: (token) => void leaveLobby(options.lobbyCode, token),
      events: {
        onWelcome: (welcome) => this.#onWelcome(welcome),
        onEvent: (event) => this.#onEvent(event),
        onIceServers: (servers, expireAt) => this.#onIceServers(servers, expireAt),
        onServerError: (code, message) => this.#onServerError(code, message),
        onConnectionChange: () => this.#onConnectionChange(),
        onNotice: (text) => {
          this.lobby.note(text, Date.now());
          this.#events.onProblem(text);
        },
        onEnded: (end) => this.#end(end),
      },
    });
  }

  /** Our id in the lobby, once welcomed. */
  get peerId(): string | null {
    return this.lobby.selfId;
  }

  /** Epoch ms when the lobby first welcomed us, else null. */
  get welcomedAt(): number | null {
    return this.#welcomedAt;
  }

  /** The lobby code once welcomed, else null. */
  get joinedLobby(): string | null {
    return this.#welcomedAt === null ? null : this.lobbyCode;
  }

  get connection(): ConnectionState {
    return this.#link.state;
  }

  get reconnectAttempt(): number {
    return this.#link.attempt;
  }

  get reconnects(): number {
    return this.#link.reconnects;
  }

  /** State ticks sent so far (each peer's packets carry their own sequence numbers). */
  get seq(): number {
    return this.#broadcaster.ticks;
  }

  /** Why the last chat line was not sent or was refused, until the next one goes out. */
  get chatError(): string | null {
    return this.#chatError;
  }

  get iceServers(): readonly RTCIceServer[] {
    return this.#iceServers;
  }

  get iceTransportPolicy(): RTCIceTransportPolicy {
    return this.#iceTransportPolicy;
  }

  get iceServersExpireAt(): number | null {
    return this.#iceServersExpireAt;
  }

  get transportMode(): TransportMode {
    return this.#transportMode;
  }

  /** The shared world as the debug snapshot shows it; null before the first welcome. */
  worldSnapshot(): WorldSnapshot | null {
    return this.#world?.snapshot() ?? null;
  }

  peerSnapshots(): PeerSnapshot[] {
    const now = performance.now();
    return this.#mesh?.links.map((link) => this.#peerSnapshot(link, now)) ?? [];
  }

  /** Whether our game packets reach a peer now, directly or through the edge relay. */
  isLinkOpen(peerId: string): boolean {
    return this.#mesh?.link(peerId)?.reachable(performance.now()) ?? false;
  }

  setReady(ready: boolean): boolean {
    return this.#link.sendMessage({ type: "set-ready", ready });
  }

  setPhase(phase: LobbyPhase): boolean {
    return this.#link.sendMessage({ type: "set-phase", phase });
  }

  kick(peerId: string): boolean {
    return this.#link.sendMessage({ type: "kick", peerId });
  }

  sendChat(input: string): ChatSendResult {
    const text = input.trim();
    if (text === "") return { ok: false, reason: "" };
    if (text.length > MAX_CHAT_CHARS) {
      return this.#chatFailed(`Messages can be at most ${MAX_CHAT_CHARS} characters.`);
    }
    if (this.#link.state !== "open") {
      return this.#chatFailed("Not connected to the lobby right now; your message was not sent.");
    }
    const now = Date.now();
    if (!this.#chatBucket.take(now)) {
      return this.#chatFailed(
        "You are sending messages too fast. Wait a moment before the next one.",
      );
    }
    if (!this.#link.sendMessage({ type: "chat", text })) {
      return this.#chatFailed("Not connected to the lobby right now; your message was not sent.");
    }
    this.#setChatError(null);
    return { ok: true };
  }

  /** Leaves on the player's request: tells the lobby, then closes everything. */
  leave(): void {
    if (this.#ended) return;
    this.#link.leave();
    this.#teardown();
  }

  #onWelcome(welcome: Welcome): void {
    if (this.#ended) return;
    const now = Date.now();
    this.#welcomedAt ??= epochNow();
    const newSeat = this.#mesh === null || this.#mesh.localId !== welcome.peerId;
    const diff = this.lobby.applyWelcome(welcome, now);
    this.#iceServers = toRtcIceServers(welcome.iceServers);
    this.#iceServersExpireAt = welcome.iceServersExpireAt;

    if (newSeat) {
      this.#mesh?.close();
      this.#signals?.close();
      this.#world?.stop();
      const signals = new SignalPacer(this.#link);
      const mesh = new Mesh({
        localId: welcome.peerId,
        signaling: signals,
        relay: this.#link,
        iceServers: this.#iceServers,
        iceTransportPolicy: this.#iceTransportPolicy,
        forceRelay: this.#transportMode === "edge",
        onChange: () => {
          this.#reportStatus();
          this.#events.onLobbyChanged();
        },
        onEvent: (from, packet) => world.receive(from, packet),
        onProblem: (message) => console.warn(`edgeplay: ${message}`),
      });
      const world = new WorldDriver(welcome.peerId, this.player, mesh);
      this.#mesh = mesh;
      this.#signals = signals;
      this.#world = world;
      for (const peer of welcome.peers) mesh.addPeer(peer);
      this.#broadcaster.start();
      world.start();
      this.#events.onEntered(this.#playView(welcome.peerId));
    } else if (this.#mesh) {
      // Same seat after a drop: the links lived on; catch up with who came and went.
      const mesh = this.#mesh;
      mesh.setIceServers(this.#iceServers);
      for (const id of diff.removed) mesh.removePeer(id);
      // Before the newcomers are added: their links are fresh already.
      for (const link of mesh.links) mesh.renewIfNotUsable(link.id);
      for (const peer of diff.added) mesh.addPeer(peer);
      for (const id of diff.removed) this.#world?.peerLeft(id);
      this.lobby.note("Reconnected to the lobby", now);
    }
    // The host may have changed while we were away; news not newer than ours is ignored.
    this.#world?.hostChanged(welcome.hostId, welcome.hostEpoch);
    this.#reportStatus();
    this.#events.onLobbyChanged();
  }

  #onEvent(event: LobbyEvent): void {
    if (this.#ended) return;
    this.lobby.apply(event, Date.now());
    const mesh = this.#mesh;
    switch (event.type) {
      case "peer-joined":
        mesh?.addPeer(event.peer);
        break;
      case "peer-left":
        mesh?.removePeer(event.peerId);
        this.#world?.peerLeft(event.peerId);
        break;
      case "host-changed":
        this.#world?.hostChanged(event.hostId, event.hostEpoch);
        break;
      case "peer-reconnected":
        // Their side renews links that do not carry packets; ours must start over with them.
        mesh?.renewIfNotUsable(event.peerId);
        break;
      default:
        break;
    }
    this.#events.onLobbyChanged();
  }

  #onIceServers(servers: readonly IceServer[], expireAt: number | null): void {
    this.#iceServers = toRtcIceServers(servers);
    this.#iceServersExpireAt = expireAt;
    this.#mesh?.setIceServers(this.#iceServers);
  }

  #playView(peerId: string): PlayView {
    const self = { id: peerId, name: this.lobby.peer(peerId)?.name ?? this.playerName };
    return {
      lobbyCode: this.lobbyCode,
      self,
      player: this.player,
      remoteAvatars: (nowMs) => this.#remoteAvatars(nowMs),
      pickupRadius: this.#world?.world.config.pickupRadius ?? DEFAULT_WORLD_CONFIG.pickupRadius,
      world: (nowMs) => this.#world?.view(nowMs) ?? null,
      playerName: (id) => this.lobby.peer(id)?.name ?? id,
      network: () => this.peerSnapshots(),
      peerCounts: () => this.#peerCounts(),
      phase: () => this.lobby.phase,
    };
  }

  /** Each remote avatar where interpolation puts it at `nowMs` (once per frame). */
  #remoteAvatars(nowMs: number): RemoteAvatarView[] {
    const avatars: RemoteAvatarView[] = [];
    for (const link of this.#mesh?.links ?? []) {
      const sample = link.sample(nowMs);
      if (!sample) continue;
      const peer = this.lobby.peer(link.id);
      avatars.push({
        id: link.id,
        name: peer?.name ?? link.name,
        x: sample.x,
        y: sample.y,
        connected: peer?.connected ?? true,
      });
    }
    return avatars;
  }

  /** Peers counted as connected when the game's packets reach them, directly or relayed. */
  #peerCounts(): { total: number; connected: number } {
    const links = this.#mesh?.links ?? [];
    const now = performance.now();
    return { total: links.length, connected: links.filter((l) => l.reachable(now)).length };
  }

  #peerSnapshot(link: PeerLink, nowMs: number): PeerSnapshot {
    const snapshot = link.snapshot(nowMs);
    const name = this.lobby.peer(link.id)?.name;
    return name === undefined ? snapshot : { ...snapshot, name };
  }

  #onConnectionChange(): void {
    if (this.#ended) return;
    const state = this.#link.state;
    if (state === "reconnecting" && this.#lastConnection === "open") {
      this.lobby.note("Lost the connection to the lobby; reconnecting…", Date.now());
    }
    this.#lastConnection = state;
    this.#reportStatus();
    this.#events.onLobbyChanged();
  }

  #reportStatus(): void {
    if (this.#ended) return;
    switch (this.#link.state) {
      case "connecting":
        this.#events.onStatus(
          connectingStatus(this.lobbyCode, this.#link.attempt),
          this.#link.attempt === 0 ? "info" : "warning",
        );
        return;
      case "reconnecting":
        this.#events.onStatus(reconnectingStatus(this.#link.attempt), "warning");
        return;
      case "open": {
        const { total, connected } = this.#peerCounts();
        this.#events.onStatus(meshStatus(total, connected), "info");
        return;
      }
      case "closed":
        return;
      default:
        assertNever(this.#link.state, "connection state");
    }
  }

  #onServerError(code: ErrorCode, message: string): void {
    if (code === ErrorCode.ChatTooFast) {
      this.#chatError =
        "You are sending messages too fast; that one was not delivered. Wait a moment.";
      this.#events.onLobbyChanged();
      return;
    }
    if (ACTION_ERRORS.has(code)) {
      this.#events.onProblem(ERROR_MESSAGES[code]);
      return;
    }
    // The rest answer something the client sent on its own (often a signal to a peer that
    // just left): useful to developers, not actionable for the player.
    console.warn(`edgeplay: lobby error ${code}: ${message}`);
  }

  #chatFailed(reason: string): ChatSendResult {
    this.#setChatError(reason);
    return { ok: false, reason };
  }

  #setChatError(reason: string | null): void {
    if (this.#chatErrorTimer !== null) clearTimeout(this.#chatErrorTimer);
    this.#chatErrorTimer = null;
    this.#chatError = reason;
    if (reason !== null) {
      this.#chatErrorTimer = setTimeout(() => this.#setChatError(null), CHAT_ERROR_SHOWN_MS);
    }
    if (!this.#ended) this.#events.onLobbyChanged();
  }

  #end(end: SessionEnd): void {
    if (this.#ended) return;
    this.#teardown();
    this.#events.onEnded(end);
  }

  #teardown(): void {
    this.#ended = true;
    if (this.#chatErrorTimer !== null) clearTimeout(this.#chatErrorTimer);
    this.#broadcaster.stop();
    this.#world?.stop();
    this.#mesh?.close();
    this.#signals?.close();
  }
}
