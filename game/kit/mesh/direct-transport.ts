/**
 * The direct path to one peer: an RTCPeerConnection with the two pre-negotiated data
 * channels, negotiated with the W3C "perfect negotiation" pattern, so either side may offer
 * at any time and collisions resolve themselves. "Direct" here means not through the lobby:
 * the path may be host-to-host, through NATs (STUN) or through a TURN server, which `path`
 * tells apart from `getStats()`.
 *
 * One exception on purpose: the first offer comes from the impolite side. When the polite
 * side rolls back its own offer while that offer's ICE gathering is still starting, Chromium
 * often never gathers candidates for the answer that follows, and the pair never connects
 * (seen in about 2 of 3 tries with two peer connections in one page). So the polite side
 * waits for the impolite side's offer and only offers itself if none arrives in time.
 *
 * An offer lost on its way through the lobby would leave this side in `have-local-offer` for
 * good (the peer's offers collide with it, `restartIce()` cannot fire there): one left without
 * an answer is rolled back and made again with an ICE restart (`negotiation-watchdog.ts`).
 */
import {
  EVENTS_CHANNEL,
  STATE_BUFFER_LIMIT_BYTES,
  STATE_CHANNEL,
} from "../../../shared/channels.ts";
import type { SignalData } from "../../../shared/protocol.ts";
import { type BackoffOptions, backoffCeilingMs } from "../lobby/backoff.ts";
import type { DataChannelLike, PeerConnectionLike, Platform } from "../platform/platform.ts";
import { errorDetail, type Problem, ProblemCode } from "../problems.ts";
import type { ChannelInfo } from "../stats.ts";
import { AudioPort, audioFromStats, supportsMedia } from "../voice/audio-port.ts";
import { type AudioFlow, type AudioReading, audioFlow } from "../voice/audio-stats.ts";
import { withOpusDtx } from "../voice/opus-sdp.ts";
import { NegotiationWatchdog } from "./negotiation-watchdog.ts";
import { fromAnotherConnection } from "./sdp-session.ts";
import { type DirectPath, directPathFromStats } from "./selected-path.ts";
import type { SignalingChannel } from "./signaling-channel.ts";
import type { PacketChannel, PacketTransport } from "./transport.ts";

/** How long the polite side waits for the first offer before making its own. */
const FIRST_OFFER_GRACE_MS = 2000;
/** How long the polite side leaves an ICE restart to the impolite side (avoids a collision). */
const POLITE_RESTART_DELAY_MS = 2000;
/**
 * `disconnected` often heals by itself within a second or two (a few lost STUN checks); an
 * ICE restart costs a round of signaling, so it waits this long first.
 */
const DISCONNECTED_RESTART_DELAY_MS = 2000;
/**
 * Once ICE has failed after a restart (the relay carries the game by then), it is tried
 * again in the background at these intervals: the network may have changed.
 */
const BACKGROUND_RESTARTS: BackoffOptions = { baseMs: 10_000, capMs: 60_000 };
/**
 * How often the selected candidate pair is read (a path changes rarely, getStats is not free)
 * and a pending offer is checked for a lost answer.
 */
const CHECK_INTERVAL_MS = 1000;

export interface DirectTransportOptions {
  readonly localId: string;
  readonly remoteId: string;
  readonly platform: Platform;
  readonly signaling: SignalingChannel;
  readonly iceServers: readonly RTCIceServer[];
  /** `relay` allows TURN paths only (a developer switch for testing them). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /**
   * Sends state-channel packets on the reliable `events` channel instead (a developer switch
   * for benchmarks: receivers tell the two apart by their first byte).
   */
  readonly stateOverEvents: boolean;
  /** A packet arrived on one of the channels, at `nowMs` (platform.now()). */
  readonly onPacket: (
    channel: PacketChannel,
    bytes: Uint8Array,
    via: DirectTransport,
    nowMs: number,
  ) => void;
  /** Connection, channel or path state changed. */
  readonly onChange: () => void;
  /** ICE failed although it had been restarted since it last worked. */
  readonly onIceGaveUp: () => void;
  /**
   * A data channel closed without us closing it (the SCTP association aborted, or the peer
   * closed its connection): this connection cannot carry packets again. Called once.
   */
  readonly onChannelsLost: (lost: DirectTransport) => void;
  /** Something a developer should know about (the player sees the path in the HUD). */
  readonly onProblem: (problem: Problem) => void;
}

/** Both sides must agree on who yields in an offer collision: the lower peer id does. */
export function isPolite(localId: string, remoteId: string): boolean {
  return localId < remoteId;
}

