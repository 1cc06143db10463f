/**
 * What a room knows of its lobby: settings, phase, host and epoch, roster. Fed the lobby's
 * messages; each change comes back as `RoomNews`, so the room can tell its listeners exactly
 * what happened (and nothing for news that changes nothing: late, repeated or stale). Pure.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { LeaveReason } from "../../../shared/codes.ts";
import type { LobbyPhase, LobbySettings, PeerInfo, Welcome } from "../../../shared/protocol.ts";
import type { LobbyEvent } from "../lobby/lobby-event.ts";
import { diffRoster, type RosterDiff } from "./roster-diff.ts";

export interface ChatLine {
  readonly from: string;
  /** The sender's name when the line arrived (they may have left since). */
  readonly name: string;
  /** The sender's colour slot (`PeerInfo.color`); null for a sender never seen. */
  readonly color: number | null;
  readonly text: string;
  /** Epoch ms when the lobby received it. */
  readonly at: number;
}

/** One change to what we know of the lobby. */
export type RoomNews =
  | { readonly type: "peer-join"; readonly peer: PeerInfo }
  | {
      readonly type: "peer-leave";
      readonly peerId: string;
      readonly name: string;
      readonly reason: LeaveReason;
    }
  | { readonly type: "peer-away"; readonly peerId: string }
  | { readonly type: "peer-back"; readonly peerId: string }
  | { readonly type: "peer-ready"; readonly peerId: string; readonly ready: boolean }
  | {
      readonly type: "host-change";
      readonly hostId: string;
      readonly hostEpoch: number;
      /** The host before; the same id when only the epoch moved. */
      readonly previousHostId: string | null;
    }
  | { readonly type: "phase"; readonly phase: LobbyPhase }
  | { readonly type: "chat"; readonly line: ChatLine };

export interface WelcomeChange {
  /** True for a first join and for a fresh seat after ours expired (a new peer id). */
  readonly newSeat: boolean;
  readonly diff: RosterDiff;
  /** What changed while we were away (only for the same seat back). */
  readonly news: readonly RoomNews[];
}

export class RoomState {
  #selfId: string | null = null;
  #settings: LobbySettings | null = null;
  #phase: LobbyPhase = "waiting";
  #hostId: string | null = null;
  #hostEpoch = 0;
  /** Everyone in the lobby, us included, in join order. */
  #roster = new Map<string, PeerInfo>();
  /** Everyone seen, as last known, so a line from a player who has left still has a name. */
  readonly #seen = new Map<string, PeerInfo>();

  get selfId(): string | null {
    return this.#selfId;
  }

  get settings(): LobbySettings | null {
    return this.#settings;
  }

  get phase(): LobbyPhase {
    return this.#phase;
  }

  get hostId(): string | null {
    return this.#hostId;
  }

  get hostEpoch(): number {
    return this.#hostEpoch;
  }

  get isHost(): boolean {
    return this.#selfId !== null && this.#selfId === this.#hostId;
  }

