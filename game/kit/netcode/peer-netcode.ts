/**
 * The netcode of one pair, whichever transport carries it: our state packets out (each peer
 * gets its own sequence numbers, so a peer we send to at a lower rate sees no false loss),
 * clock-sync pings, and what comes back: state into the remote avatar, pings answered at once
 * on the transport they came by, pongs into the clock sync, everything counted for the HUD.
 * No DOM and no clock reads: the caller passes the time (`performance.now()` in the game).
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { PacketChannel, PacketTransport, TransportKind } from "../mesh/transport.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  type StateChannelPacket,
} from "../wire/state-channel.ts";
import { answerPing, ClockSync } from "./clock-sync.ts";
import type { AvatarSample } from "./interpolation.ts";
import { LinkStats } from "./link-stats.ts";
import { RemoteAvatar } from "./remote-avatar.ts";

/** The local avatar at one tick, before it gets a peer's sequence number. */
export interface OutgoingState {
  readonly tick: number;
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}

/** The figures the HUD and the debug snapshot show for one pair. */
export interface PeerNetcodeReport {
  readonly rttMs: number | null;
  readonly jitterMs: number | null;
  readonly lossPercent: number;
  readonly packetsPerSecondIn: number;
  readonly packetsPerSecondOut: number;
  readonly bytesPerSecondIn: number;
  readonly bytesPerSecondOut: number;
  /** Packets a path refused instead of queueing (send buffer full, relay budget, socket down). */
  readonly sendDrops: number;
  /** Of those, state packets. */
  readonly stateSendDrops: number;
  readonly statePacketsReceived: number;
  readonly interpolationDelayMs: number | null;
  /** RFC 3550 jitter of the state packets' arrival times (drives the interpolation delay). */
  readonly arrivalJitterMs: number;
  /** Packets that came and went through the edge relay, since the start. */
  readonly relayPacketsIn: number;
  readonly relayPacketsOut: number;
  /** State-channel packets from this peer that did not decode. */
  readonly junkPackets: number;
}

export class PeerNetcode {
  readonly remote: RemoteAvatar;
  readonly clock = new ClockSync();
  readonly stats: LinkStats;
  #seq = 0;
  #stateSendDrops = 0;
  #junkPackets = 0;
  readonly #packetsIn: Record<TransportKind, number> = { direct: 0, relay: 0 };
  readonly #packetsOut: Record<TransportKind, number> = { direct: 0, relay: 0 };

  constructor(nowMs: number, senderTickMs: number) {
    this.remote = new RemoteAvatar({ tickMs: senderTickMs });
    this.stats = new LinkStats(nowMs);
  }

  /** Sequence number of the last state packet built for this peer. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * One state packet over `route`. With no route at all (the direct path is still getting its
   * chance) nothing is built: the HUD shows the path as none, and no sequence number is spent.
   */
  sendState(state: OutgoingState, route: PacketTransport | null, nowMs: number): boolean {
    if (route === null) return false;
    this.#seq++;
    const packet = encodeStateChannelPacket({ kind: "state", seq: this.#seq, ...state });
    const sent = this.#send(route, "state", packet, nowMs);
    if (!sent) this.#stateSendDrops++;
    return sent;
  }

  /** A clock-sync ping when one is due and a path is up (an unsendable ping would count lost). */
  pingIfDue(route: PacketTransport | null, nowMs: number): void {
    if (route === null || !route.usable || !this.clock.pingDue(nowMs)) return;
    const ping = this.clock.createPing(nowMs);
    this.#send(route, "state", encodeStateChannelPacket({ kind: "ping", ...ping }), nowMs);
  }

  /** An events packet out; false when dropped. */
  sendEvent(
    packet: Uint8Array<ArrayBuffer>,
    route: PacketTransport | null,
    nowMs: number,
  ): boolean {
    return this.#send(route, "events", packet, nowMs);
  }

  /** One packet from the peer's state channel (direct or relayed), arrived at `nowMs`. */
  receiveState(bytes: Uint8Array, via: PacketTransport, nowMs: number): void {
    const packet = decodeStateChannelPacket(bytes);
    if (packet === null) {
      this.#junkPackets++;
      return;
    }
    this.#packetsIn[via.kind]++;
    this.stats.onReceived(packet.kind === "state" ? packet.seq : null, bytes.byteLength, nowMs);
    this.#handle(packet, via, nowMs);
  }

  /** An events packet arrived: counted here, decoded by whoever owns the world. */
  receivedEvent(bytes: Uint8Array, via: PacketTransport, nowMs: number): void {
    this.#packetsIn[via.kind]++;
    this.stats.onReceived(null, bytes.byteLength, nowMs);
  }

  /** Where to draw the remote avatar now; null until its first state arrives. */
  sample(nowMs: number): AvatarSample | null {
    return this.remote.sample(nowMs);
  }

  report(nowMs: number): PeerNetcodeReport {
    const link = this.stats.snapshot(nowMs);
    const remote = this.remote.stats;
    return {
      rttMs: this.clock.rttMs,
      jitterMs: this.clock.jitterMs,
      lossPercent: link.lossPercent,
      packetsPerSecondIn: link.packetsInPerSecond,
      packetsPerSecondOut: link.packetsOutPerSecond,
      bytesPerSecondIn: link.bytesInPerSecond,
      bytesPerSecondOut: link.bytesOutPerSecond,
      sendDrops: link.sendDrops,
      stateSendDrops: this.#stateSendDrops,
      statePacketsReceived: remote.accepted,
      interpolationDelayMs: remote.delayMs,
      arrivalJitterMs: remote.jitterMs,
      relayPacketsIn: this.#packetsIn.relay,
      relayPacketsOut: this.#packetsOut.relay,
      junkPackets: this.#junkPackets,
    };
  }

  #handle(packet: StateChannelPacket, via: PacketTransport, nowMs: number): void {
    switch (packet.kind) {
      case "state":
        this.remote.receive(packet, nowMs);
        return;
      case "ping": {
        // Answered on the path it came by, so the round trip measured is that path's.
        const pong = answerPing(packet, nowMs, nowMs);
        this.#send(via, "state", encodeStateChannelPacket({ kind: "pong", ...pong }), nowMs);
        return;
      }
      case "pong":
        this.clock.onPong(packet, nowMs);
        return;
      default:
        assertNever(packet, "state channel packet");
    }
  }

  #send(
    route: PacketTransport | null,
    channel: PacketChannel,
    packet: Uint8Array<ArrayBuffer>,
    nowMs: number,
  ): boolean {
    if (route === null || !route.send(channel, packet, nowMs)) {
      this.stats.onSendDropped(nowMs);
      return false;
    }
    this.#packetsOut[route.kind]++;
    this.stats.onSent(packet.byteLength, nowMs);
    return true;
  }
}
