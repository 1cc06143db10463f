/**
 * An event the game should send on the `events` channel. A tagged union rather than a peer id
 * or "all" in one string: the lobby's peer id pattern would let a player be called "all".
 */
import type { GameEvent } from "./events-wire.ts";

export type Outgoing =
  /** To every other player whose `events` channel is open. */
  | { readonly to: "all"; readonly event: GameEvent }
  | { readonly to: "peer"; readonly peerId: string; readonly event: GameEvent };
