/**
 * What this player knows about the lobby: settings, phase, host, roster and the log of chat
 * and notices. Fed by the lobby's messages, read by the panel and the debug snapshot. Pure.
 */

import { assertNever } from "../../../shared/assert-never.ts";
import type { LobbyPhase, LobbySettings, PeerInfo, Welcome } from "../../../shared/protocol.ts";
import {
  disconnectedNotice,
  hostNotice,
  joinedNotice,
  leftNotice,
  phaseNotice,
  reconnectedNotice,
} from "../../session/notice-text.ts";
import type { LobbyEvent } from "../lobby/lobby-event.ts";
import { diffRoster, type RosterDiff } from "./roster-diff.ts";

/** The log keeps this many entries; older ones scroll away for good. */
export const MAX_LOG_ENTRIES = 100;

export type LogEntry =
  | {
      readonly kind: "chat";
      readonly from: string;
      readonly name: string;
      readonly text: string;
      readonly at: number;
    }
  | { readonly kind: "notice"; readonly text: string; readonly at: number };

export class LobbyState {
  #selfId: string | null = null;
  #settings: LobbySettings | null = null;
  #phase: LobbyPhase = "waiting";
  #hostId: string | null = null;
  #hostEpoch = 0;
  /** Everyone in the lobby, us included, in join order. */
  #roster = new Map<string, PeerInfo>();
  /** Names of everyone seen, so a line from a player who has left still has a name. */
  readonly #names = new Map<string, string>();
  #log: LogEntry[] = [];

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

  get log(): readonly LogEntry[] {
    return this.#log;
  }

  peer(id: string): PeerInfo | null {
    return this.#roster.get(id) ?? null;
  }

  nameOf(id: string): string {
    return this.#roster.get(id)?.name ?? this.#names.get(id) ?? "A player";
  }

  /**
   * Takes a welcome as the whole truth. After a reconnect (same id) it notes who joined or
   * left meanwhile; after a fresh join (new id) it starts over. Returns the roster change.
   */
  applyWelcome(welcome: Welcome, nowMs: number): RosterDiff {
    const sameSeat = this.#selfId === welcome.peerId;
    const diff = sameSeat
      ? diffRoster(this.#roster.keys(), welcome.peers, welcome.peerId)
      : { added: welcome.peers.filter((peer) => peer.id !== welcome.peerId), removed: [] };
    if (sameSeat) {
      for (const id of diff.removed) this.#notice(leftNotice(this.nameOf(id), "left"), nowMs);
      for (const peer of diff.added) this.#notice(joinedNotice(peer.name), nowMs);
      if (welcome.phase !== this.#phase) this.#notice(phaseNotice(welcome.phase), nowMs);
    }
    this.#selfId = welcome.peerId;
    this.#settings = welcome.settings;
    this.#phase = welcome.phase;
    this.#hostId = welcome.hostId;
    this.#hostEpoch = welcome.hostEpoch;
    this.#roster = new Map(welcome.peers.map((peer) => [peer.id, peer]));
    for (const peer of welcome.peers) this.#names.set(peer.id, peer.name);
    return diff;
  }

  apply(event: LobbyEvent, nowMs: number): void {
    switch (event.type) {
      case "peer-joined":
        this.#roster.set(event.peer.id, event.peer);
        this.#names.set(event.peer.id, event.peer.name);
        this.#notice(joinedNotice(event.peer.name), nowMs);
        return;
      case "peer-left": {
        const name = this.nameOf(event.peerId);
        if (!this.#roster.delete(event.peerId)) return;
        this.#notice(leftNotice(name, event.reason), nowMs);
        return;
      }
      case "peer-disconnected":
        if (this.#setConnected(event.peerId, false)) {
          this.#notice(disconnectedNotice(this.nameOf(event.peerId)), nowMs);
        }
        return;
      case "peer-reconnected":
        if (this.#setConnected(event.peerId, true)) {
          this.#notice(reconnectedNotice(this.nameOf(event.peerId)), nowMs);
        }
        return;
      case "peer-ready":
        this.#update(event.peerId, { ready: event.ready });
        return;
      case "host-changed":
        // News can arrive late or twice: only a newer epoch changes the host.
        if (event.hostEpoch <= this.#hostEpoch) return;
        this.#hostEpoch = event.hostEpoch;
        if (event.hostId === this.#hostId) return;
        this.#hostId = event.hostId;
        this.#notice(hostNotice(this.nameOf(event.hostId), event.hostId === this.#selfId), nowMs);
        return;
      case "phase-changed":
        if (event.phase === this.#phase) return;
        this.#phase = event.phase;
        // The lobby clears ready flags when it reopens, without a peer-ready for each.
        if (event.phase === "waiting") this.#clearReady();
        this.#notice(phaseNotice(event.phase), nowMs);
        return;
      case "chat":
        this.#append({
          kind: "chat",
          from: event.from,
          name: this.nameOf(event.from),
          text: event.text,
          at: event.at,
        });
        return;
      default:
        assertNever(event, "lobby event");
    }
  }

  /** A line of our own for the log (e.g. about our connection). */
  note(text: string, nowMs: number): void {
    this.#notice(text, nowMs);
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

  #update(peerId: string, change: Partial<PeerInfo>): void {
    const peer = this.#roster.get(peerId);
    if (peer) this.#roster.set(peerId, { ...peer, ...change });
  }

  #notice(text: string, at: number): void {
    this.#append({ kind: "notice", text, at });
  }

  #append(entry: LogEntry): void {
    this.#log.push(entry);
    if (this.#log.length > MAX_LOG_ENTRIES) this.#log = this.#log.slice(-MAX_LOG_ENTRIES);
  }
}
