/**
 * The connection to one remote peer: an RTCPeerConnection with the two pre-negotiated data
 * channels, negotiated with the W3C "perfect negotiation" pattern, so either side may offer
 * at any time and collisions resolve themselves.
 *
 * One exception on purpose: the first offer comes from the impolite side. When the polite
 * side rolls back its own offer while that offer's ICE gathering is still starting, Chromium
 * often never gathers candidates for the answer that follows, and the pair never connects
 * (seen in about 2 of 3 tries with two peer connections in one page). So the polite side
 * waits for the impolite side's offer and only offers itself if none arrives in time.
 */
import { EVENTS_CHANNEL, STATE_BUFFER_LIMIT_BYTES, STATE_CHANNEL } from "../../shared/channels.ts";
import type { SignalData } from "../../shared/protocol.ts";
import { decodeState, type StatePacket } from "../../shared/wire.ts";
import type { ChannelSnapshot, PeerSnapshot } from "../debug.ts";
import { epochNow } from "./epoch-now.ts";
import { NewestState } from "./newest-state.ts";
import type { SignalingChannel } from "./signaling-channel.ts";

/** How long the polite side waits for the first offer before making its own. */
const FIRST_OFFER_GRACE_MS = 2000;
/** How long the polite side leaves an ICE restart to the impolite side (avoids a collision). */
const POLITE_RESTART_DELAY_MS = 2000;

/** Who is at the other end. */
export interface PeerIdentity {
  readonly id: string;
  readonly name: string;
}

export interface PeerLinkOptions {
  readonly localId: string;
  readonly remote: PeerIdentity;
  readonly signaling: SignalingChannel;
  readonly iceServers: readonly RTCIceServer[];
  /** `relay` allows TURN paths only (a developer switch for testing them). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** Connection or channel state changed. */
  readonly onChange: () => void;
  /** Something a developer should know about; `forPlayer` when the player should too. */
  readonly onProblem: (message: string, forPlayer: boolean) => void;
}

/** Both sides must agree on who yields in an offer collision: the lower peer id does. */
export function isPolite(localId: string, remoteId: string): boolean {
  return localId < remoteId;
}

