/**
 * Everything about one other player: the direct transport (WebRTC) and the edge-relay
 * transport (the lobby socket), the planner that picks between them, and the pair's netcode.
 * Packets from either transport go through the same decode path: state into the remote
 * avatar, pings answered at once, pongs into the clock sync. The rest of the game sees one
 * link and never which way its packets went, except in the HUD.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { SignalData } from "../../../shared/protocol.ts";
import { type OutgoingStream, PeerNetcode } from "../netcode/peer-netcode.ts";
import type { Platform } from "../platform/platform.ts";
import type { Problem } from "../problems.ts";
import type { Path, PeerStats, StreamPlayout } from "../stats.ts";
import type { AudioPort } from "../voice/audio-port.ts";
import type { StreamPacket } from "../wire/state-channel.ts";
import { DirectRenewals } from "./direct-renewals.ts";
import { DirectTransport, isPolite } from "./direct-transport.ts";
import { type EdgeBudget, TickPacer } from "./edge-budget.ts";
import type { EdgeRelay } from "./edge-relay.ts";
import { EdgeTransport } from "./edge-transport.ts";
import { PathPlanner, type Route } from "./path-planner.ts";
import type { SignalingChannel } from "./signaling-channel.ts";
import { channelOfPacket, type PacketChannel, type PacketTransport } from "./transport.ts";

export { isPolite };

export interface PeerLinkOptions {
  readonly localId: string;
  readonly platform: Platform;
  /** The peer at the other end. */
  readonly remoteId: string;
  readonly signaling: SignalingChannel;
  readonly relay: EdgeRelay;
  /** The lobby socket's relay budget, shared by every link. */
  readonly relayBudget: EdgeBudget;
  readonly iceServers: readonly RTCIceServer[];
  /** `relay` allows TURN paths only (a developer switch for testing them). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** Edge relay only, no WebRTC at all (`?transport=edge`). */
  readonly edgeOnly: boolean;
  /** State-channel packets on the reliable channel (a developer switch, see DirectTransport). */
  readonly stateOverEvents: boolean;
  /** Connection, channel or route state changed. */
  readonly onChange: () => void;
  /** A stream packet arrived from this peer. */
  readonly onStream: (from: string, packet: StreamPacket, nowMs: number) => boolean;
  /** A reliable-channel packet arrived from this peer (undecoded: the room's actions do that). */
  readonly onReliable: (from: string, packet: Uint8Array) => void;
  /** Something went wrong that the link copes with (the player sees the path in the HUD). */
  readonly onProblem: (problem: Problem) => void;
}

export class PeerLink {
  readonly id: string;
  readonly polite: boolean;
  readonly #options: PeerLinkOptions;
  readonly #relay: EdgeTransport;
  readonly #planner: PathPlanner;
  readonly #netcode: PeerNetcode;
  readonly #relayPacer = new TickPacer();
  #direct: DirectTransport | null;
  readonly #renewals = new DirectRenewals();
  #renewTimer: ReturnType<typeof setTimeout> | null = null;
  #iceServers: readonly RTCIceServer[];
  /** Where packets go until the next `update`. */
  #route: Route = "none";
  #closed = false;

