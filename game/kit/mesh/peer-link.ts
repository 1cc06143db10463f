/**
 * Everything about one other player: the direct transport (WebRTC) and the edge-relay
 * transport (the lobby socket), the planner that picks between them, and the pair's netcode.
 * Packets from either transport go through the same decode path: state into the remote
 * avatar, pings answered at once, pongs into the clock sync. The rest of the game sees one
 * link and never which way its packets went, except in the HUD.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { SignalData } from "../../../shared/protocol.ts";
import type { PathSnapshot, PeerSnapshot } from "../../debug.ts";
import { SIM_HZ } from "../../sim/local-player.ts";
import type { AvatarSample } from "../netcode/interpolation.ts";
import { type OutgoingState, PeerNetcode } from "../netcode/peer-netcode.ts";
import { DirectRenewals } from "./direct-renewals.ts";
import { DirectTransport, isPolite } from "./direct-transport.ts";
import type { PacketRelay } from "./packet-relay.ts";
import { PathPlanner, type Route } from "./path-planner.ts";
import { type RelayBudget, TickPacer } from "./relay-budget.ts";
import { RelayTransport } from "./relay-transport.ts";
import type { SignalingChannel } from "./signaling-channel.ts";
import { channelOfPacket, type PacketChannel, type PacketTransport } from "./transport.ts";

export { isPolite };

/** Who is at the other end. */
export interface PeerIdentity {
  readonly id: string;
  readonly name: string;
}

export interface PeerLinkOptions {
  readonly localId: string;
  readonly remote: PeerIdentity;
  readonly signaling: SignalingChannel;
  readonly relay: PacketRelay;
  /** The lobby socket's relay budget, shared by every link. */
  readonly relayBudget: RelayBudget;
  readonly iceServers: readonly RTCIceServer[];
  /** `relay` allows TURN paths only (a developer switch for testing them). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** Edge relay only, no WebRTC at all (`?transport=edge`). */
  readonly forceRelay: boolean;
  /** Connection, channel or route state changed. */
  readonly onChange: () => void;
  /** An events packet arrived from this peer (not decoded: the world's owner does that). */
  readonly onEvent: (from: string, packet: Uint8Array) => void;
  /** Something a developer should know about (the player sees the path in the HUD). */
  readonly onProblem: (message: string) => void;
}

export class PeerLink {
  readonly id: string;
  readonly polite: boolean;
  #name: string;
  readonly #options: PeerLinkOptions;
  readonly #relay: RelayTransport;
  readonly #planner: PathPlanner;
  readonly #netcode: PeerNetcode;
  readonly #relayPacer = new TickPacer();
  #direct: DirectTransport | null;
  readonly #renewals = new DirectRenewals();
  #renewTimer: ReturnType<typeof setTimeout> | null = null;
  #iceServers: readonly RTCIceServer[];
  #lastRoute: Route = "none";
  #closed = false;

  constructor(options: PeerLinkOptions) {
    const now = performance.now();
    this.#options = options;
    this.id = options.remote.id;
    this.#name = options.remote.name;
    this.polite = isPolite(options.localId, options.remote.id);
    this.#netcode = new PeerNetcode(now, 1000 / SIM_HZ);
    this.#relay = new RelayTransport(this.id, options.relay, options.relayBudget);
    this.#planner = new PathPlanner(now, { forceRelay: options.forceRelay });
    this.#iceServers = options.iceServers;
    this.#direct = options.forceRelay ? null : this.#newDirect();
  }

  get name(): string {
    return this.#name;
  }

  set name(name: string) {
    this.#name = name;
  }

  /** Both direct channels are open right now. */
  get isOpen(): boolean {
    return this.#direct?.isOpen ?? false;
  }

