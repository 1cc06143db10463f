/**
 * One player's stay in one lobby, behind one object: the lobby link (socket, heartbeat,
 * reconnects with the resume token), paced signaling, the peer mesh and its relay ladder,
 * reconciliation after a drop, the network tick, streams and actions. A game calls
 * `connect()`, listens, declares its streams and actions, and never sees a socket.
 */

import * as v from "valibot";
import { assertNever } from "../../../shared/assert-never.ts";
import { SHED_ERRORS } from "../../../shared/codes.ts";
import { CHAT_LIMIT, MAX_CHAT_CHARS, STATE_HZ } from "../../../shared/limits.ts";
import { normalizeLobbyCode } from "../../../shared/lobby-code.ts";
import {
  type IceServer,
  type LobbyPhase,
  PeerIdSchema,
  type PeerInfo,
  ResumeTokenSchema,
  type Welcome,
} from "../../../shared/protocol.ts";
import { TokenBucket } from "../../../shared/token-bucket.ts";
import { LobbyApi } from "../lobby/lobby-api.ts";
import type { LobbyEvent } from "../lobby/lobby-event.ts";
import { type ConnectionState, ReconnectingLobby, type Seat } from "../lobby/reconnecting-lobby.ts";
import { iceServerUrls, toRtcIceServers } from "../mesh/ice-config.ts";
import { Mesh } from "../mesh/mesh.ts";
import { SignalPacer } from "../mesh/signal-pacer.ts";
import { type Platform, resolvePlatform } from "../platform/platform.ts";
import { errorDetail, type Problem, ProblemCode } from "../problems.ts";
import type { PeerStats } from "../stats.ts";
import { PeerVoiceSchema, VOICE_ACTION, Voice } from "../voice/voice.ts";
import { type DropReason, MAX_HZ } from "../wire/state-channel.ts";
import { type Action, type ActionSchema, ActionSet } from "./actions.ts";
import { Emitter } from "./emitter.ts";
import type { RoomEnd, RoomEvents } from "./room-events.ts";
import { type RoomNews, RoomState } from "./room-state.ts";
import { type Stream, type StreamOptions, StreamSet } from "./streams.ts";

/** `auto`: direct paths with the relay ladder; `edge`: every pair through the edge relay. */
export type TransportMode = "auto" | "edge";

export interface ConnectOptions {
  /** The lobby service's origin, e.g. `https://play.example.com` (a page passes its own). */
  readonly server: string | URL;
  /** The lobby to join (any case; spaces and dashes are ignored). */
  readonly code: string;
  /** The player's name as others see it (docs/protocol.md says what the lobby accepts). */
  readonly name: string;
  /**
   * A seat the lobby may still hold for us (`room.seat` as an earlier page stored it): the room
   * takes it back, same peer id. A seat that is gone is reported as a `seat-expired` problem,
   * and the room joins as a new player with `name`.
   */
  readonly resume?: Seat;
  /** Where the lobby API is mounted on `server` (default `/api`). */
  readonly apiPrefix?: string;
  /** What the room takes from its runtime; anything left out comes from the global scope. */
  readonly platform?: Partial<Platform>;
  /** Network ticks per second: path planning, stream sends, `tick` listeners (default 30). */
  readonly tickHz?: number;
  /** `relay` allows TURN paths only (for testing them; default `all`). */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** `edge` sends every pair through the edge relay and skips WebRTC (default `auto`). */
  readonly transport?: TransportMode;
  /** Streams on the reliable channel instead (to measure what the unreliable one buys). */
  readonly streamsOverReliable?: boolean;
}

export type ChatResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "empty" | "too-long" | "too-fast" | "offline" };

/** The ICE servers in use, without credentials. */
export interface IceInfo {
  readonly transportPolicy: RTCIceTransportPolicy;
  readonly urls: readonly string[];
  /** Epoch ms when the TURN credentials expire; null without TURN. */
  readonly expireAt: number | null;
}

