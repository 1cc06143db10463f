/**
 * A read-only view of the running game for tests, benchmarks and curious developers
 * (`edgeplay.snapshot()` in the console). Pure types plus the global declaration: no DOM here,
 * so Node-side tests can import these types too.
 */

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

export interface PeerSnapshot {
  readonly id: string;
  readonly name: string;
  /** RTCPeerConnection.connectionState */
  readonly connectionState: string;
  readonly polite: boolean;
  readonly channels: readonly ChannelSnapshot[];
  /** State packets accepted from this peer over the `state` channel. */
  readonly statePacketsReceived: number;
  /** State packets to this peer dropped instead of queued (channel not open or buffer full). */
  readonly stateSendDrops: number;
  readonly lastState: RemoteStateSnapshot | null;
  /** Epoch ms (performance.timeOrigin + now) when both channels were first open, else null. */
  readonly channelsOpenAt: number | null;
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
}

export interface EdgeplayDebugApi {
  snapshot(): GameSnapshot;
}

declare global {
  var edgeplay: EdgeplayDebugApi | undefined;
}