  /** Which way packets go now: `none` while the direct path gets its chance. */
  route(nowMs: number): Route {
    const directUsable = this.#direct?.usable ?? false;
    if (directUsable) this.#renewals.usable();
    this.#planner.observe(directUsable, nowMs);
    const route = this.#planner.route(nowMs);
    if (route !== this.#lastRoute) {
      this.#lastRoute = route;
      // Deferred: a route change is noticed mid-send, and listeners redraw the panel.
      queueMicrotask(() => this.#changed());
    }
    return route;
  }

  /** Whether the game's packets reach this peer by some path now. */
  reachable(nowMs: number): boolean {
    return this.#transport(nowMs)?.usable ?? false;
  }

  /**
   * This tick's state for this peer. Over the relay it may go out at `relayHz` instead of
   * every tick, when several peers share the lobby's relay budget.
   */
  sendState(state: OutgoingState, relayHz: number, nowMs: number): void {
    if (this.#closed) return;
    const transport = this.#transport(nowMs);
    if (transport?.kind === "relay" && !this.#relayPacer.take(relayHz)) return;
    this.#netcode.sendState(state, transport, nowMs);
  }

  pingIfDue(nowMs: number): void {
    if (!this.#closed) this.#netcode.pingIfDue(this.#transport(nowMs), nowMs);
  }

  /** Sends one events packet (reliable on both paths); false when it could not go out. */
  sendEvent(packet: Uint8Array<ArrayBuffer>, nowMs: number): boolean {
    if (this.#closed) return false;
    return this.#netcode.sendEvent(packet, this.#transport(nowMs), nowMs);
  }

  /** A packet from this peer through the lobby. */
  receiveRelayed(packet: Uint8Array, nowMs: number): void {
    this.#receive(channelOfPacket(packet), packet, this.#relay, nowMs);
  }

  /** Where to draw this peer's avatar at `nowMs`; null until its first state arrived. */
  sample(nowMs: number): AvatarSample | null {
    return this.#netcode.sample(nowMs);
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

  snapshot(nowMs: number): PeerSnapshot {
    const direct = this.#direct;
    const report = this.#netcode.report(nowMs);
    const latest = this.#netcode.remote.newest;
    return {
      id: this.id,
      name: this.#name,
      connectionState: direct?.connectionState ?? "none",
      polite: this.polite,
      channels: direct?.channels ?? [],
      path: this.#path(nowMs),
      rttMs: report.rttMs,
      jitterMs: report.jitterMs,
      lossPercent: report.lossPercent,
      packetsPerSecondIn: report.packetsPerSecondIn,
      packetsPerSecondOut: report.packetsPerSecondOut,
      bytesPerSecondIn: report.bytesPerSecondIn,
      bytesPerSecondOut: report.bytesPerSecondOut,
      sendDrops: report.sendDrops,
      interpolationDelayMs: report.interpolationDelayMs,
      arrivalJitterMs: report.arrivalJitterMs,
      relayPacketsIn: report.relayPacketsIn,
      relayPacketsOut: report.relayPacketsOut,
      statePacketsReceived: report.statePacketsReceived,
      stateSendDrops: report.stateSendDrops,
      lastState: latest && { seq: latest.seq, tick: latest.tick, x: latest.x, y: latest.y },
      channelsOpenAt: direct?.channelsOpenAt ?? null,
    };
  }

  #path(nowMs: number): PathSnapshot {
    const route = this.route(nowMs);
    switch (route) {
      case "direct":
        // The few ms between the channels opening and getStats answering count as direct;
        // with `?ice=relay` only TURN paths exist.
        return (
          this.#direct?.path ?? (this.#options.iceTransportPolicy === "relay" ? "turn" : "direct")
        );
      case "relay":
        return "relay";
      case "none":
        return "none";
      default:
        return assertNever(route, "route");
    }
  }

  #transport(nowMs: number): PacketTransport | null {
    const route = this.route(nowMs);
    switch (route) {
      case "direct":
        return this.#direct;
      case "relay":
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
    this.#netcode.receivedEvent(bytes, via, nowMs);
    this.#options.onEvent(this.id, bytes);
  }

  #newDirect(): DirectTransport {
    return new DirectTransport({
      localId: this.#options.localId,
      remoteId: this.id,
      remoteName: () => this.#name,
      signaling: this.#options.signaling,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#options.iceTransportPolicy,
      onPacket: (channel, bytes, via, nowMs) => {
        // A connection replaced by a fresh one may still deliver a last packet or two.
        if (via === this.#direct) this.#receive(channel, bytes, via, nowMs);
      },
      onChange: () => this.#changed(),
      onIceGaveUp: () => this.#planner.iceFailedAfterRestart(performance.now()),
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
