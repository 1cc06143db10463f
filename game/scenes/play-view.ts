/** What the play scene may see of a game session: state to draw and the avatar to steer. */
import type { PeerNetworkSnapshot } from "../debug.ts";
import type { LocalPlayer } from "../sim/local-player.ts";
import type { WorldView } from "../world/world-session.ts";

export interface RemoteAvatarView {
  readonly id: string;
  readonly name: string;
  /** Their colour slot (`PeerInfo.color`); null if the lobby has not said. */
  readonly color: number | null;
  readonly x: number;
  readonly y: number;
  /** False while the player's lobby connection is down (their seat is held); drawn faded. */
  readonly connected: boolean;
  /** Their voice is being heard now. */
  readonly speaking: boolean;
}

export interface PlayView {
  readonly lobbyCode: string;
  readonly self: { readonly id: string; readonly name: string; readonly color: number | null };
  /** The scene feeds it input and frame time; the simulation itself lives outside Phaser. */
  readonly player: LocalPlayer;
  /**
   * Other players we have received a position from, where interpolation puts them at `nowMs`
   * (performance.now()). Call once per frame: sampling lets go of snapshots already shown.
   */
  remoteAvatars(nowMs: number): readonly RemoteAvatarView[];
  /** Our own voice is going out (push-to-talk held, or open mic). */
  selfSpeaking(): boolean;
  /** Per peer, the figures the network HUD shows. */
  network(): readonly PeerNetworkSnapshot[];
  /** Other players in the lobby, and how many of them have open channels. */
  peerCounts(): { readonly total: number; readonly connected: number };
  /** World units; pickups are drawn as discs this size. */
  readonly pickupRadius: number;
  /** The shared world to draw (pickups, scores, round clock); null before the lobby's welcome. */
  world(nowMs: number): WorldView | null;
  /** A player's name as the lobby knows it (their id if it does not). */
  playerName(peerId: string): string;
  /** A player's colour slot as the lobby knows it (null if it does not). */
  playerColor(peerId: string): number | null;
}