  get roster(): readonly PeerInfo[] {
    return [...this.#roster.values()].sort((a, b) => a.joinOrder - b.joinOrder);
  }

  peer(id: string): PeerInfo | null {
    return this.#roster.get(id) ?? null;
  }

  /** The name of anyone seen in this lobby, present or gone; null for an id never seen. */
  nameOf(id: string): string | null {
    return this.#seen.get(id)?.name ?? null;
  }

  /** The colour slot of anyone seen in this lobby, present or gone; null for an id never seen. */
  colorOf(id: string): number | null {
    return this.#seen.get(id)?.color ?? null;
  }

  /**
   * Takes a welcome as the whole truth. After a reconnect (same id) it reports who joined or
   * left meanwhile, and a phase or host change; after a fresh join (new id) it starts over.
   */
  applyWelcome(welcome: Welcome): WelcomeChange {
    const newSeat = this.#selfId !== welcome.peerId;
    const diff = newSeat
      ? { added: welcome.peers.filter((peer) => peer.id !== welcome.peerId), removed: [] }
      : diffRoster(this.#roster.keys(), welcome.peers, welcome.peerId);
    const news: RoomNews[] = [];
    if (!newSeat) {
      for (const peerId of diff.removed) {
        news.push({
          type: "peer-leave",
          peerId,
          name: this.nameOf(peerId) ?? peerId,
          reason: "left",
        });
      }
      for (const peer of diff.added) news.push({ type: "peer-join", peer });
      if (welcome.phase !== this.#phase) news.push({ type: "phase", phase: welcome.phase });
      if (welcome.hostEpoch > this.#hostEpoch) {
        news.push({
          type: "host-change",
          hostId: welcome.hostId,
          hostEpoch: welcome.hostEpoch,
          previousHostId: this.#hostId,
        });
      }
    }
    this.#selfId = welcome.peerId;
    this.#settings = welcome.settings;
    this.#phase = welcome.phase;
    this.#hostId = welcome.hostId;
    this.#hostEpoch = welcome.hostEpoch;
    this.#roster = new Map(welcome.peers.map((peer) => [peer.id, peer]));
    for (const peer of welcome.peers) this.#seen.set(peer.id, peer);
    return { newSeat, diff, news };
  }

  /** One lobby message; null when it changes nothing we know. */
  apply(event: LobbyEvent): RoomNews | null {
    switch (event.type) {
      case "peer-joined": {
        const known = this.#roster.get(event.peer.id);
        if (known && JSON.stringify(known) === JSON.stringify(event.peer)) return null;
        this.#roster.set(event.peer.id, event.peer);
        this.#seen.set(event.peer.id, event.peer);
        return { type: "peer-join", peer: event.peer };
      }
      case "peer-left": {
        const name = this.nameOf(event.peerId) ?? event.peerId;
        if (!this.#roster.delete(event.peerId)) return null;
        return { type: "peer-leave", peerId: event.peerId, name, reason: event.reason };
      }
      case "peer-disconnected":
        return this.#setConnected(event.peerId, false)
          ? { type: "peer-away", peerId: event.peerId }
          : null;
      case "peer-reconnected":
        return this.#setConnected(event.peerId, true)
          ? { type: "peer-back", peerId: event.peerId }
          : null;
      case "peer-ready":
        if (!this.#update(event.peerId, { ready: event.ready })) return null;
        return { type: "peer-ready", peerId: event.peerId, ready: event.ready };
      case "host-changed": {
        // News can arrive late or twice: only a newer epoch changes the host.
        if (event.hostEpoch <= this.#hostEpoch) return null;
        const previousHostId = this.#hostId;
        this.#hostEpoch = event.hostEpoch;
        this.#hostId = event.hostId;
        return {
          type: "host-change",
          hostId: event.hostId,
          hostEpoch: event.hostEpoch,
          previousHostId,
        };
      }
      case "phase-changed":
        if (event.phase === this.#phase) return null;
        this.#phase = event.phase;
        // The lobby clears ready flags when it reopens, without a peer-ready for each.
        if (event.phase === "waiting") this.#clearReady();
        return { type: "phase", phase: event.phase };
      case "chat":
        return {
          type: "chat",
          line: {
            from: event.from,
            name: this.nameOf(event.from) ?? event.from,
            color: this.colorOf(event.from),
            text: event.text,
            at: event.at,
          },
        };
      default:
        return assertNever(event, "lobby event");
    }
  }

  #setConnected(peerId: string, connected: boolean): boolean {
    const peer = this.#roster.get(peerId);
    if (!peer || peer.connected === connected) return false;
    this.#roster.set(peerId, { ...peer, connected });
    return true;
  }

  #clearReady(): void {
    for (const [id, peer] of this.#roster) this.#roster.set(id, { ...peer, ready: false });
  }

  #update(peerId: string, change: Partial<PeerInfo>): boolean {
    const peer = this.#roster.get(peerId);
    if (!peer) return false;
    this.#roster.set(peerId, { ...peer, ...change });
    return true;
  }
}
