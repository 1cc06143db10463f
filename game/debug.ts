/**
 * A read-only view of the running game for tests, benchmarks and curious developers
 * (`edgeplay.snapshot()` in the console). Pure types plus the global declaration: no DOM here,
 * so Node-side tests can import these types too.
 */

import type { ConnectionState, PeerStats, TransportMode } from "edgeplay/client";
import type { LobbyPhase, LobbySettings } from "edgeplay/protocol";
import type { MatchStage } from "./world/events-wire.ts";

export interface RemoteStateSnapshot {
  readonly seq: number;
  readonly tick: number;
  readonly x: number;
  readonly y: number;
}

/** The figures the network HUD shows for one peer: the kit's stats, and the peer's name. */
export interface PeerNetworkSnapshot extends PeerStats {
  readonly name: string;
}

export interface PeerSnapshot extends PeerNetworkSnapshot {
  /** Avatar states accepted from this peer, on either path. */
  readonly statePacketsReceived: number;
  /** The newest avatar state received from this peer. */
  readonly lastState: RemoteStateSnapshot | null;
}

/** One player as the lobby reports them (us included). */
export interface RosterEntrySnapshot {
  readonly id: string;
  readonly name: string;
  /** Their colour slot, 0..7, no other seat's. */
  readonly color: number;
  readonly joinOrder: number;
  readonly ready: boolean;
  /** False while their lobby socket is gone and their seat is held. */
  readonly connected: boolean;
}

export interface ChatSnapshot {
  readonly from: string;
  /** The sender's name when the line arrived. */
  readonly name: string;
  readonly text: string;
  /** Epoch ms when the lobby received it. */
  readonly at: number;
}

export interface IceSnapshot {
  /** `relay` when the page was opened with `?ice=relay`. */
  readonly transportPolicy: string;
  /** URLs of the ICE servers in use (credentials are never included). */
  readonly urls: readonly string[];
  /** Epoch ms when the TURN credentials expire, null without TURN. */
  readonly expireAt: number | null;
}

export interface GameSnapshot {
  /** Lobby code once joined, else null. */
  readonly lobby: string | null;
  readonly peerId: string | null;
  /** Epoch ms when the player asked to join (or create) the lobby. */
  readonly joinStartedAt: number | null;
  /** Epoch ms when the lobby's `welcome` arrived, else null. */
  readonly welcomedAt: number | null;
  readonly local: { readonly x: number; readonly y: number; readonly seq: number };
  readonly peers: readonly PeerSnapshot[];
  /** Errors shown to the player, oldest first. */
  readonly errors: readonly string[];
  /** "closed" also when not in a lobby at all. */
  readonly connection: ConnectionState;
  /** The reconnect attempt in progress (1, 2, ...), 0 while connected. */
  readonly reconnectAttempt: number;
  /** How many times a dropped lobby socket was replaced by a welcomed one, this session. */
  readonly reconnects: number;
  readonly settings: LobbySettings | null;
  /** null until welcomed. */
  readonly phase: LobbyPhase | null;
  readonly hostId: string | null;
  readonly hostEpoch: number | null;
  /** Everyone in the lobby, us included, in join order. */
  readonly roster: readonly RosterEntrySnapshot[];
  /** The newest chat lines (up to 50), oldest first. */
  readonly chat: readonly ChatSnapshot[];
  /** The newest notices in the lobby log (up to 50): joins, leaves, kicks, phase changes. */
  readonly notices: readonly string[];
  /** null when not in a lobby. */
  readonly ice: IceSnapshot | null;
  /** `edge` when the page was opened with `?transport=edge` (edge relay only, no WebRTC). */
  readonly transport: TransportMode;
  /** Whether the network HUD is showing (toggled with H in the arena). */
  readonly hudVisible: boolean;
  /** The shared world (pickups, scores, round clock); null when not in a lobby. */
  readonly world: WorldSnapshot | null;
}

/** One pickup in the shared world; inactive ones wait to respawn (with a new id). */
export interface PickupSnapshot {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /** Points for whoever takes it (3 for a star). */
  readonly value: number;
  readonly active: boolean;
}

/** Our copy of the host-owned world (the host's own world on the host). */
export interface WorldSnapshot {
  /** The peer whose world this is (the lobby's host as the world last heard); null before any. */
  readonly hostId: string | null;
  /** That host's `hostEpoch`. */
  readonly epoch: number;
  /** The world version: moves by one per change the host makes. */
  readonly version: number;
  readonly pickups: readonly PickupSnapshot[];
  /** This round's points and the match's, highest this round first, ties by peer id. */
  readonly scores: readonly {
    readonly peerId: string;
    readonly score: number;
    readonly total: number;
  }[];
  readonly stage: MatchStage;
  /** The round counted down to, played or just over, from 1; 0 in the warm-up. */
  readonly round: number;
  readonly rounds: number;
  /** Time left in a countdown, round or results; null in the warm-up and on the podium. */
  readonly stageRemainingMs: number | null;
  /** Whether points count now. */
  readonly scoring: boolean;
  /** The scoreboard's clock line, as the arena shows it. */
  readonly clockLine: string;
  /**
   * The room's reliable packets dropped undecoded, by reason (another build's action, junk,
   * an invalid event...), and `failed`: events, lobby news or ticks whose handling threw (a
   * bug; logged once).
   */
  readonly droppedEvents: Readonly<Record<string, number>>;
  /**
   * What the world counted of decoded input: replica ordering (`applied`, `stale`, `early`,
   * `held`, `notHost`), the host's checks (`grantsTakenAsFresh`, `duplicateClaims`,
   * `claimsOverCap`, `unexpectedHandovers`) and packets for a host we are not
   * (`claimsToNonHost`, `refusalsNotFromHost`).
   */
  readonly counts: Readonly<Record<string, number>>;
}

export interface EdgeplayDebugApi {
  snapshot(): GameSnapshot;
}

declare global {
  var edgeplay: EdgeplayDebugApi | undefined;
}
