/**
 * One stay in one lobby, for the arena: a kit `Room`, the local avatar and its motion stream,
 * the host-owned shared world on the room's actions and tick, the lobby log, and the words the
 * player reads about all of it. Created when the player joins, thrown away when they leave or
 * the lobby ends their stay.
 */

import {
  type ChatResult,
  type ConnectionState,
  type ConnectOptions,
  connect,
  type Motion,
  type Problem,
  ProblemCode,
  type Room,
  type RoomEnd,
  type Stream,
} from "edgeplay/client";
import {
  assertNever,
  ERROR_MESSAGES,
  ErrorCode,
  type LobbyPhase,
  MAX_CHAT_CHARS,
} from "edgeplay/protocol";
import type { PeerSnapshot, WorldSnapshot } from "../debug.ts";
import type { PlayView, RemoteAvatarView } from "../scenes/play-view.ts";
import { lateJoinText } from "../scenes/scoreboard-text.ts";
import { randomSpawn } from "../sim/avatar.ts";
import { LocalPlayer, SIM_HZ } from "../sim/local-player.ts";
import { roomEndText, seatExpiredText } from "../ui/connection-text.ts";
import type { MatchStage } from "../world/events-wire.ts";
import { DEFAULT_WORLD_CONFIG } from "../world/world-config.ts";
import { AVATAR_CODEC, AVATAR_STREAM } from "./avatar-stream.ts";
import { LobbyLog } from "./lobby-log.ts";
import {
  connectingStatus,
  meshStatus,
  reconnectingStatus,
  type StatusTone,
} from "./status-text.ts";
import { placeVoices } from "./voice-placement.ts";
import { WorldDriver } from "./world-driver.ts";

/** A chat error stays under the input this long (or until the next line goes out). */
const CHAT_ERROR_SHOWN_MS = 6000;
/** Lobby errors that answer a player's own action (start, kick, ...): the player should see them. */
const ACTION_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.NotHost,
  ErrorCode.WrongPhase,
  ErrorCode.NotReady,
]);
export interface SessionEnd {
  readonly message: string;
  /** Whether joining again (as a new player) may work. */
  readonly rejoin: boolean;
}

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
  /** How to reach the lobby service, and the developer switches the page address set. */
  readonly connect: Omit<ConnectOptions, "code" | "name">;
  readonly events: SessionEvents;
}

export class GameSession {
  readonly lobbyCode: string;
  readonly playerName: string;
  readonly player = new LocalPlayer(randomSpawn());
  readonly room: Room;
  readonly log = new LobbyLog();
  readonly #events: SessionEvents;
  readonly #motion: Stream<Motion>;
  /** One per seat: a new peer id is a new player in the world. */
  #world: WorldDriver | null = null;
  #lastConnection: ConnectionState = "connecting";
  #chatError: string | null = null;
  #chatErrorTimer: ReturnType<typeof setTimeout> | null = null;
  #ended = false;

