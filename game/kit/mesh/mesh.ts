/**
 * The full mesh: one PeerLink per other player in the lobby. Roster changes come from the
 * session; signals come through the SignalingChannel only, relayed packets through the
 * PacketRelay. The mesh does not depend on the lobby socket staying up: direct links live on
 * while signaling reconnects (relayed pairs pause until it is back).
 */
import type { SignalData } from "../../../shared/protocol.ts";
import type { OutgoingState } from "../netcode/peer-netcode.ts";
import type { PacketRelay } from "./packet-relay.ts";
import { type PeerIdentity, PeerLink } from "./peer-link.ts";
import { RecentIds } from "./recent-ids.ts";
import { RelayBudget, relayStateHz } from "./relay-budget.ts";
import type { SignalingChannel } from "./signaling-channel.ts";

/** Departed peers remembered: far more than can leave while their last signals are in flight. */
const MAX_REMEMBERED_DEPARTURES = 64;

export interface MeshOptions {
  readonly localId: string;
  readonly signaling: SignalingChannel;
  readonly relay: PacketRelay;
  /** STUN/TURN servers; empty means host candidates only (fine on one machine or LAN). */
  readonly iceServers?: readonly RTCIceServer[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** Edge relay only, no WebRTC (`?transport=edge`). */
  readonly forceRelay?: boolean;
  readonly onChange: () => void;
  /** An events packet from a peer, on either path. */
  readonly onEvent?: (from: string, packet: Uint8Array) => void;
  readonly onProblem: (message: string) => void;
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
  readonly #relayBudget = new RelayBudget(performance.now());
  #iceServers: readonly RTCIceServer[];

  constructor(options: MeshOptions) {
    this.#options = options;
    this.localId = options.localId;
    this.#iceServers = options.iceServers ?? [];
    this.#unsubscribe = [
      options.signaling.onSignal((from, data) => this.#onSignal(from, data)),
      // Relayed packets from someone we have no link to (yet, or any more) are dropped.
      options.relay.onPacket((from, packet) =>
        this.#links.get(from)?.receiveRelayed(packet, performance.now()),
      ),
    ];
  }

  /** Links in the order peers were added (join order, as the lobby reports it). */
  get links(): readonly PeerLink[] {
    return [...this.#links.values()];
  }

  get iceServers(): readonly RTCIceServer[] {
    return this.#iceServers;
  }

  get iceTransportPolicy(): RTCIceTransportPolicy {
    return this.#options.iceTransportPolicy ?? "all";
  }

  link(peerId: string): PeerLink | null {
    return this.#links.get(peerId) ?? null;
  }

  addPeer(peer: PeerIdentity): PeerLink | null {
    if (peer.id === this.localId) return null;
    this.#departed.delete(peer.id);
    const existing = this.#links.get(peer.id);
    if (existing) {
      existing.name = peer.name;
      return existing;
    }
    const link = this.#newLink(peer);
    this.#links.set(peer.id, link);
    this.#options.onChange();
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
    this.#options.onChange();
  }

  /** Fresh TURN credentials: used by links made from now on and applied to the live ones. */
  setIceServers(iceServers: readonly RTCIceServer[]): void {
    this.#iceServers = iceServers;
    for (const link of this.#links.values()) link.setIceServers(iceServers);
  }

  /**
   * One tick: the local avatar to every peer, and clock-sync pings where due. Relayed peers
   * get a lower state rate when several of them share the lobby's relay budget.
   */
  broadcastState(state: OutgoingState, nowMs: number): void {
    const links = [...this.#links.values()];
    const relayed = links.filter((link) => link.route(nowMs) === "relay").length;
    const relayHz = relayStateHz(relayed);
    for (const link of links) {
      link.sendState(state, relayHz, nowMs);
      link.pingIfDue(nowMs);
    }
  }

  /** One events packet to one peer; false when it could not go out. */
  sendEvent(peerId: string, packet: Uint8Array<ArrayBuffer>): boolean {
    return this.#links.get(peerId)?.sendEvent(packet, performance.now()) ?? false;
  }

  /** One events packet to every peer; returns how many took it. */
  broadcastEvent(packet: Uint8Array<ArrayBuffer>): number {
    const nowMs = performance.now();
    let sent = 0;
    for (const link of this.#links.values()) {
      if (link.sendEvent(packet, nowMs)) sent++;
    }
    return sent;
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  #newLink(peer: PeerIdentity): PeerLink {
    return new PeerLink({
      localId: this.localId,
      remote: peer,
      signaling: this.#options.signaling,
      relay: this.#options.relay,
      relayBudget: this.#relayBudget,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      forceRelay: this.#options.forceRelay ?? false,
      onChange: this.#options.onChange,
      onEvent: this.#options.onEvent ?? (() => {}),
      onProblem: this.#options.onProblem,
    });
  }

  #onSignal(from: string, data: SignalData): void {
    if (from === this.localId || this.#departed.has(from)) return;
    // The lobby only relays between members, so an unknown sender is a peer whose
    // `peer-joined` we have not seen yet: connect now and learn the name later.
    const link = this.#links.get(from) ?? this.addPeer({ id: from, name: from });
    if (link) void link.handleSignal(data);
  }
}
