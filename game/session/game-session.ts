/**
 * One stay in one lobby: the lobby socket, the peer mesh, the local avatar and its 30 Hz
 * broadcast. Created when the player joins, thrown away when they leave or the socket ends.
 */
import type { ErrorCode } from "../../shared/codes.ts";
import type { Welcome } from "../../shared/protocol.ts";
import type { PeerSnapshot } from "../debug.ts";
import { epochNow } from "../net/epoch-now.ts";
import { type LobbyClose, LobbyConnection } from "../net/lobby-connection.ts";
import { Mesh } from "../net/mesh.ts";
import { StateBroadcaster } from "../net/state-broadcaster.ts";
import type { PlayView, RemoteAvatarView } from "../scenes/play-view.ts";
import { randomSpawn } from "../sim/avatar.ts";
import { LocalPlayer } from "../sim/local-player.ts";
import { meshStatus } from "./status-text.ts";

/** How long the lobby gets to answer `hello` before we give up. */
const WELCOME_TIMEOUT_MS = 10_000;

export interface SessionEnd {
  readonly message: string;
  /** Whether joining again later may work. */
  readonly retry: boolean;
}

/** Called from socket and peer events only, never from inside the constructor. */
export interface SessionEvents {
  onStatus(text: string): void;
  /** The lobby accepted us: the game can start. */
  onWelcome(view: PlayView): void;
  /** Something went wrong that the player should know about, but the session goes on. */
  onProblem(message: string): void;
  /** The session is over without the player asking (lost connection, lobby full, ...). */
  onEnded(end: SessionEnd): void;
}

export interface GameSessionOptions {
  readonly lobbyCode: string;
  readonly playerName: string;
  readonly socketUrl: string;
  readonly iceServers?: readonly RTCIceServer[];
  readonly events: SessionEvents;
}

export class GameSession {
  readonly lobbyCode: string;
  readonly playerName: string;
  readonly player = new LocalPlayer(randomSpawn());
  readonly #events: SessionEvents;
  readonly #iceServers: readonly RTCIceServer[];
  readonly #connection: LobbyConnection;
  readonly #broadcaster: StateBroadcaster;
  #mesh: Mesh | null = null;
  #peerId: string | null = null;
  #welcomedAt: number | null = null;
  #welcomeTimer: ReturnType<typeof setTimeout> | null;
  #ended = false;

  constructor(options: GameSessionOptions) {
    this.lobbyCode = options.lobbyCode;
    this.playerName = options.playerName;
    this.#events = options.events;
    this.#iceServers = options.iceServers ?? [];
    this.#broadcaster = new StateBroadcaster(this.player, {
      broadcastState: (payload) => this.#mesh?.broadcastState(payload) ?? 0,
    });
    this.#connection = new LobbyConnection(options.socketUrl, options.playerName, {
      onWelcome: (welcome) => this.#onWelcome(welcome),
      onPeerJoined: (peer) => this.#mesh?.addPeer(peer),
      onPeerLeft: (peerId) => this.#mesh?.removePeer(peerId),
      onServerError: (code, message) => this.#onServerError(code, message),
      onInvalidFrame: (detail) => console.warn(`edgeplay: ignored a lobby frame (${detail})`),
      onClose: (close) => this.#onClose(close),
    });
    this.#welcomeTimer = setTimeout(() => {
      this.#end({ message: "The lobby did not answer in time.", retry: true });
    }, WELCOME_TIMEOUT_MS);
  }

  /** Our id in the lobby, once welcomed. */
  get peerId(): string | null {
    return this.#peerId;
  }

  /** Epoch ms when the lobby welcomed us, else null. */
  get welcomedAt(): number | null {
    return this.#welcomedAt;
  }

  /** The lobby code once welcomed, else null. */
  get joinedLobby(): string | null {
    return this.#peerId === null ? null : this.lobbyCode;
  }

  get seq(): number {
    return this.#broadcaster.seq;
  }

  peerSnapshots(): PeerSnapshot[] {
    return this.#mesh?.links.map((link) => link.snapshot()) ?? [];
  }

  /** Leaves on the player's request: tells the lobby, then closes everything. */
  leave(): void {
    if (this.#ended) return;
    this.#connection.leave();
    this.#teardown();
  }

  #onWelcome(welcome: Welcome): void {
    if (this.#peerId !== null || this.#ended) return;
    this.#clearWelcomeTimer();
    this.#peerId = welcome.peerId;
    this.#welcomedAt = epochNow();
    this.#mesh = new Mesh({
      localId: welcome.peerId,
      signaling: this.#connection,
      iceServers: this.#iceServers,
      onChange: () => this.#reportStatus(),
      onProblem: (message, forPlayer) => this.#onProblem(message, forPlayer),
    });
    for (const peer of welcome.peers) this.#mesh.addPeer(peer);
    this.#broadcaster.start();
    this.#reportStatus();
    this.#events.onWelcome(this.#playView(welcome.peerId));
  }

  #playView(peerId: string): PlayView {
    return {
      lobbyCode: this.lobbyCode,
      self: { id: peerId, name: this.playerName },
      player: this.player,
      remoteAvatars: () => this.#remoteAvatars(),
      peerCounts: () => this.#peerCounts(),
    };
  }

  #remoteAvatars(): RemoteAvatarView[] {
    const avatars: RemoteAvatarView[] = [];
    for (const link of this.#mesh?.links ?? []) {
      const state = link.latestState;
      if (state) avatars.push({ id: link.id, name: link.name, x: state.x, y: state.y });
    }
    return avatars;
  }

  #peerCounts(): { total: number; connected: number } {
    const links = this.#mesh?.links ?? [];
    return { total: links.length, connected: links.filter((link) => link.isOpen).length };
  }

  #reportStatus(): void {
    if (this.#ended || this.#peerId === null) return;
    const { total, connected } = this.#peerCounts();
    this.#events.onStatus(meshStatus(total, connected));
  }

  #onServerError(code: ErrorCode, message: string): void {
    // These answer something this client sent (often a signal to a peer that just left);
    // useful to developers, not actionable for the player.
    console.warn(`edgeplay: lobby error ${code}: ${message}`);
  }

  #onProblem(message: string, forPlayer: boolean): void {
    if (forPlayer) this.#events.onProblem(message);
    else console.warn(`edgeplay: ${message}`);
  }

  #onClose(close: LobbyClose): void {
    if (close.byUs) return;
    this.#end({ message: close.advice.message, retry: close.advice.retry });
  }

  #end(end: SessionEnd): void {
    if (this.#ended) return;
    this.#connection.close();
    this.#teardown();
    this.#events.onEnded(end);
  }

  #teardown(): void {
    this.#ended = true;
    this.#clearWelcomeTimer();
    this.#broadcaster.stop();
    this.#mesh?.close();
  }

  #clearWelcomeTimer(): void {
    if (this.#welcomeTimer === null) return;
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = null;
  }
}
