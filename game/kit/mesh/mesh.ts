/**
 * The full mesh: one PeerLink per other player in the lobby. Roster changes come from the
 * session; signals come through the SignalingChannel only, relayed packets through the
 * EdgeRelay. The mesh does not depend on the lobby socket staying up: direct links live on
 * while signaling reconnects (relayed pairs pause until it is back).
 */
import type { SignalData } from "../../../shared/protocol.ts";
import type { OutgoingStream } from "../netcode/peer-netcode.ts";
import type { Platform } from "../platform/platform.ts";
import type { Problem } from "../problems.ts";
import type { StreamPacket } from "../wire/state-channel.ts";
import { EdgeBudget, edgeStreamHz } from "./edge-budget.ts";
import type { EdgeRelay } from "./edge-relay.ts";
import { PeerLink } from "./peer-link.ts";
import { RecentIds } from "./recent-ids.ts";
import type { SignalingChannel } from "./signaling-channel.ts";

/** Departed peers remembered: far more than can leave while their last signals are in flight. */
const MAX_REMEMBERED_DEPARTURES = 64;

export interface MeshOptions {
  readonly localId: string;
  readonly platform: Platform;
  readonly signaling: SignalingChannel;
  readonly relay: EdgeRelay;
  /** STUN/TURN servers; empty means host candidates only (fine on one machine or LAN). */
  readonly iceServers?: readonly RTCIceServer[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** Edge relay only, no WebRTC (`?transport=edge`). */
  readonly edgeOnly?: boolean;
  /** State-channel packets on the reliable channel (a developer switch for benchmarks). */
  readonly stateOverEvents?: boolean;
  /** A peer came or went, or its path or connection changed. */
  readonly onChange: (peerId: string) => void;
  /** A stream packet from a peer, on either path (decoded; its data is the stream codec's). */
  readonly onStream: (from: string, packet: StreamPacket, nowMs: number) => boolean;
  /** A reliable-channel packet from a peer, on either path (undecoded). */
  readonly onReliable: (from: string, packet: Uint8Array) => void;
  readonly onProblem: (problem: Problem) => void;
}

export class Mesh {
  readonly localId: string;
  readonly #options: MeshOptions;
  readonly #links = new Map<string, PeerLink>();
  /**
   * Peers that left: a signal still in flight from them must not resurrect a link. Only the
   * recent ones matter (signals arrive within seconds), and a long session sees many leave.
   */
  readonly #departed = new RecentIds(MAX_REMEMBERED_DEPARTURES);
  readonly #unsubscribe: readonly (() => void)[];
  /** The lobby caps relayed frames per socket, so every relayed peer shares one budget. */
  readonly #relayBudget: EdgeBudget;
  #iceServers: readonly RTCIceServer[];

  constructor(options: MeshOptions) {
    this.#options = options;
    this.localId = options.localId;
    this.#iceServers = options.iceServers ?? [];
    this.#relayBudget = new EdgeBudget(options.platform.now());
    this.#unsubscribe = [
      options.signaling.onSignal((from, data) => this.#onSignal(from, data)),
      // Relayed packets from someone we have no link to (yet, or any more) are dropped.
      options.relay.onPacket((from, packet) =>
        this.#links.get(from)?.receiveRelayed(packet, options.platform.now()),
      ),
    ];
  }

  /** Links in the order peers were added (join order, as the lobby reports it). */
  get links(): readonly PeerLink[] {
    return [...this.#links.values()];
  }

  get iceTransportPolicy(): RTCIceTransportPolicy {
    return this.#options.iceTransportPolicy ?? "all";
  }

  link(peerId: string): PeerLink | null {
    return this.#links.get(peerId) ?? null;
  }

  addPeer(peer: { readonly id: string }): PeerLink | null {
    if (peer.id === this.localId) return null;
    this.#departed.delete(peer.id);
    const existing = this.#links.get(peer.id);
    if (existing) return existing;
    const link = this.#newLink(peer);
    this.#links.set(peer.id, link);
    this.#options.onChange(peer.id);
    return link;
  }

  /**
   * Starts a link's WebRTC connection over if it does not carry packets now. After a signaling
   * drop, offers or candidates may have been lost mid-negotiation; both sides start over on
   * reconnect. The link itself (its netcode, and the relay if in use) carries on.
   */
  renewIfNotUsable(peerId: string): void {
    this.#links.get(peerId)?.renewDirectIfNotUsable();
  }

  removePeer(peerId: string): void {
    this.#departed.add(peerId);
    const link = this.#links.get(peerId);
    if (!link) return;
    this.#links.delete(peerId);
    link.close();
    this.#options.onChange(peerId);
  }

  /** Fresh TURN credentials: used by links made from now on and applied to the live ones. */
  setIceServers(iceServers: readonly RTCIceServer[]): void {
    this.#iceServers = iceServers;
    for (const link of this.#links.values()) link.setIceServers(iceServers);
  }

  /** The network tick's first step: every link's path planner moves on. */
  update(nowMs: number): void {
    for (const link of this.#links.values()) link.update(nowMs);
  }

  /**
   * This tick's stream packets to every peer, and clock-sync pings where due. Relayed peers
   * get a lower rate when several of them share the lobby's relay budget.
   */
  sendStreams(streams: readonly OutgoingStream[], tickHz: number, nowMs: number): void {
    const links = [...this.#links.values()];
    const relayed = links.filter((link) => link.route === "edge").length;
    const relay = { hz: Math.min(tickHz, edgeStreamHz(relayed)), tickHz };
    for (const link of links) {
      link.sendStreams(streams, relay, nowMs);
      link.pingIfDue(nowMs);
    }
  }

  /** One reliable packet to one peer; false when it could not go out. */
  sendReliable(peerId: string, packet: Uint8Array<ArrayBuffer>): boolean {
    return this.#links.get(peerId)?.sendReliable(packet, this.#options.platform.now()) ?? false;
  }

  /** One reliable packet to every peer; returns how many took it. */
  broadcastReliable(packet: Uint8Array<ArrayBuffer>): number {
    const nowMs = this.#options.platform.now();
    let sent = 0;
    for (const link of this.#links.values()) {
      if (link.sendReliable(packet, nowMs)) sent++;
    }
    return sent;
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  #newLink(peer: { readonly id: string }): PeerLink {
    return new PeerLink({
      localId: this.localId,
      platform: this.#options.platform,
      stateOverEvents: this.#options.stateOverEvents ?? false,
      remoteId: peer.id,
      signaling: this.#options.signaling,
      relay: this.#options.relay,
      relayBudget: this.#relayBudget,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      edgeOnly: this.#options.edgeOnly ?? false,
      onChange: () => this.#options.onChange(peer.id),
      onStream: this.#options.onStream,
      onReliable: this.#options.onReliable,
      onProblem: this.#options.onProblem,
    });
  }

  #onSignal(from: string, data: SignalData): void {
    if (from === this.localId || this.#departed.has(from)) return;
    // The lobby only relays between members, so an unknown sender is a peer whose
    // `peer-joined` we have not seen yet: connect now.
    const link = this.#links.get(from) ?? this.addPeer({ id: from });
    if (link) void link.handleSignal(data);
  }
}
