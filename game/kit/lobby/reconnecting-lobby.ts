/**
 * The player's line to a lobby across socket drops. It opens a LobbySocket, and when
 * that socket closes without us asking it follows the ReconnectPlanner: a new socket with the
 * resume token after a jittered backoff, a fresh join once when the seat has expired, or an
 * end with the reason. To the mesh it is one SignalingChannel and one EdgeRelay (the edge
 * relay) that outlive each socket.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import { STATE_BUFFER_LIMIT_BYTES } from "../../../shared/channels.ts";
import { ABNORMAL_CLOSURE, CloseCode, type ErrorCode } from "../../../shared/codes.ts";
import type { ClientMessage, IceServer, SignalData, Welcome } from "../../../shared/protocol.ts";
import { encodeRelayFrame } from "../../../shared/relay-frame.ts";
import type { EdgePacketHandler, EdgeRelay } from "../mesh/edge-relay.ts";
import type { SignalHandler, SignalingChannel } from "../mesh/signaling-channel.ts";
import type { PacketChannel } from "../mesh/transport.ts";
import type { Platform } from "../platform/platform.ts";
import { type Problem, ProblemCode } from "../problems.ts";
import type { LobbyEvent } from "./lobby-event.ts";
import { type LobbyClose, LobbySocket } from "./lobby-socket.ts";
import { type CloseDecision, type LinkEnd, ReconnectPlanner } from "./reconnect-planner.ts";

/** How long an open socket gets to deliver `welcome` before we count it as failed. */
const WELCOME_TIMEOUT_MS = 10_000;

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export type { LinkEnd };

/**
 * A seat in a lobby and the newest resume token for it: what a new page (or process) needs to
 * take the seat back while the lobby holds it.
 */
export interface Seat {
  readonly peerId: string;
  /** A bearer secret (docs/protocol.md 2): keep it out of URLs, logs and anything shared. */
  readonly token: string;
}

export interface ReconnectingLobbyEvents {
  /** Every welcome: the first, each resumed seat, and a fresh join after the seat expired. */
  onWelcome(welcome: Welcome): void;
  onEvent(event: LobbyEvent): void;
  onIceServers(iceServers: readonly IceServer[], expireAt: number | null): void;
  onServerError(code: ErrorCode, message: string): void;
  /** The connection state or the attempt number changed. */
  onConnectionChange(): void;
  /** Something went wrong that the link copes with (a seat that expired, a silent lobby...). */
  onProblem(problem: Problem): void;
  /** No more sockets will be opened: the lobby ended this stay or retrying could not help. */
  onEnded(end: LinkEnd): void;
}

export interface ReconnectingLobbyOptions {
  readonly platform: Pick<Platform, "WebSocket" | "now" | "onOnline">;
  /** The socket URL; with a peer id it asks the lobby for that held seat back. */
  readonly socketUrl: (seatPeerId: string | null) => string;
  readonly playerName: string;
  /** A seat held for us (from an earlier page, say): the first socket asks for it back. */
  readonly resume?: Seat;
  readonly events: ReconnectingLobbyEvents;
  readonly planner?: ReconnectPlanner;
  /**
   * Asks the HTTP API whether the lobby still exists: false for gone, null when it cannot
   * tell. A browser sees a refused upgrade (the lobby was deleted) as a plain 1006, so this
   * is the only way to stop retrying a lobby that is no more.
   */
  readonly lobbyExists?: () => Promise<boolean | null>;
  /**
   * Gives up the seat of this resume token without a socket (the HTTP API), for a leave while
   * no welcomed socket can carry `leave`.
   */
  readonly leaveByToken?: (resumeToken: string) => void;
}

