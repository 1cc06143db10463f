/**
 * A read-only view of the running game for tests, benchmarks and curious developers
 * (`edgeplay.snapshot()` in the console). Pure types plus the global declaration: no DOM here,
 * so Node-side tests can import these types too.
 */
import type { LobbyPhase, LobbySettings } from "../shared/protocol.ts";

export interface ChannelSnapshot {
  readonly label: string;
  readonly readyState: string;
  readonly ordered: boolean;
  readonly maxRetransmits: number | null;
  readonly negotiated: boolean;
  readonly id: number | null;
}

export interface RemoteStateSnapshot {
  readonly seq: number;
  readonly tick: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Which way our packets to a peer go now: `direct` (host or STUN candidates), `turn` (a TURN
 * server relays the WebRTC path), `relay` (the edge relay, through the lobby socket), or
 * `none` (nothing yet: the direct path is still getting its chance).
 */
export type PathSnapshot = "direct" | "turn" | "relay" | "none";

/** The figures the network HUD shows for one peer. */
export interface PeerNetworkSnapshot {
  readonly id: string;
  readonly name: string;
  readonly path: PathSnapshot;
  /** Smoothed round trip of clock-sync pings on the path in use (SRTT); null before a pong. */
  readonly rttMs: number | null;
  /** Round-trip variation (RTTVAR); null before a pong. */
  readonly jitterMs: number | null;
  /** Lost share of this peer's recent state packets, from their sequence numbers. */
  readonly lossPercent: number;
  /** Every packet to and from this peer, on whichever path, over the last second. */
  readonly packetsPerSecondIn: number;
  readonly packetsPerSecondOut: number;
  readonly bytesPerSecondIn: number;
  readonly bytesPerSecondOut: number;
  /**
   * Packets to this peer that the path in use refused instead of queueing (send buffer full,
   * relay budget spent, lobby socket down). Ticks before any path exists are not sent at all.
   */
  readonly sendDrops: number;
  /** How far behind the newest data this peer's avatar is drawn; null before any state. */
  readonly interpolationDelayMs: number | null;
}

export interface PeerSnapshot extends PeerNetworkSnapshot {
  /** RTCPeerConnection.connectionState; `none` when the pair uses no WebRTC (`?transport=edge`). */
  readonly connectionState: string;
  readonly polite: boolean;
  /** The direct data channels; empty without WebRTC. */
  readonly channels: readonly ChannelSnapshot[];
  /** RFC 3550 jitter of the state packets' arrival times, ms. */
  readonly arrivalJitterMs: number;
  /** Packets that came from / went to this peer through the edge relay, since the start. */
  readonly relayPacketsIn: number;
  readonly relayPacketsOut: number;
  /** State packets accepted from this peer, on either path. */
  readonly statePacketsReceived: number;
  /** State packets to this peer dropped instead of queued (part of sendDrops). */
  readonly stateSendDrops: number;
  /** The newest state received from this peer. */
  readonly lastState: RemoteStateSnapshot | null;
  /** Epoch ms (performance.timeOrigin + now) when both channels were first open, else null. */
  readonly channelsOpenAt: number | null;
}

/** One player as the lobby reports them (us included). */
export interface RosterEntrySnapshot {
  readonly id: string;
  readonly name: string;
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

/** The lobby socket: connecting (first join), open, reconnecting (after a drop), closed. */
export type ConnectionSnapshot = "connecting" | "open" | "reconnecting" | "closed";

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
  readonly connection: ConnectionSnapshot;
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
  readonly transport: TransportModeSnapshot;
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
  /** Highest first, ties by peer id. */
  readonly scores: readonly { readonly peerId: string; readonly score: number }[];
  /** Counts from 1; 0 before the host's first world. */
  readonly round: number;
  readonly roundRemainingMs: number;
  readonly roundOver: boolean;
  /** After the round's end, until the host starts the next one; null if none is due by itself. */
  readonly nextRoundInMs: number | null;
  /** The scoreboard's clock line, as the arena shows it. */
  readonly clockLine: string;
  /**
   * `events` packets dropped undecoded, by reason (another build's version, junk, ...), and
   * `failed`: packets, lobby news or ticks whose handling threw (a bug; logged once).
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

export type TransportModeSnapshot = "auto" | "edge";

export interface EdgeplayDebugApi {
  snapshot(): GameSnapshot;
}

declare global {
  var edgeplay: EdgeplayDebugApi | undefined;
}