  constructor(options: GameSessionOptions) {
    this.lobbyCode = options.lobbyCode;
    this.playerName = options.playerName;
    this.#events = options.events;
    const room = connect({ ...options.connect, code: options.lobbyCode, name: options.playerName });
    this.room = room;
    this.#motion = room.stream(AVATAR_STREAM, {
      codec: AVATAR_CODEC,
      read: () => this.player.state,
      clock: { tick: () => this.player.tick, hz: SIM_HZ },
    });
    const world = WorldDriver.actionOn(room);
    room.on("welcome", ({ selfId, newSeat }) => {
      if (newSeat) {
        this.#world?.stop();
        this.#world = new WorldDriver(
          selfId,
          this.player,
          room,
          this.#motion,
          world,
          (view, first) => {
            const note = first ? lateJoinText(view) : null;
            if (note !== null) this.log.note(note, Date.now());
            // The panel's controls follow the stage (End round only while a round runs).
            this.#changed();
          },
        );
        this.#events.onEntered(this.#playView(selfId));
      } else {
        this.log.note("Reconnected to the lobby", Date.now());
      }
      // The host may have changed while we were away; news not newer than ours is ignored.
      if (room.hostId !== null) this.#world?.hostChanged(room.hostId, room.hostEpoch);
      this.#changed();
    });
    room.on("news", (news) => {
      this.log.add(news, this.#logContext(), Date.now());
      this.#changed();
    });
    room.on("peer-leave", ({ peerId }) => this.#world?.peerLeft(peerId));
    room.on("host-change", ({ hostId, hostEpoch }) => this.#world?.hostChanged(hostId, hostEpoch));
    room.on("peer-path", () => this.#changed());
    room.on("voice", () => this.#changed());
    room.on("connection", (state) => {
      if (state === "reconnecting" && this.#lastConnection === "open") {
        this.log.note("Lost the connection to the lobby; reconnecting…", Date.now());
      }
      this.#lastConnection = state;
      this.#changed();
    });
    room.on("problem", (problem) => this.#onProblem(problem));
    room.on("ended", (end) => this.#end(end));
  }

  /** The lobby code once welcomed, else null. */
  get joinedLobby(): string | null {
    return this.room.welcomedAt === null ? null : this.lobbyCode;
  }

  /** Avatar states sent so far (each peer's packets carry their own sequence numbers). */
  get seq(): number {
    return this.#motion.sent;
  }

  /** Why the last chat line was not sent or was refused, until the next one goes out. */
  get chatError(): string | null {
    return this.#chatError;
  }

  /** The shared world as the debug snapshot shows it; null before the first welcome. */
  worldSnapshot(): WorldSnapshot | null {
    return this.#world?.snapshot() ?? null;
  }

  peerSnapshots(): PeerSnapshot[] {
    return this.room.peers.flatMap((peerId) => {
      const stats = this.room.stats(peerId);
      if (stats === null) return [];
      const latest = this.#motion.latest(peerId);
      return [
        {
          ...stats,
          name: this.room.nameOf(peerId) ?? peerId,
          statePacketsReceived: this.#motion.received(peerId),
          lastState: latest && { seq: latest.seq, tick: latest.tick, ...latest.value },
        },
      ];
    });
  }

  setReady(ready: boolean): boolean {
    return this.room.setReady(ready);
  }

  setPhase(phase: LobbyPhase): boolean {
    return this.room.setPhase(phase);
  }

  /** The match stage this seat's world is in; null before it has one. */
  get matchStage(): MatchStage | null {
    return this.#world?.stage ?? null;
  }

  /** The host's command: the running round ends now. False unless we are the world's host. */
  endRound(): boolean {
    return this.#world?.endRound() ?? false;
  }

  kick(peerId: string): boolean {
    return this.room.kick(peerId);
  }

  sendChat(input: string): ChatSendResult {
    const result = this.room.chat(input);
    if (result.ok) {
      this.#setChatError(null);
      return result;
    }
    const reason = chatRefusal(result);
    if (reason !== "") this.#setChatError(reason);
    return { ok: false, reason };
  }

  /** Leaves on the player's request: tells the lobby, then closes everything. */
  leave(): void {
    if (this.#ended) return;
    this.room.leave();
    this.#teardown();
  }

  #playView(peerId: string): PlayView {
    const seat = this.room.peer(peerId);
    const self = { id: peerId, name: seat?.name ?? this.playerName, color: seat?.color ?? null };
    return {
      lobbyCode: this.lobbyCode,
      self,
      player: this.player,
      remoteAvatars: (nowMs) => this.#remoteAvatars(nowMs),
      selfSpeaking: () => this.room.voice.transmitting,
      pickupRadius: this.#world?.world.config.pickupRadius ?? DEFAULT_WORLD_CONFIG.pickupRadius,
      world: (nowMs) => this.#world?.view(nowMs) ?? null,
      playerName: (id) => this.room.peer(id)?.name ?? id,
      playerColor: (id) => this.room.colorOf(id),
      network: () => this.peerSnapshots(),
      peerCounts: () => this.#peerCounts(),
    };
  }

  /**
   * Each remote avatar where interpolation puts it at `nowMs` (once per frame), with each voice
   * placed where its avatar is drawn.
   */
  #remoteAvatars(nowMs: number): RemoteAvatarView[] {
    const avatars = this.#sampleAvatars(nowMs);
    placeVoices(
      this.room.voice,
      this.room.settings?.voice ?? "everyone",
      this.player.state,
      avatars,
    );
    return avatars;
  }

  #sampleAvatars(nowMs: number): RemoteAvatarView[] {
    return this.room.peers.flatMap((peerId) => {
      const sample = this.#motion.sample(peerId, nowMs);
      if (sample === null) return [];
      const peer = this.room.peer(peerId);
      return [
        {
          id: peerId,
          name: peer?.name ?? peerId,
          color: peer?.color ?? null,
          x: sample.x,
          y: sample.y,
          connected: peer?.connected ?? true,
          speaking: this.room.voice.peer(peerId).speaking,
        },
      ];
    });
  }

  /** Peers counted as connected when the game's packets reach them, directly or relayed. */
  #peerCounts(): { total: number; connected: number } {
    const peers = this.room.peers;
    return {
      total: peers.length,
      connected: peers.filter((peerId) => this.room.reachable(peerId)).length,
    };
  }

  #logContext() {
    return {
      selfId: this.room.selfId,
      nameOf: (peerId: string) => this.room.nameOf(peerId) ?? "A player",
    };
  }

  #changed(): void {
    if (this.#ended) return;
    this.#reportStatus();
    this.#events.onLobbyChanged();
  }

  #reportStatus(): void {
    const room = this.room;
    switch (room.connection) {
      case "connecting":
        this.#events.onStatus(
          connectingStatus(this.lobbyCode, room.reconnectAttempt),
          room.reconnectAttempt === 0 ? "info" : "warning",
        );
        return;
      case "reconnecting":
        this.#events.onStatus(reconnectingStatus(room.reconnectAttempt), "warning");
        return;
      case "open": {
        const { total, connected } = this.#peerCounts();
        this.#events.onStatus(meshStatus(total, connected), "info");
        return;
      }
      case "closed":
        return;
      default:
        assertNever(room.connection, "connection state");
    }
  }

  #onProblem(problem: Problem): void {
    if (this.#ended) return;
    switch (problem.code) {
      case ProblemCode.SeatExpired: {
        const text = seatExpiredText();
        this.log.note(text, Date.now());
        this.#events.onProblem(text);
        return;
      }
      case ProblemCode.LobbyRefused:
        if (problem.error === ErrorCode.ChatTooFast) {
          this.#setChatError(
            "You are sending messages too fast; that one was not delivered. Wait a moment.",
          );
          return;
        }
        if (problem.error !== undefined && ACTION_ERRORS.has(problem.error)) {
          this.#events.onProblem(ERROR_MESSAGES[problem.error]);
          return;
        }
        break;
      default:
        break;
    }
    // The rest answer something the client did on its own (a signal to a peer that just
    // left, a path being renegotiated): useful to developers, not actionable for the player.
    console.warn("edgeplay:", problem);
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

  #end(end: RoomEnd): void {
    if (this.#ended) return;
    this.#teardown();
    this.#events.onEnded({ message: roomEndText(end), rejoin: end.rejoin });
  }

  #teardown(): void {
    this.#ended = true;
    if (this.#chatErrorTimer !== null) clearTimeout(this.#chatErrorTimer);
    this.#world?.stop();
  }
}

/** Why a chat line did not go, in words; empty for an empty line (nothing to say). */
function chatRefusal(result: Exclude<ChatResult, { ok: true }>): string {
  switch (result.reason) {
    case "empty":
      return "";
    case "too-long":
      return `Messages can be at most ${MAX_CHAT_CHARS} characters.`;
    case "offline":
      return "Not connected to the lobby right now; your message was not sent.";
    case "too-fast":
      return "You are sending messages too fast. Wait a moment before the next one.";
    default:
      return assertNever(result.reason, "chat refusal");
  }
}