export class ReconnectingLobby implements SignalingChannel, EdgeRelay {
  readonly #options: ReconnectingLobbyOptions;
  readonly #events: ReconnectingLobbyEvents;
  readonly #planner: ReconnectPlanner;
  readonly #signalHandlers = new Set<SignalHandler>();
  readonly #relayHandlers = new Set<EdgePacketHandler>();
  #connection: LobbySocket | null = null;
  #state: ConnectionState = "connecting";
  /** The seat we hold (or ask back) and its newest token: a new one comes with every welcome. */
  #seat: Seat | null;
  #welcomes = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #welcomeTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #stopOnlineWatch: () => void;

  constructor(options: ReconnectingLobbyOptions) {
    this.#options = options;
    this.#events = options.events;
    this.#planner = options.planner ?? new ReconnectPlanner();
    this.#seat = options.resume ?? null;
    this.#stopOnlineWatch = options.platform.onOnline(() => this.#retrySoon());
    this.#open();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Our seat and its newest token once welcomed; null before, while joining afresh, and once stopped. */
  get seat(): Seat | null {
    return this.#welcomes === 0 || this.#state === "closed" ? null : this.#seat;
  }

  /** The attempt in progress while (re)connecting; 0 while open. */
  get attempt(): number {
    return this.#planner.attempt;
  }

  /** How many times a lost socket was replaced by a welcomed one. */
  get reconnects(): number {
    return Math.max(0, this.#welcomes - 1);
  }

  send(to: string, data: SignalData): void {
    // Signals while disconnected are lost; links that were mid-negotiation start over on reconnect.
    this.sendMessage({ type: "signal", to, data });
  }

  onSignal(handler: SignalHandler): () => void {
    this.#signalHandlers.add(handler);
    return () => this.#signalHandlers.delete(handler);
  }

  get ready(): boolean {
    return this.#state === "open";
  }

  sendPacket(to: string, packet: Uint8Array, channel: PacketChannel): boolean {
    const connection = this.#connection;
    if (this.#state !== "open" || connection === null) return false;
    let frame: Uint8Array<ArrayBuffer>;
    try {
      // Copied into a frame of its own type: send() takes only ArrayBuffer-backed views.
      frame = new Uint8Array(encodeRelayFrame(to, packet));
    } catch {
      // Not a peer id, or a packet over the relay's size cap: it cannot be relayed at all.
      return false;
    }
    // State packets are dropped rather than queued behind a backlog, as on the data channel;
    // events are reliable and wait their turn.
    const maxBuffered = channel === "state" ? STATE_BUFFER_LIMIT_BYTES : Number.POSITIVE_INFINITY;
    return connection.sendBinary(frame, maxBuffered);
  }

  onPacket(handler: EdgePacketHandler): () => void {
    this.#relayHandlers.add(handler);
    return () => this.#relayHandlers.delete(handler);
  }

  /** Sends while the lobby has welcomed this socket; returns whether it did. */
  sendMessage(message: ClientMessage): boolean {
    if (this.#state !== "open") return false;
    return this.#connection?.send(message) ?? false;
  }

  /** Leaves for good: the lobby frees the seat at once, even while we are reconnecting. */
  leave(): void {
    const connection = this.#connection;
    const sent = this.#state === "open" && connection !== null && connection.leave();
    if (!sent) {
      connection?.close();
      // Otherwise the seat would stay held for the grace window: others would see us drop
      // and time out, and a full lobby would turn us away if we came straight back.
      if (this.#seat !== null) this.#options.leaveByToken?.(this.#seat.token);
    }
    this.#stop();
  }

  /** Stops without leaving (the page is going away): the lobby holds the seat for a while. */
  close(): void {
    this.#connection?.close();
    this.#stop();
  }

  #open(): void {
    this.#retryTimer = null;
    const connection = new LobbySocket(
      this.#options.platform,
      this.#options.socketUrl(this.#seat?.peerId ?? null),
      this.#options.playerName,
      this.#seat?.token ?? null,
      {
        onWelcome: (welcome) => {
          if (this.#connection === connection) this.#onWelcome(welcome);
        },
        onEvent: (event) => {
          if (this.#connection === connection) this.#events.onEvent(event);
        },
        onSignal: (from, data) => {
          if (this.#connection !== connection) return;
          for (const handler of this.#signalHandlers) handler(from, data);
        },
        onRelayPacket: (from, packet) => {
          if (this.#connection !== connection) return;
          for (const handler of this.#relayHandlers) handler(from, packet);
        },
        onIceServers: (servers, expireAt) => {
          if (this.#connection === connection) this.#events.onIceServers(servers, expireAt);
        },
        onServerError: (code, message) => {
          if (this.#connection === connection) this.#events.onServerError(code, message);
        },
        onProblem: (problem) => {
          if (this.#connection === connection) this.#events.onProblem(problem);
        },
        onClose: (close) => this.#onClose(connection, close),
      },
    );
    this.#connection = connection;
    this.#welcomeTimer = setTimeout(() => {
      if (this.#connection !== connection) return;
      // Open but silent: drop this socket and treat it like any other failed attempt.
      this.#connection = null;
      connection.close();
      this.#decide(this.#planner.closed(ABNORMAL_CLOSURE, this.#options.platform.now()));
    }, WELCOME_TIMEOUT_MS);
  }

  #onWelcome(welcome: Welcome): void {
    this.#clearWelcomeTimer();
    this.#seat = { peerId: welcome.peerId, token: welcome.resumeToken };
    this.#welcomes++;
    this.#planner.welcomed(welcome.graceMs);
    this.#state = "open";
    this.#events.onWelcome(welcome);
    this.#events.onConnectionChange();
  }

  #onClose(connection: LobbySocket, close: LobbyClose): void {
    if (this.#connection !== connection || close.byUs) return;
    this.#connection = null;
    this.#clearWelcomeTimer();
    const decision = this.#planner.closed(close.code, this.#options.platform.now());
    const lobbyExists = this.#options.lobbyExists;
    if (decision.kind !== "retry" || close.code !== ABNORMAL_CLOSURE || !lobbyExists) {
      this.#decide(decision);
      return;
    }
    // No socket from here on: say so now, not after the check (which may take seconds), so
    // nothing counts the link as open and the player sees the reconnecting notice at once.
    this.#state = this.#welcomes === 0 ? "connecting" : "reconnecting";
    this.#events.onConnectionChange();
    void lobbyExists().then((exists) => {
      if (this.#state === "closed") return;
      if (exists !== false) {
        this.#decide(decision);
        return;
      }
      this.#decide({
        kind: "give-up",
        end: { reason: "closed", closeCode: CloseCode.LobbyClosed, rejoin: false },
      });
    });
  }

  #decide(decision: CloseDecision): void {
    switch (decision.kind) {
      case "retry":
        this.#state = this.#welcomes === 0 ? "connecting" : "reconnecting";
        this.#retryTimer = setTimeout(() => this.#open(), decision.delayMs);
        this.#events.onConnectionChange();
        return;
      case "rejoin-fresh":
        this.#seat = null;
        this.#state = this.#welcomes === 0 ? "connecting" : "reconnecting";
        this.#events.onProblem({ code: ProblemCode.SeatExpired, retry: true });
        this.#events.onConnectionChange();
        this.#open();
        return;
      case "give-up":
        this.#stop();
        this.#events.onConnectionChange();
        this.#events.onEnded(decision.end);
        return;
      default:
        assertNever(decision, "decision");
    }
  }

  /** The network came back while we wait out a backoff delay: try now instead. */
  #retrySoon(): void {
    if (this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  #stop(): void {
    this.#state = "closed";
    this.#connection = null;
    this.#signalHandlers.clear();
    this.#relayHandlers.clear();
    this.#clearWelcomeTimer();
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopOnlineWatch();
  }

  #clearWelcomeTimer(): void {
    if (this.#welcomeTimer === null) return;
    clearTimeout(this.#welcomeTimer);
    this.#welcomeTimer = null;
  }
}