export class DirectTransport implements PacketTransport {
  readonly kind = "direct";
  readonly polite: boolean;
  /** Voice on this connection; null where the runtime's connections carry no media (Node). */
  readonly audio: AudioPort | null;
  readonly #options: DirectTransportOptions;
  readonly #pc: PeerConnectionLike;
  readonly #state: DataChannelLike;
  readonly #events: DataChannelLike;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #channelsOpenAt: number | null = null;
  /** ICE restarts since the connection last reached `connected`. */
  #restartsSinceConnected = 0;
  #path: DirectPath | null = null;
  #audioReading: AudioReading | null = null;
  #audioFlow: AudioFlow | null = null;
  readonly #watchdog = new NegotiationWatchdog();
  #channelsLost = false;
  #closed = false;
  #politeTimer: ReturnType<typeof setTimeout> | null = null;
  #restartTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #checkTimer: ReturnType<typeof setInterval>;

  constructor(options: DirectTransportOptions) {
    this.#options = options;
    this.polite = isPolite(options.localId, options.remoteId);
    const PeerConnection = options.platform.RTCPeerConnection;
    if (PeerConnection === null) {
      throw new TypeError("edgeplay: no RTCPeerConnection here; pass platform.RTCPeerConnection");
    }
    this.#pc = new PeerConnection({
      iceServers: [...options.iceServers],
      iceTransportPolicy: options.iceTransportPolicy,
    });
    // Voice only where it can be played: Node's polyfill has media methods that throw.
    const media = options.platform.createAudioElement !== null && supportsMedia(this.#pc);
    this.audio = media ? new AudioPort(this.#pc) : null;
    // Created before any offer exists: their negotiationneeded starts the handshake.
    this.#state = this.#pc.createDataChannel(STATE_CHANNEL.label, { ...STATE_CHANNEL.init });
    this.#events = this.#pc.createDataChannel(EVENTS_CHANNEL.label, { ...EVENTS_CHANNEL.init });
    for (const [channel, name] of [
      [this.#state, "state"],
      [this.#events, "events"],
    ] as const) {
      channel.binaryType = "arraybuffer";
      channel.addEventListener("open", () => this.#onChannelOpen());
      channel.addEventListener("close", () => this.#onChannelClose());
      channel.addEventListener("message", (event) => this.#onMessage(name, event.data));
    }

    this.#pc.addEventListener("negotiationneeded", () => this.#onNegotiationNeeded());
    this.#pc.addEventListener("icecandidate", ({ candidate }) => {
      // null marks the end of gathering; peers connect fine without hearing about it.
      if (candidate !== null) this.#sendCandidate(candidate);
    });
    this.#pc.addEventListener("connectionstatechange", () => this.#onConnectionStateChange());
    this.#checkTimer = setInterval(() => {
      void this.#readPath();
      this.#checkPendingOffer();
    }, CHECK_INTERVAL_MS);
  }

  /** Both channels are open right now (they may still be silent while ICE reconnects). */
  get isOpen(): boolean {
    return this.#state.readyState === "open" && this.#events.readyState === "open";
  }

  /** Channels open and ICE connected: what is sent now should arrive. */
  get usable(): boolean {
    return !this.#closed && this.isOpen && this.#pc.connectionState === "connected";
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  /** Host/STUN or TURN, from the selected candidate pair; null until getStats has said. */
  get path(): DirectPath | null {
    return this.#path;
  }

  /** The pair's audio counters as the last path check read them (each second); null before. */
  get audioReading(): AudioReading | null {
    return this.#audioReading;
  }

  /** The pair's audio between the last two path checks; null before there is any. */
  get audioFlow(): AudioFlow | null {
    return this.#audioFlow;
  }

  /** Epoch ms when both channels were first open, else null. */
  get channelsOpenAt(): number | null {
    return this.#channelsOpenAt;
  }

  get channels(): ChannelInfo[] {
    return [snapshotChannel(this.#state), snapshotChannel(this.#events)];
  }

  /**
   * Sends one packet. State packets are dropped rather than queued behind a backlog: the next
   * one, 33 ms later, supersedes it. Events are reliable and always queued.
   */
  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>): boolean {
    const target =
      channel === "state" && !this.#options.stateOverEvents ? this.#state : this.#events;
    if (target.readyState !== "open") return false;
    if (channel === "state" && target.bufferedAmount > STATE_BUFFER_LIMIT_BYTES) return false;
    try {
      target.send(packet);
      return true;
    } catch {
      // The channel can close between the readyState check and send.
      return false;
    }
  }

  /**
   * New ICE servers (fresh TURN credentials) for this connection's next gathering: an ICE
   * restart, or candidates gathered later. The current path is not disturbed.
   */
  setIceServers(iceServers: readonly RTCIceServer[]): void {
    if (this.#closed) return;
    try {
      this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), iceServers: [...iceServers] });
    } catch (error) {
      this.#problem(ProblemCode.IceServersRejected, { detail: errorDetail(error) });
    }
  }

  /** Whether a description from the peer comes from another connection than the one we know. */
  isFromAnotherConnection(sdp: string): boolean {
    return fromAnotherConnection(sdp, this.#pc.remoteDescription?.sdp ?? null);
  }

  /** Applies one signal from this peer. Never rejects: failures are counted and reported. */
  async handleSignal(data: SignalData): Promise<void> {
    if (this.#closed) return;
    try {
      if (data.kind === "description") {
        await this.#onDescription(data.type, data.sdp);
      } else {
        await this.#onCandidate(data);
      }
    } catch (error) {
      this.#signalFailed(`applying ${describeSignal(data)}`, error);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#politeTimer !== null) clearTimeout(this.#politeTimer);
    if (this.#restartTimer !== null) clearTimeout(this.#restartTimer);
    clearInterval(this.#checkTimer);
    this.audio?.close();
    this.#state.close();
    this.#events.close();
    this.#pc.close();
  }

  #onNegotiationNeeded(): void {
    if (this.polite && this.#pc.remoteDescription === null) {
      this.#afterPoliteDelay(FIRST_OFFER_GRACE_MS, () => {
        if (this.#pc.remoteDescription === null) void this.#makeOffer();
      });
      return;
    }
    void this.#makeOffer();
  }

  /** Runs `action` later unless the link closed meanwhile; one pending action at a time. */
  #afterPoliteDelay(delayMs: number, action: () => void): void {
    if (this.#politeTimer !== null) return;
    this.#politeTimer = setTimeout(() => {
      this.#politeTimer = null;
      if (!this.#closed) action();
    }, delayMs);
  }

  async #makeOffer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      if (this.#pc.localDescription?.type === "offer")
        this.#watchdog.offerSent(this.#options.platform.now());
      this.#sendLocalDescription();
    } catch (error) {
      this.#signalFailed("making an offer", error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onDescription(type: "offer" | "answer", sdp: string): Promise<void> {
    const readyForOffer =
      !this.#makingOffer &&
      (this.#pc.signalingState === "stable" || this.#isSettingRemoteAnswerPending);
    const offerCollision = type === "offer" && !readyForOffer;
    this.#ignoreOffer = !this.polite && offerCollision;
    // An ignored offer leaves ours pending: the watchdog must still see it unanswered.
    if (this.#ignoreOffer) return;

    this.#watchdog.peerHeard();
    this.#isSettingRemoteAnswerPending = type === "answer";
    try {
      // For the polite side this rolls back its own pending offer implicitly. Our voice
      // encoder follows the peer's Opus parameters: asking for DTX here is how ours gets it.
      await this.#pc.setRemoteDescription({ type, sdp: withOpusDtx(sdp) });
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    // Our own negotiationneeded may have answered meanwhile (a fresh connection given an offer).
    if (type === "offer" && this.#pc.signalingState === "have-remote-offer") {
      await this.#pc.setLocalDescription();
      this.#sendLocalDescription();
    }
  }

  async #onCandidate(data: Extract<SignalData, { kind: "candidate" }>): Promise<void> {
    try {
      await this.#pc.addIceCandidate({
        candidate: data.candidate,
        sdpMid: data.sdpMid ?? null,
        sdpMLineIndex: data.sdpMLineIndex ?? null,
        usernameFragment: data.usernameFragment ?? null,
      });
    } catch (error) {
      // Candidates for an offer we chose to ignore are expected to fail.
      if (!this.#ignoreOffer) throw error;
    }
  }

  #sendLocalDescription(): void {
    const description = this.#pc.localDescription;
    if (description === null || this.#closed) return;
    if (description.type !== "offer" && description.type !== "answer") return;
    this.#options.signaling.send(this.#options.remoteId, {
      kind: "description",
      type: description.type,
      sdp: description.sdp,
    });
  }

  #sendCandidate(candidate: RTCIceCandidate): void {
    if (this.#closed) return;
    const init = candidate.toJSON();
    this.#options.signaling.send(this.#options.remoteId, {
      kind: "candidate",
      candidate: init.candidate ?? "",
      sdpMid: init.sdpMid ?? null,
      sdpMLineIndex: init.sdpMLineIndex ?? null,
      usernameFragment: init.usernameFragment ?? null,
    });
  }

  #onChannelOpen(): void {
    if (this.#channelsOpenAt === null && this.isOpen)
      this.#channelsOpenAt = this.#options.platform.epochNow();
    // Which kind of path opened matters to the HUD at once, not a second later.
    if (this.isOpen) void this.#readPath();
    this.#changed();
  }

  #onChannelClose(): void {
    if (this.#closed) return;
    if (!this.#channelsLost) {
      this.#channelsLost = true;
      this.#options.onChannelsLost(this);
    }
    this.#changed();
  }

  #onMessage(channel: PacketChannel, data: unknown): void {
    if (this.#closed || !(data instanceof ArrayBuffer)) return;
    this.#options.onPacket(channel, new Uint8Array(data), this, this.#options.platform.now());
  }

  #onConnectionStateChange(): void {
    if (this.#closed) return;
    switch (this.#pc.connectionState) {
      case "connected":
        this.#restartsSinceConnected = 0;
        this.#cancelRestart();
        void this.#readPath();
        break;
      case "disconnected":
        this.#scheduleRestart(DISCONNECTED_RESTART_DELAY_MS);
        break;
      case "failed":
        this.#onFailed();
        break;
      default:
        break;
    }
    this.#changed();
  }

  #onFailed(): void {
    if (this.#restartsSinceConnected === 0) {
      this.#problem(ProblemCode.IceFailed, { retry: true });
      this.#cancelRestart();
      this.#scheduleRestart(0);
      return;
    }
    this.#problem(ProblemCode.DirectPathLost, { retry: true });
    this.#options.onIceGaveUp();
    this.#cancelRestart();
    this.#scheduleRestart(backoffCeilingMs(this.#restartsSinceConnected - 1, BACKGROUND_RESTARTS));
  }

  /**
   * An ICE restart renegotiates through the lobby. The impolite side goes first; the polite
   * side waits POLITE_RESTART_DELAY_MS longer and restarts only if nothing has happened, so
   * the two restart offers do not collide.
   */
  #scheduleRestart(delayMs: number): void {
    if (this.#restartTimer !== null) return;
    const wait = delayMs + (this.polite ? POLITE_RESTART_DELAY_MS : 0);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      const state = this.#pc.connectionState;
      if (this.#closed || (state !== "disconnected" && state !== "failed")) return;
      this.#restartsSinceConnected++;
      void this.#restartIceNow();
    }, wait);
  }

  /**
   * An ICE restart that works whatever the signaling state: `restartIce()` only fires
   * `negotiationneeded` from `stable`, so an offer of ours still waiting for its answer (likely
   * lost) is rolled back first. The offer then comes from `negotiationneeded`.
   */
  async #restartIceNow(): Promise<void> {
    try {
      if (this.#pc.signalingState === "have-local-offer" && !this.#makingOffer) {
        await this.#pc.setLocalDescription({ type: "rollback" });
      }
      if (!this.#closed) this.#pc.restartIce();
    } catch (error) {
      this.#signalFailed("restarting ICE", error);
    }
  }

  /** An offer that got no answer in time was lost: offer again, with an ICE restart. */
  #checkPendingOffer(): void {
    if (this.#closed || this.#makingOffer || this.#isSettingRemoteAnswerPending) return;
    if (!this.#watchdog.offerLost(this.#pc.signalingState, this.#options.platform.now())) return;
    this.#problem(ProblemCode.OfferUnanswered, { retry: true });
    void this.#restartIceNow();
  }

  #cancelRestart(): void {
    if (this.#restartTimer === null) return;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
  }

  async #readPath(): Promise<void> {
    if (this.#closed || this.#pc.connectionState !== "connected") return;
    try {
      const report = await this.#pc.getStats();
      if (this.audio !== null) this.#readAudio(report.values());
      const path = directPathFromStats(report.values());
      if (this.#closed || path === null || path === this.#path) return;
      this.#path = path;
      this.#changed();
    } catch {
      // A connection closed mid-call rejects; the next poll (or none, if closed) decides.
    }
  }

  #readAudio(report: Iterable<unknown>): void {
    const { inbound, outbound, readAtMs } = audioFromStats(report);
    // When the counters were read, not when the answer got here: a busy page gets it late,
    // and dividing by its own clock would inflate one second's rates and deflate the next.
    const reading = { atMs: readAtMs ?? this.#options.platform.now(), inbound, outbound };
    if (this.#audioReading !== null) this.#audioFlow = audioFlow(this.#audioReading, reading);
    this.#audioReading = reading;
  }

  #signalFailed(what: string, error: unknown): void {
    // A signal still being applied when the link closed fails for that reason alone.
    if (this.#closed) return;
    this.#problem(ProblemCode.SignalFailed, { detail: `${what}: ${errorDetail(error)}` });
  }

  #problem(code: ProblemCode, more: Omit<Problem, "code" | "peerId">): void {
    this.#options.onProblem({ code, peerId: this.#options.remoteId, ...more });
  }

  #changed(): void {
    if (!this.#closed) this.#options.onChange();
  }
}

function snapshotChannel(channel: DataChannelLike): ChannelInfo {
  return {
    label: channel.label,
    readyState: channel.readyState,
    ordered: channel.ordered,
    maxRetransmits: channel.maxRetransmits,
    negotiated: channel.negotiated,
    id: channel.id,
  };
}

function describeSignal(data: SignalData): string {
  return data.kind === "description" ? `an ${data.type}` : "an ICE candidate";
}
