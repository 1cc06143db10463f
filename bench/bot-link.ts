/**
 * One bot's WebRTC link to one game page, on node-datachannel's native API (libdatachannel).
 * It negotiates the way the game's `DirectTransport` does: the same two pre-negotiated
 * channels, the impolite side (higher peer id) offers first, the polite side waits
 * FIRST_OFFER_GRACE_MS for that offer before offering itself, trickle ICE both ways. The
 * packets go through the game's own `PeerNetcode`: state out with per-peer sequence numbers,
 * clock-sync pings, pings answered with pongs at once, everything arriving counted.
 *
 * Why not the game's `DirectTransport` over `node-datachannel/polyfill`: the polyfill (0.33.4)
 * never fires `negotiationneeded`, treats `setLocalDescription()` without a description as a
 * no-op and throws on `restartIce()`, and the game's negotiation relies on all three.
 */

import {
  EVENTS_CHANNEL,
  type IceServer,
  type SignalData,
  STATE_BUFFER_LIMIT_BYTES,
  STATE_CHANNEL,
} from "edgeplay/protocol";
import { type DataChannel, type DataChannelInitConfig, PeerConnection } from "node-datachannel";
import { isPolite } from "../game/kit/mesh/direct-transport.ts";
import {
  channelOfPacket,
  type PacketChannel,
  type PacketTransport,
} from "../game/kit/mesh/transport.ts";
import { type OutgoingState, PeerNetcode } from "../game/kit/netcode/peer-netcode.ts";
import { SIM_HZ } from "../game/sim/local-player.ts";

/** The game's polite side waits this long for the impolite side's first offer. */
const FIRST_OFFER_GRACE_MS = 2000;

export interface BotLinkOptions {
  readonly localId: string;
  readonly remoteId: string;
  readonly iceServers: readonly IceServer[];
  /** Sends one signal to the remote peer through the lobby. */
  readonly signal: (data: SignalData) => void;
  readonly onProblem: (message: string) => void;
}

/** What the bench reads of one link. */
export interface BotLinkReport {
  readonly remoteId: string;
  readonly connectionState: string;
  readonly open: boolean;
  /** `host`, `prflx`, `srflx` or `relay`: the remote end of the selected candidate pair. */
  readonly remoteCandidateType: string | null;
  readonly statePacketsReceived: number;
  readonly eventPacketsReceived: number;
  readonly packetsPerSecondIn: number;
  readonly packetsPerSecondOut: number;
  readonly stateSendDrops: number;
  readonly rttMs: number | null;
}

export class BotLink implements PacketTransport {
  readonly kind = "direct";
  readonly remoteId: string;
  readonly polite: boolean;
  readonly #options: BotLinkOptions;
  readonly #pc: PeerConnection;
  readonly #state: DataChannel;
  readonly #events: DataChannel;
  readonly #netcode = new PeerNetcode(performance.now(), 1000 / SIM_HZ);
  readonly #offerTimer: ReturnType<typeof setTimeout> | null = null;
  #eventPackets = 0;
  #closed = false;