  constructor(options: PeerLinkOptions) {
    const now = options.platform.now();
    this.#options = options;
    this.id = options.remoteId;
    this.polite = isPolite(options.localId, options.remoteId);
    this.#netcode = new PeerNetcode(now, {
      onStream: (packet, nowMs) => options.onStream(this.id, packet, nowMs),
    });
    this.#relay = new EdgeTransport(this.id, options.relay, options.relayBudget);
    this.#planner = new PathPlanner(now, { edgeOnly: options.edgeOnly });
    this.#iceServers = options.iceServers;
    this.#direct = options.edgeOnly ? null : this.#newDirect();
  }

  /**
   * The network tick: tells the path planner how the direct path is doing and picks the
   * route every send until the next tick uses. The only place the planner moves.
   */
  update(nowMs: number): void {
    const directUsable = this.#direct?.usable ?? false;
    if (directUsable) this.#renewals.usable();
    this.#planner.observe(directUsable, nowMs);
    const route = this.#planner.route(nowMs);
    if (route === this.#route) return;
    this.#route = route;
    this.#changed();
  }

  /** The direct connection's audio, while there is one that carries media. */
  get audio(): AudioPort | null {
    return this.#direct?.audio ?? null;
  }

  /** Whether the direct connection carries packets now (voice needs it: never relayed). */
  get directUsable(): boolean {
    return this.#direct?.usable ?? false;
  }

  /** Which way packets go now: `none` while the direct path gets its chance. */
  get route(): Route {
    return this.#route;
  }

  /** Whether the game's packets reach this peer by some path now. */
  get reachable(): boolean {
    return this.#transport()?.usable ?? false;
  }

  /**
   * This tick's stream packets for this peer. Over the relay they may go out at `relay.hz`
   * instead of every tick (`relay.tickHz`), when several peers share the lobby's relay budget.
   */
  sendStreams(
    streams: readonly OutgoingStream[],
    relay: { readonly hz: number; readonly tickHz: number },
    nowMs: number,
  ): void {
    if (this.#closed || streams.length === 0) return;
    const transport = this.#transport();
    if (transport?.kind === "edge" && !this.#relayPacer.take(relay.hz, relay.tickHz)) return;
    this.#netcode.sendStreams(streams, transport, nowMs);
  }

  pingIfDue(nowMs: number): void {
    if (!this.#closed) this.#netcode.pingIfDue(this.#transport(), nowMs);
  }

  /** Sends one packet, reliable and in order on both paths; false when it could not go out. */
  sendReliable(packet: Uint8Array<ArrayBuffer>, nowMs: number): boolean {
    if (this.#closed) return false;
    return this.#netcode.sendReliable(packet, this.#transport(), nowMs);
  }

  /** A packet from this peer through the lobby. */
  receiveRelayed(packet: Uint8Array, nowMs: number): void {
    this.#receive(channelOfPacket(packet), packet, this.#relay, nowMs);
  }

  /**
   * Replaces a direct connection that does not carry packets now with a fresh one. After a
   * signaling drop, offers, answers or candidates may have been lost mid-negotiation (an ICE
   * restart included, with the channels still open); both sides start over on reconnect. The
   * netcode and the relay carry on meanwhile.
   */
  renewDirectIfNotUsable(): void {
    if (this.#closed || this.#direct === null || this.#direct.usable) return;
    this.#renewDirect();
  }

  /** Fresh TURN credentials: for the live connection's next gathering, and for a renewed one. */
  setIceServers(iceServers: readonly RTCIceServer[]): void {
    this.#iceServers = iceServers;
    this.#direct?.setIceServers(iceServers);
  }

  /**
   * Applies one signal from this peer; ignored when this link does not use WebRTC. A
   * description from a new connection of the peer's (it renewed its side) renews ours: an
   * offer then goes to our fresh connection, an answer (to an offer of a connection the peer
   * no longer has) is dropped, and our fresh connection negotiates anew.
   */
  async handleSignal(data: SignalData): Promise<void> {
    if (this.#closed || this.#direct === null) return;
    if (data.kind === "description" && this.#direct.isFromAnotherConnection(data.sdp)) {
      this.#renewDirect();
      if (data.type === "answer") return;
    }
    await this.#direct?.handleSignal(data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelRenewal();
    this.#direct?.close();
  }

  /** The pair's figures; the playout ones (`interpolationDelayMs`...) are the streams'. */
  stats(nowMs: number): Omit<PeerStats, keyof StreamPlayout> {
    const direct = this.#direct;
    return {
      id: this.id,
      path: this.path,
      ...this.#netcode.report(nowMs),
      connectionState: direct?.connectionState ?? "none",
      polite: this.polite,
      channels: direct?.channels ?? [],
      channelsOpenAt: direct?.channelsOpenAt ?? null,
      audioIn: direct?.audioReading?.inbound ?? null,
      audioOut: direct?.audioReading?.outbound ?? null,
      audio: direct?.audioFlow ?? null,
    };
  }

  /** The path in use, as the player's HUD names it. */
  get path(): Path {
    const route = this.#route;
    switch (route) {
      case "direct":
        // The few ms between the channels opening and getStats answering count as direct;
        // with `?ice=relay` only TURN paths exist.
        return (
          this.#direct?.path ?? (this.#options.iceTransportPolicy === "relay" ? "turn" : "direct")
        );
      case "edge":
        return "edge";
      case "none":
        return "none";
      default:
        return assertNever(route, "route");
    }
  }

  #transport(): PacketTransport | null {
    const route = this.#route;
    switch (route) {
      case "direct":
        return this.#direct;
      case "edge":
        return this.#relay;
      case "none":
        return null;
      default:
        return assertNever(route, "route");
    }
  }

  #receive(channel: PacketChannel, bytes: Uint8Array, via: PacketTransport, nowMs: number): void {
    if (this.#closed) return;
    // `channelOfPacket`: state packets on the events channel (`?state=reliable`) go here too.
    if (channel === "state" || channelOfPacket(bytes) === "state") {
      this.#netcode.receiveState(bytes, via, nowMs);
      return;
    }
    this.#netcode.receivedReliable(bytes, via, nowMs);
    this.#options.onReliable(this.id, bytes);
  }

  #newDirect(): DirectTransport {
    return new DirectTransport({
      localId: this.#options.localId,
      remoteId: this.id,
      platform: this.#options.platform,
      stateOverEvents: this.#options.stateOverEvents,
      signaling: this.#options.signaling,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#options.iceTransportPolicy,
      onPacket: (channel, bytes, via, nowMs) => {
        // A connection replaced by a fresh one may still deliver a last packet or two.
        if (via === this.#direct) this.#receive(channel, bytes, via, nowMs);
      },
      onChange: () => this.#changed(),
      onIceGaveUp: () => this.#planner.iceFailedAfterRestart(this.#options.platform.now()),
      onChannelsLost: (lost) => this.#scheduleRenewal(lost),
      onProblem: this.#options.onProblem,
    });
  }

  /**
   * Channels that closed never reopen, even when ICE comes back: a fresh connection replaces
   * them, after a backoff, unless something (the peer's fresh offer) has replaced it already.
   */
  #scheduleRenewal(lost: DirectTransport): void {
    if (this.#closed || lost !== this.#direct || this.#renewTimer !== null) return;
    this.#renewTimer = setTimeout(() => {
      this.#renewTimer = null;
      if (!this.#closed && this.#direct === lost) this.#renewDirect();
    }, this.#renewals.nextDelayMs(this.polite));
  }

  #renewDirect(): void {
    this.#cancelRenewal();
    this.#direct?.close();
    this.#direct = this.#newDirect();
    this.#changed();
  }

  #cancelRenewal(): void {
    if (this.#renewTimer === null) return;
    clearTimeout(this.#renewTimer);
    this.#renewTimer = null;
  }

  #changed(): void {
    if (!this.#closed) this.#options.onChange();
  }
}