export class PeerLink {
  readonly id: string;
  readonly polite: boolean;
  #name: string;
  readonly #options: PeerLinkOptions;
  readonly #pc: RTCPeerConnection;
  readonly #state: RTCDataChannel;
  readonly #events: RTCDataChannel;
  readonly #received = new NewestState();
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #channelsOpenAt: number | null = null;
  #stateSendDrops = 0;
  #signalFailures = 0;
  #closed = false;
  #politeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
    this.id = options.remote.id;
    this.#name = options.remote.name;
    this.polite = isPolite(options.localId, options.remote.id);
    this.#pc = new RTCPeerConnection({
      iceServers: [...options.iceServers],
      iceTransportPolicy: options.iceTransportPolicy,
    });
    // Created before any offer exists: their negotiationneeded starts the handshake.
    this.#state = this.#pc.createDataChannel(STATE_CHANNEL.label, { ...STATE_CHANNEL.init });
    this.#events = this.#pc.createDataChannel(EVENTS_CHANNEL.label, { ...EVENTS_CHANNEL.init });
    for (const channel of [this.#state, this.#events]) {
      channel.binaryType = "arraybuffer";
      channel.addEventListener("open", () => this.#onChannelOpen());
      channel.addEventListener("close", () => this.#changed());
    }
    this.#state.addEventListener("message", (event) => this.#onStateMessage(event.data));

    this.#pc.addEventListener("negotiationneeded", () => this.#onNegotiationNeeded());
    this.#pc.addEventListener("icecandidate", ({ candidate }) => {
      // null marks the end of gathering; peers connect fine without hearing about it.
      if (candidate !== null) this.#sendCandidate(candidate);
    });
    this.#pc.addEventListener("connectionstatechange", () => this.#onConnectionStateChange());
  }

  get name(): string {
    return this.#name;
  }

  set name(name: string) {
    this.#name = name;
  }

  /** Both channels are open right now. */
  get isOpen(): boolean {
    return this.#state.readyState === "open" && this.#events.readyState === "open";
  }

  get latestState(): StatePacket | null {
    return this.#received.latest;
  }

  /** State packets this side skipped because the channel was not open or its buffer full. */
  get stateSendDrops(): number {
    return this.#stateSendDrops;
  }

  /** Signals from this peer that could not be applied (each also reported via onProblem). */
  get signalFailures(): number {
    return this.#signalFailures;
  }

  /** Sends one state packet, or drops it (and counts the drop) rather than queue it. */
  sendState(payload: Uint8Array<ArrayBuffer>): boolean {
    const channel = this.#state;
    if (channel.readyState !== "open" || channel.bufferedAmount > STATE_BUFFER_LIMIT_BYTES) {
      this.#stateSendDrops++;
      return false;
    }
    try {
      channel.send(payload);
      return true;
    } catch {
      // The channel can close between the readyState check and send.
      this.#stateSendDrops++;
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
      const reason = error instanceof Error ? error.message : String(error);
      this.#options.onProblem(`Could not update ICE servers for ${this.#name}: ${reason}`, false);
    }
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
    this.#state.close();
    this.#events.close();
    this.#pc.close();
  }

  snapshot(): PeerSnapshot {
    const latest = this.#received.latest;
    return {
      id: this.id,
      name: this.#name,
      connectionState: this.#pc.connectionState,
      polite: this.polite,
      channels: [snapshotChannel(this.#state), snapshotChannel(this.#events)],
      statePacketsReceived: this.#received.accepted,
      stateSendDrops: this.#stateSendDrops,
      lastState: latest && { seq: latest.seq, tick: latest.tick, x: latest.x, y: latest.y },
      channelsOpenAt: this.#channelsOpenAt,
    };
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
    if (this.#ignoreOffer) return;

    this.#isSettingRemoteAnswerPending = type === "answer";
    try {
      // For the polite side this rolls back its own pending offer implicitly.
      await this.#pc.setRemoteDescription({ type, sdp });
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    if (type === "offer") {
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
    this.#options.signaling.send(this.id, {
      kind: "description",
      type: description.type,
      sdp: description.sdp,
    });
  }

  #sendCandidate(candidate: RTCIceCandidate): void {
    if (this.#closed) return;
    const init = candidate.toJSON();
    this.#options.signaling.send(this.id, {
      kind: "candidate",
      candidate: init.candidate ?? "",
      sdpMid: init.sdpMid ?? null,
      sdpMLineIndex: init.sdpMLineIndex ?? null,
      usernameFragment: init.usernameFragment ?? null,
    });
  }

  #onChannelOpen(): void {
    if (this.#channelsOpenAt === null && this.isOpen) this.#channelsOpenAt = epochNow();
    this.#changed();
  }

  #onStateMessage(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return;
    const packet = decodeState(new Uint8Array(data));
    if (packet !== null) this.#received.offer(packet);
  }

  #onConnectionStateChange(): void {
    if (this.#closed) return;
    if (this.#pc.connectionState === "failed") {
      this.#options.onProblem(`Could not reach ${this.#name} directly; trying again.`, true);
      this.#restartIce();
    }
    this.#changed();
  }

  /** An ICE restart renegotiates through the lobby; the impolite side goes first. */
  #restartIce(): void {
    if (!this.polite) {
      this.#pc.restartIce();
      return;
    }
    this.#afterPoliteDelay(POLITE_RESTART_DELAY_MS, () => {
      if (this.#pc.connectionState === "failed") this.#pc.restartIce();
    });
  }

  #signalFailed(what: string, error: unknown): void {
    this.#signalFailures++;
    const reason = error instanceof Error ? error.message : String(error);
    this.#options.onProblem(`Signaling with ${this.#name} failed while ${what}: ${reason}`, false);
  }

  #changed(): void {
    if (!this.#closed) this.#options.onChange();
  }
}

function snapshotChannel(channel: RTCDataChannel): ChannelSnapshot {
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
