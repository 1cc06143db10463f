/**
 * The full mesh: one PeerLink per other player in the lobby. Roster changes come from the
 * session; signals come through the SignalingChannel only. The mesh does not depend on the
 * lobby socket staying up: links live on while signaling reconnects.
 */
import type { SignalData } from "../../shared/protocol.ts";
import { type PeerIdentity, PeerLink } from "./peer-link.ts";
import type { SignalingChannel } from "./signaling-channel.ts";

export interface MeshOptions {
  readonly localId: string;
  readonly signaling: SignalingChannel;
  /** STUN/TURN servers; empty means host candidates only (fine on one machine or LAN). */
  readonly iceServers?: readonly RTCIceServer[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  readonly onChange: () => void;
  readonly onProblem: (message: string, forPlayer: boolean) => void;
}

export class Mesh {
  readonly localId: string;
  readonly #options: MeshOptions;
  readonly #links = new Map<string, PeerLink>();
  /** Peers that left: a signal still in flight from them must not resurrect a link. */
  readonly #departed = new Set<string>();
  readonly #unsubscribe: () => void;
  #iceServers: readonly RTCIceServer[];

  constructor(options: MeshOptions) {
    this.#options = options;
    this.localId = options.localId;
    this.#iceServers = options.iceServers ?? [];
    this.#unsubscribe = options.signaling.onSignal((from, data) => this.#onSignal(from, data));
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
   * Replaces a link that is not open with a fresh one. After a signaling drop, offers or
   * candidates may have been lost mid-negotiation; both sides start over on reconnect.
   */
  renewIfNotOpen(peerId: string): void {
    const link = this.#links.get(peerId);
    if (!link || link.isOpen) return;
    link.close();
    this.#links.set(peerId, this.#newLink({ id: link.id, name: link.name }));
    this.#options.onChange();
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

  /** Offers one encoded state packet to every peer; returns how many took it. */
  broadcastState(payload: Uint8Array<ArrayBuffer>): number {
    let sent = 0;
    for (const link of this.#links.values()) {
      if (link.sendState(payload)) sent++;
    }
    return sent;
  }

  close(): void {
    this.#unsubscribe();
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  #newLink(peer: PeerIdentity): PeerLink {
    return new PeerLink({
      localId: this.localId,
      remote: peer,
      signaling: this.#options.signaling,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      onChange: this.#options.onChange,
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
