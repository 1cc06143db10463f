/** What the play scene may see of a game session: state to draw and the avatar to steer. */
import type { LobbyPhase } from "../../shared/protocol.ts";
import type { PeerNetworkSnapshot } from "../debug.ts";
import type { LocalPlayer } from "../sim/local-player.ts";

export interface RemoteAvatarView {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** False while the player's lobby connection is down (their seat is held); drawn faded. */
  readonly connected: boolean;
}

export interface PlayView {
  readonly lobbyCode: string;
  readonly self: { readonly id: string; readonly name: string };
  /** The scene feeds it input and frame time; the simulation itself lives outside Phaser. */
  readonly player: LocalPlayer;
  /**
   * Other players we have received a position from, where interpolation puts them at `nowMs`
   * (performance.now()). Call once per frame: sampling lets go of snapshots already shown.
   */
  remoteAvatars(nowMs: number): readonly RemoteAvatarView[];
  /** Per peer, the figures the network HUD shows. */
  network(): readonly PeerNetworkSnapshot[];
  /** Other players in the lobby, and how many of them have open channels. */
  peerCounts(): { readonly total: number; readonly connected: number };
  phase(): LobbyPhase;
}
