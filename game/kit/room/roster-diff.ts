/**
 * Who came and who went between what we knew and a fresh roster (a `welcome` after a
 * reconnect). Used to reconcile both the peer mesh and the roster shown to the player.
 */
import type { PeerInfo } from "../../../shared/protocol.ts";

export interface RosterDiff {
  /** In the new roster but not known before, in the roster's order. */
  readonly added: readonly PeerInfo[];
  /** Known before but missing from the new roster. */
  readonly removed: readonly string[];
}

/** Compares known peer ids with `peers`, ignoring our own id on both sides. */
export function diffRoster(
  knownIds: Iterable<string>,
  peers: readonly PeerInfo[],
  selfId: string,
): RosterDiff {
  const known = new Set(knownIds);
  known.delete(selfId);
  const fresh = new Set(peers.map((peer) => peer.id));
  return {
    added: peers.filter((peer) => peer.id !== selfId && !known.has(peer.id)),
    removed: [...known].filter((id) => !fresh.has(id)),
  };
}
