/**
 * The full mesh: one PeerLink per other player in the lobby. Roster changes come from the
 * lobby connection; signals come through the SignalingChannel only.
 */
import type { PeerInfo, SignalData } from "../../shared/protocol.ts";
import { PeerLink } from "./peer-link.ts";
import type { SignalingChannel } from "./signaling-channel.ts";

export interface MeshOptions {
  readonly localId: string;
  readonly signaling: SignalingChannel;
  /** STUN/TURN servers; empty means host candidates only (fine on one machine or LAN). */
  readonly iceServers?: readonly RTCIceServer[];
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

  constructor(options: MeshOptions) {
    this.#options = options;
    this.localId = options.localId;
    this.#unsubscribe = options.signaling.onSignal((from, data) => this.#onSignal(from, data));
  }

  /** Links in the order peers were added (join order, as the lobby reports it). */
  get links(): readonly PeerLink[] {
    return [...this.#links.values()];
  }

  addPeer(peer: PeerInfo): PeerLink | null {
    if (peer.id === this.localId) return null;
    this.#departed.delete(peer.id);
    const existing = this.#links.get(peer.id);
    if (existing) {
      existing.name = peer.name;
      return existing;
    }
    const link = new PeerLink({
      localId: this.localId,
      remote: peer,
      signaling: this.#options.signaling,
      iceServers: this.#options.iceServers ?? [],
      onChange: this.#options.onChange,
      onProblem: this.#options.onProblem,
    });
    this.#links.set(peer.id, link);
    this.#options.onChange();
    return link;
  }

  removePeer(peerId: string): void {
    this.#departed.add(peerId);
    const link = this.#links.get(peerId);
    if (!link) return;
    this.#links.delete(peerId);
    link.close();
    this.#options.onChange();
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

  #onSignal(from: string, data: SignalData): void {
    if (from === this.localId || this.#departed.has(from)) return;
    // The lobby only relays between members, so an unknown sender is a peer whose
    // `peer-joined` we have not seen yet: connect now and learn the name later.
    const link = this.#links.get(from) ?? this.addPeer({ id: from, name: from });
    if (link) void link.handleSignal(data);
  }
}