  constructor(options: BotLinkOptions) {
    this.#options = options;
    this.remoteId = options.remoteId;
    this.polite = isPolite(options.localId, options.remoteId);
    this.#pc = new PeerConnection(`bot-${options.localId}-${options.remoteId}`, {
      iceServers: options.iceServers.flatMap(iceServerUrls),
      // Offers and answers are made here, when the game's roles say so, not by libdatachannel.
      disableAutoNegotiation: true,
    });
    this.#pc.onLocalDescription((sdp, type) => {
      if (type === "offer" || type === "answer") this.#signal({ kind: "description", type, sdp });
    });
    this.#pc.onLocalCandidate((candidate, mid) => {
      this.#signal({
        kind: "candidate",
        // libdatachannel writes the SDP attribute line; RTCIceCandidateInit wants it without "a=".
        candidate: candidate.replace(/^a=/, ""),
        sdpMid: mid,
        sdpMLineIndex: null,
        usernameFragment: null,
      });
    });
    this.#state = this.#pc.createDataChannel(STATE_CHANNEL.label, nativeInit(STATE_CHANNEL.init));
    this.#events = this.#pc.createDataChannel(
      EVENTS_CHANNEL.label,
      nativeInit(EVENTS_CHANNEL.init),
    );
    this.#state.onMessage((message) => this.#onMessage("state", message));
    this.#events.onMessage((message) => this.#onMessage("events", message));
    if (this.polite) {
      this.#offerTimer = setTimeout(() => {
        if (!this.#closed && this.#pc.remoteDescription() === null) this.#offer();
      }, FIRST_OFFER_GRACE_MS);
    } else {
      this.#offer();
    }
  }

  get isOpen(): boolean {
    return this.#state.isOpen() && this.#events.isOpen();
  }

  get usable(): boolean {
    return !this.#closed && this.isOpen && this.#pc.state() === "connected";
  }

  /** One tick: this bot's avatar to the page, and a clock-sync ping when due. */
  tick(state: OutgoingState, nowMs: number): void {
    const route = this.usable ? this : null;
    this.#netcode.sendState(state, route, nowMs);
    this.#netcode.pingIfDue(route, nowMs);
  }

  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>): boolean {
    const target = channel === "state" ? this.#state : this.#events;
    if (!target.isOpen()) return false;
    // Dropped rather than queued, as the game does: the next state supersedes this one.
    if (channel === "state" && target.bufferedAmount() > STATE_BUFFER_LIMIT_BYTES) return false;
    try {
      return target.sendMessageBinary(packet);
    } catch {
      return false;
    }
  }

  handleSignal(data: SignalData): void {
    if (this.#closed) return;
    try {
      if (data.kind === "description") this.#onDescription(data.type, data.sdp);
      else if (data.candidate !== "")
        this.#pc.addRemoteCandidate(data.candidate, data.sdpMid ?? "0");
    } catch (error) {
      this.#options.onProblem(`signal from ${this.remoteId}: ${reasonOf(error)}`);
    }
  }

  report(nowMs: number): BotLinkReport {
    const netcode = this.#netcode.report(nowMs);
    return {
      remoteId: this.remoteId,
      connectionState: this.#pc.state(),
      open: this.isOpen,
      remoteCandidateType: this.#pc.getSelectedCandidatePair()?.remote.type ?? null,
      statePacketsReceived: netcode.statePacketsReceived,
      eventPacketsReceived: this.#eventPackets,
      packetsPerSecondIn: netcode.packetsPerSecondIn,
      packetsPerSecondOut: netcode.packetsPerSecondOut,
      stateSendDrops: netcode.stateSendDrops,
      rttMs: netcode.rttMs,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#offerTimer !== null) clearTimeout(this.#offerTimer);
    this.#state.close();
    this.#events.close();
    this.#pc.close();
  }

  #offer(): void {
    try {
      this.#pc.setLocalDescription("offer");
    } catch (error) {
      this.#options.onProblem(`offer to ${this.remoteId}: ${reasonOf(error)}`);
    }
  }

  /** Perfect negotiation: the impolite side ignores a colliding offer, the polite side yields. */
  #onDescription(type: "offer" | "answer", sdp: string): void {
    const collision = type === "offer" && this.#pc.signalingState() !== "stable";
    if (collision && !this.polite) return;
    if (collision) this.#pc.setLocalDescription("rollback");
    this.#pc.setRemoteDescription(sdp, type);
    if (type === "offer") this.#pc.setLocalDescription("answer");
  }

  #onMessage(channel: PacketChannel, message: string | Buffer | ArrayBuffer): void {
    if (this.#closed || typeof message === "string") return;
    const bytes = message instanceof ArrayBuffer ? new Uint8Array(message) : message;
    const nowMs = performance.now();
    if (channel === "state" || channelOfPacket(bytes) === "state") {
      this.#netcode.receiveState(bytes, this, nowMs);
      return;
    }
    // The page, as the lobby's host, sends its shared world here; a bot only counts it.
    this.#eventPackets++;
    this.#netcode.receivedEvent(bytes, this, nowMs);
  }

  #signal(data: SignalData): void {
    if (!this.#closed) this.#options.signal(data);
  }
}

/** The browser's RTCDataChannelInit in libdatachannel's terms (`unordered`, not `ordered`). */
function nativeInit(init: RTCDataChannelInit): DataChannelInitConfig {
  const native: DataChannelInitConfig = { unordered: init.ordered === false };
  if (init.negotiated !== undefined) native.negotiated = init.negotiated;
  if (init.id !== undefined) native.id = init.id;
  if (init.maxRetransmits !== undefined) native.maxRetransmits = init.maxRetransmits;
  return native;
}

/** libdatachannel takes ICE servers as URLs, with TURN credentials inside them. */
function iceServerUrls(server: IceServer): string[] {
  const urls = typeof server.urls === "string" ? [server.urls] : server.urls;
  return urls.map((url) => {
    if (server.username === undefined || server.credential === undefined) return url;
    const [scheme, rest] = url.split(/:(.*)/);
    return `${scheme}:${encodeURIComponent(server.username)}:${encodeURIComponent(server.credential)}@${rest}`;
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
