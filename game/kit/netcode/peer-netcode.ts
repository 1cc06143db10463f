/**
 * The netcode of one pair, whichever transport carries it: stream packets out (each peer gets
 * its own sequence numbers across all streams, so a peer we send to at a lower rate sees no
 * false loss), clock-sync pings, reliable packets, and what comes back: stream packets to the
 * room's streams, pings answered at once on the transport they came by, pongs into the clock
 * sync, everything counted for the stats. No clock reads: the caller passes the time.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { PacketChannel, PacketTransport, TransportKind } from "../mesh/transport.ts";
import type { PeerStats } from "../stats.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  type StateChannelPacket,
  type StreamPacket,
} from "../wire/state-channel.ts";
import { answerPing, ClockSync } from "./clock-sync.ts";
import { LinkStats } from "./link-stats.ts";

/** One stream's value this tick, encoded once for every peer; each peer's packet adds a seq. */
export interface OutgoingStream {
  readonly tag: number;
  /** The sender's simulation tick of the value, and its tick rate. */
  readonly tick: number;
  readonly hz: number;
  /** The stream codec's bytes. */
  readonly data: Uint8Array;
}

export interface PeerNetcodeHandlers {
  /** A stream packet from the peer (its data still the codec's); false if it was dropped. */
  onStream(packet: StreamPacket, nowMs: number): boolean;
}

/** The figures the pair's netcode gives the room's stats. */
export type PeerNetcodeReport = Pick<
  PeerStats,
  | "rttMs"
  | "jitterMs"
  | "lossPercent"
  | "packetsPerSecondIn"
  | "packetsPerSecondOut"
  | "bytesPerSecondIn"
  | "bytesPerSecondOut"
  | "sendDrops"
  | "streamSendDrops"
  | "receiveDrops"
  | "edgePacketsIn"
  | "edgePacketsOut"
>;

export class PeerNetcode {
  readonly clock = new ClockSync();
  readonly stats: LinkStats;
  readonly #handlers: PeerNetcodeHandlers;
  #seq = 0;
  #streamSendDrops = 0;
  #receiveDrops = 0;
  readonly #packetsIn: Record<TransportKind, number> = { direct: 0, edge: 0 };
  readonly #packetsOut: Record<TransportKind, number> = { direct: 0, edge: 0 };

  constructor(nowMs: number, handlers: PeerNetcodeHandlers) {
    this.stats = new LinkStats(nowMs);
    this.#handlers = handlers;
  }

  /**
   * This tick's stream packets over `route`. With no route at all (the direct path is still
   * getting its chance) nothing is built: no sequence number is spent on a packet never sent.
   */
  sendStreams(
    streams: readonly OutgoingStream[],
    route: PacketTransport | null,
    nowMs: number,
  ): void {
    if (route === null) return;
    for (const { tag, tick, hz, data } of streams) {
      this.#seq++;
      const packet = encodeStateChannelPacket({
        kind: "stream",
        stream: tag,
        seq: this.#seq,
        tick,
        hz,
        data,
      });
      if (!this.#send(route, "state", packet, nowMs)) this.#streamSendDrops++;
    }
  }

  /** A clock-sync ping when one is due and a path is up (an unsendable ping would count lost). */
  pingIfDue(route: PacketTransport | null, nowMs: number): void {
    if (route === null || !route.usable || !this.clock.pingDue(nowMs)) return;
    const ping = this.clock.createPing(nowMs);
    this.#send(route, "state", encodeStateChannelPacket({ kind: "ping", ...ping }), nowMs);
  }

  /** A packet on the reliable channel; false when dropped. */
  sendReliable(
    packet: Uint8Array<ArrayBuffer>,
    route: PacketTransport | null,
    nowMs: number,
  ): boolean {
    return this.#send(route, "events", packet, nowMs);
  }

  /** One packet from the peer's state channel (direct or relayed), arrived at `nowMs`. */
  receiveState(bytes: Uint8Array, via: PacketTransport, nowMs: number): void {
    const decoded = decodeStateChannelPacket(bytes);
    if (!decoded.ok) {
      this.#receiveDrops++;
      return;
    }
    const packet = decoded.packet;
    this.#packetsIn[via.kind]++;
    this.stats.onReceived(packet.kind === "stream" ? packet.seq : null, bytes.byteLength, nowMs);
    this.#handle(packet, via, nowMs);
  }

  /** A reliable packet arrived: counted here, decoded by the room's actions. */
  receivedReliable(bytes: Uint8Array, via: PacketTransport, nowMs: number): void {
    this.#packetsIn[via.kind]++;
    this.stats.onReceived(null, bytes.byteLength, nowMs);
  }

  report(nowMs: number): PeerNetcodeReport {
    const link = this.stats.snapshot(nowMs);
    return {
      rttMs: this.clock.rttMs,
      jitterMs: this.clock.jitterMs,
      lossPercent: link.lossPercent,
      packetsPerSecondIn: link.packetsInPerSecond,
      packetsPerSecondOut: link.packetsOutPerSecond,
      bytesPerSecondIn: link.bytesInPerSecond,
      bytesPerSecondOut: link.bytesOutPerSecond,
      sendDrops: link.sendDrops,
      streamSendDrops: this.#streamSendDrops,
      receiveDrops: this.#receiveDrops,
      edgePacketsIn: this.#packetsIn.edge,
      edgePacketsOut: this.#packetsOut.edge,
    };
  }

  #handle(packet: StateChannelPacket, via: PacketTransport, nowMs: number): void {
    switch (packet.kind) {
      case "stream":
        if (!this.#handlers.onStream(packet, nowMs)) this.#receiveDrops++;
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