/** Joins the lobby `options.code` and keeps the player there until `leave()` or an end. */
export function connect(options: ConnectOptions): Room {
  return new Room(options);
}

export class Room {
  readonly code: string;
  readonly name: string;
  readonly api: LobbyApi;
  readonly tickHz: number;
  readonly transport: TransportMode;
  readonly #platform: Platform;
  readonly #iceTransportPolicy: RTCIceTransportPolicy;
  readonly #streamsOverReliable: boolean;
  readonly #events = new Emitter<RoomEvents>((event, error) => this.#listenerFailed(event, error));
  readonly #state = new RoomState();
  readonly #link: ReconnectingLobby;
  readonly #chatBucket: TokenBucket;
  readonly #streams: StreamSet;
  readonly #actions = new ActionSet();
  /** The player's voice and everyone else's (docs/kit.md, "Voice"). */
  readonly voice: Voice;
  #mesh: Mesh | null = null;
  /** The mesh's signals, paced under the lobby's frame limit; one per mesh. */
  #signals: SignalPacer | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #iceServers: RTCIceServer[] = [];
  #iceServersExpireAt: number | null = null;
  #welcomedAt: number | null = null;
  #shed = 0;
  #ended = false;

  constructor(options: ConnectOptions) {
    const code = normalizeLobbyCode(options.code);
    if (code === null) throw new RangeError(`not a lobby code: ${options.code}`);
    const { resume } = options;
    if (
      resume !== undefined &&
      !(v.is(PeerIdSchema, resume.peerId) && v.is(ResumeTokenSchema, resume.token))
    ) {
      throw new RangeError("resume needs a peer id and a resume token as the lobby gave them");
    }
    this.code = code;
    this.name = options.name;
    this.tickHz = options.tickHz ?? STATE_HZ;
    // Streams carry their rate in a byte: a tick faster than that could not be told apart.
    if (!(this.tickHz > 0 && this.tickHz <= MAX_HZ)) {
      throw new RangeError(`tickHz must be in (0, ${MAX_HZ}]`);
    }
    this.transport = options.transport ?? "auto";
    this.#platform = resolvePlatform(options.platform);
    this.#iceTransportPolicy = options.iceTransportPolicy ?? "all";
    this.#streamsOverReliable = options.streamsOverReliable ?? false;
    this.#chatBucket = new TokenBucket(CHAT_LIMIT, this.#platform.now());
    this.#streams = new StreamSet(this.tickHz);
    this.api = new LobbyApi({
      server: options.server,
      fetch: this.#platform.fetch,
      ...(options.apiPrefix === undefined ? {} : { apiPrefix: options.apiPrefix }),
    });
    const voiceAction = this.action(VOICE_ACTION, PeerVoiceSchema);
    this.voice = new Voice({
      platform: this.#platform,
      links: () => this.#mesh?.links ?? [],
      nameOf: (peerId) => this.#state.nameOf(peerId),
      announce: (state, to) => voiceAction.send(state, to === undefined ? {} : { to }),
      onChange: (peerId) => this.#events.emit("voice", peerId),
    });
    voiceAction.on((state, from) => this.voice.receive(from, state));
    this.#link = new ReconnectingLobby({
      platform: this.#platform,
      socketUrl: (seatPeerId) => this.api.socketUrl(code, seatPeerId),
      playerName: options.name,
      ...(resume === undefined ? {} : { resume }),
      lobbyExists: () => this.api.lobbyExists(code),
      leaveByToken: (token) => void this.api.leaveLobby(code, token),
      events: {
        onWelcome: (welcome) => this.#onWelcome(welcome),
        onEvent: (event) => this.#onLobbyEvent(event),
        onIceServers: (servers, expireAt) => this.#onIceServers(servers, expireAt),
        onServerError: (error, detail) => {
          if (SHED_ERRORS.has(error)) this.#shed++;
          this.#problem({ code: ProblemCode.LobbyRefused, error, detail });
        },
        onConnectionChange: () => this.#events.emit("connection", this.#link.state),
        onProblem: (problem) => this.#problem(problem),
        onEnded: (end) => this.#end(end),
      },
    });
  }

  /** Listens to one kind of news; returns the unsubscribe. */
  on<K extends keyof RoomEvents>(event: K, listener: RoomEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  /** Our peer id once welcomed (a new one if our seat expired and we joined afresh). */
  get selfId(): string | null {
    return this.#state.selfId;
  }

  /**
   * Our seat and its newest resume token, once welcomed (null before, while joining afresh,
   * and after the stay). The token changes with every welcome: store this in a `welcome`
   * listener to pass as `resume` from a page that replaces this one.
   */
  get seat(): Seat | null {
    return this.#link.seat;
  }

  get connection(): ConnectionState {
    return this.#link.state;
  }

  /** The reconnect attempt in progress (1, 2, ...); 0 while connected. */
  get reconnectAttempt(): number {
    return this.#link.attempt;
  }

  /**
   * Frames (signals, edge-relayed packets) the lobby dropped and said so: over our socket's
   * limits (`rate-limited`) or over the lobby's capacity (`overloaded`). Each is also reported
   * as a `lobby-refused` problem with that error code.
   */
  get shed(): number {
    return this.#shed;
  }

  /** How many times a dropped lobby socket was replaced by a welcomed one. */
  get reconnects(): number {
    return this.#link.reconnects;
  }

  /** Epoch ms when the lobby first welcomed us, else null. */
  get welcomedAt(): number | null {
    return this.#welcomedAt;
  }

  get settings() {
    return this.#state.settings;
  }

  get phase(): LobbyPhase {
    return this.#state.phase;
  }

  get hostId(): string | null {
    return this.#state.hostId;
  }

  get hostEpoch(): number {
    return this.#state.hostEpoch;
  }

  get isHost(): boolean {
    return this.#state.isHost;
  }

  /** Everyone in the lobby, us included, in join order. */
  get roster(): readonly PeerInfo[] {
    return this.#state.roster;
  }

  /** The other players we have a link to, in the order they joined. */
  get peers(): readonly string[] {
    return this.#mesh?.links.map((link) => link.id) ?? [];
  }

  peer(peerId: string): PeerInfo | null {
    return this.#state.peer(peerId);
  }

  /** The name of anyone seen in this lobby, present or gone; null for an id never seen. */
  nameOf(peerId: string): string | null {
    return this.#state.nameOf(peerId);
  }

  /** The colour slot of anyone seen in this lobby, present or gone; null for an id never seen. */
  colorOf(peerId: string): number | null {
    return this.#state.colorOf(peerId);
  }

  get ice(): IceInfo {
    return {
      transportPolicy: this.#iceTransportPolicy,
      urls: iceServerUrls(this.#iceServers),
      expireAt: this.#iceServersExpireAt,
    };
  }

  /**
   * Packets from peers dropped undecoded, by reason: `unknown-stream` / `unknown-action` (a
   * peer on another build), `invalid` (failed its codec or schema), `junk`, `too-large`.
   */
  get drops(): {
    readonly stream: Readonly<Record<DropReason, number>>;
    readonly reliable: Readonly<Record<DropReason, number>>;
  } {
    return { stream: { ...this.#streams.drops }, reliable: { ...this.#actions.drops } };
  }

  /** Whether packets reach `peerId` now, directly or through the edge relay. */
  reachable(peerId: string): boolean {
    return this.#mesh?.link(peerId)?.reachable ?? false;
  }

  /** How the pair with `peerId` is doing; null for a peer we have no link to. */
  stats(peerId: string): PeerStats | null {
    const link = this.#mesh?.link(peerId);
    if (!link) return null;
    const now = this.#platform.now();
    return { ...link.stats(now), ...this.#streams.playout(peerId) };
  }

  /**
   * A stream of `T` on the unreliable channel: each tick that is due, `read()` gives our value
   * and every peer gets it; `sample(peerId)` gives theirs, interpolated a little in the past.
   * Declare streams before or after joining, once per name.
   */
  stream<T>(name: string, options: StreamOptions<T>): Stream<T> {
    return this.#streams.add(name, options);
  }

  /** Messages of one kind on the reliable channel, validated with `schema` on receipt. */
  action<T>(name: string, schema: ActionSchema<T>): Action<T> {
    return this.#actions.add(name, schema, {
      send: (packet, to) => this.#sendReliable(packet, to),
      report: (problem) => this.#problem(problem),
    });
  }

  setReady(ready: boolean): boolean {
    return this.#link.sendMessage({ type: "set-ready", ready });
  }

  /** Host only: the lobby answers anyone else with a `lobby-refused` problem. */
  setPhase(phase: LobbyPhase): boolean {
    return this.#link.sendMessage({ type: "set-phase", phase });
  }

  /** Host only. */
  kick(peerId: string): boolean {
    return this.#link.sendMessage({ type: "kick", peerId });
  }

  /** A chat line to everyone, checked against the lobby's limits before it goes. */
  chat(input: string): ChatResult {
    const text = input.trim();
    if (text === "") return { ok: false, reason: "empty" };
    if (text.length > MAX_CHAT_CHARS) return { ok: false, reason: "too-long" };
    if (this.#link.state !== "open") return { ok: false, reason: "offline" };
    if (!this.#chatBucket.take(this.#platform.now())) return { ok: false, reason: "too-fast" };
    if (!this.#link.sendMessage({ type: "chat", text })) return { ok: false, reason: "offline" };
    return { ok: true };
  }

  /** Leaves for good: the lobby frees the seat at once and tells the others. */
  leave(): void {
    if (this.#ended) return;
    this.#link.leave();
    this.#teardown();
  }

  #onWelcome(welcome: Welcome): void {
    if (this.#ended) return;
    this.#welcomedAt ??= this.#platform.epochNow();
    this.#iceServers = toRtcIceServers(welcome.iceServers);
    this.#iceServersExpireAt = welcome.iceServersExpireAt;
    const change = this.#state.applyWelcome(welcome);
    if (change.newSeat) {
      this.#newMesh(welcome);
    } else if (this.#mesh) {
      // Same seat after a drop: the links lived on; catch up with who came and went.
      const mesh = this.#mesh;
      mesh.setIceServers(this.#iceServers);
      for (const id of change.diff.removed) mesh.removePeer(id);
      // Before the newcomers are added: their links are fresh already.
      for (const link of mesh.links) mesh.renewIfNotUsable(link.id);
      for (const peer of change.diff.added) mesh.addPeer(peer);
      for (const id of change.diff.removed) {
        this.#streams.forget(id);
        this.voice.forget(id);
      }
    }
    this.#events.emit("welcome", { selfId: welcome.peerId, newSeat: change.newSeat });
    for (const news of change.news) this.#announce(news);
  }

  #newMesh(welcome: Welcome): void {
    for (const link of this.#mesh?.links ?? []) this.voice.forget(link.id);
    this.#mesh?.close();
    this.#signals?.close();
    this.#streams.forgetAll();
    const signals = new SignalPacer(this.#link, { now: this.#platform.now });
    const mesh = new Mesh({
      localId: welcome.peerId,
      platform: this.#platform,
      signaling: signals,
      relay: this.#link,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      // A runtime without WebRTC can still play, through the edge relay.
      edgeOnly: this.transport === "edge" || this.#platform.RTCPeerConnection === null,
      stateOverEvents: this.#streamsOverReliable,
      onChange: (peerId) => this.#events.emit("peer-path", peerId),
      onStream: (from, packet, nowMs) => this.#streams.receive(from, packet, nowMs),
      onReliable: (from, packet) => this.#actions.receive(from, packet),
      onProblem: (problem) => this.#problem(problem),
    });
    this.#mesh = mesh;
    this.#signals = signals;
    this.#timer ??= setInterval(() => this.#tick(), 1000 / this.tickHz);
    for (const peer of welcome.peers) mesh.addPeer(peer);
  }

  /**
   * The network tick: every path planner moves on, each due stream goes out (with clock-sync
   * pings), then the game's `tick` listeners run. Reads between ticks are pure.
   */
  #tick(): void {
    const mesh = this.#mesh;
    if (this.#ended || mesh === null) return;
    const now = this.#platform.now();
    mesh.update(now);
    try {
      this.voice.update(now);
    } catch (error) {
      // Voice is an extra: whatever a runtime's media calls throw, the game's packets go out.
      this.#problem({ code: ProblemCode.VoiceFailed, detail: errorDetail(error) });
    }
    mesh.sendStreams(
      this.#streams.due((problem) => this.#problem(problem)),
      this.tickHz,
      now,
    );
    this.#events.emit("tick", now);
  }

  #onLobbyEvent(event: LobbyEvent): void {
    if (this.#ended) return;
    const news = this.#state.apply(event);
    const mesh = this.#mesh;
    switch (event.type) {
      case "peer-joined":
        mesh?.addPeer(event.peer);
        break;
      case "peer-left":
        mesh?.removePeer(event.peerId);
        this.#streams.forget(event.peerId);
        this.voice.forget(event.peerId);
        break;
      case "peer-reconnected":
        // Their side renews links that do not carry packets; ours must start over with them.
        mesh?.renewIfNotUsable(event.peerId);
        break;
      default:
        break;
    }
    if (news !== null) this.#announce(news);
  }

  #announce(news: RoomNews): void {
    this.#events.emit("news", news);
    switch (news.type) {
      case "peer-join":
        this.#events.emit("peer-join", news.peer);
        return;
      case "peer-leave":
        this.#events.emit("peer-leave", news);
        return;
      case "peer-away":
        this.#events.emit("peer-away", news.peerId);
        return;
      case "peer-back":
        this.#events.emit("peer-back", news.peerId);
        return;
      case "peer-ready":
        this.#events.emit("peer-ready", news);
        return;
      case "host-change":
        this.#events.emit("host-change", news);
        return;
      case "phase":
        this.#events.emit("phase", news.phase);
        return;
      case "chat":
        this.#events.emit("chat", news.line);
        return;
      default:
        assertNever(news, "room news");
    }
  }

  #onIceServers(servers: readonly IceServer[], expireAt: number | null): void {
    this.#iceServers = toRtcIceServers(servers);
    this.#iceServersExpireAt = expireAt;
    this.#mesh?.setIceServers(this.#iceServers);
  }

  #sendReliable(packet: Uint8Array<ArrayBuffer>, to: string | undefined): number {
    const mesh = this.#mesh;
    if (mesh === null || this.#ended) return 0;
    if (to === undefined) return mesh.broadcastReliable(packet);
    return mesh.sendReliable(to, packet) ? 1 : 0;
  }

  #problem(problem: Problem): void {
    if (!this.#ended) this.#events.emit("problem", problem);
  }

  /**
   * A game's listener threw: the others still ran, and the room goes on. The error is the
   * game's own, so it is reported as a problem (or rethrown apart, if reporting it failed too).
   */
  #listenerFailed(event: keyof RoomEvents, error: unknown): void {
    if (event === "problem" || this.#ended) {
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    this.#problem({
      code: ProblemCode.ListenerFailed,
      detail: `${event}: ${errorDetail(error)}`,
    });
  }

  #end(end: RoomEnd): void {
    if (this.#ended) return;
    this.#teardown();
    this.#events.emit("ended", end);
  }

  #teardown(): void {
    this.#ended = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.voice.close();
    this.#mesh?.close();
    this.#signals?.close();
  }
}
