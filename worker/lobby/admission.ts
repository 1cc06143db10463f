/**
 * Who may open a socket into a lobby that many sockets are already joining. Pure: the lobby
 * hands in the sockets that have not been welcomed yet and acts on the answer.
 */
import { MAX_PENDING_SOCKETS, MAX_PENDING_SOCKETS_PER_ADDRESS } from "../../shared/limits.ts";

export interface PendingSocket<S> {
  readonly socket: S;
  readonly address: string;
  /** When it was opened (any increasing clock): the oldest of an address goes first. */
  readonly openedAt: number;
}

export type Admission<S> =
  | { readonly kind: "admit" }
  /** Admit, after closing this socket of the address that holds the most pending ones. */
  | { readonly kind: "admit-displacing"; readonly socket: S }
  | { readonly kind: "refuse"; readonly reason: "address-busy" | "lobby-busy" };

export function admitPending<S>(
  pending: readonly PendingSocket<S>[],
  address: string,
): Admission<S> {
  const byAddress = new Map<string, PendingSocket<S>[]>();
  for (const entry of pending) {
    const list = byAddress.get(entry.address) ?? [];
    list.push(entry);
    byAddress.set(entry.address, list);
  }
  const own = byAddress.get(address)?.length ?? 0;
  if (own >= MAX_PENDING_SOCKETS_PER_ADDRESS) return { kind: "refuse", reason: "address-busy" };
  if (pending.length < MAX_PENDING_SOCKETS) return { kind: "admit" };
  let busiest: PendingSocket<S>[] = [];
  for (const list of byAddress.values()) if (list.length > busiest.length) busiest = list;
  // Displacing is fair only if the other address would still hold more than this one.
  if (busiest.length <= own + 1) return { kind: "refuse", reason: "lobby-busy" };
  const oldest = busiest.reduce((a, b) => (b.openedAt < a.openedAt ? b : a));
  return { kind: "admit-displacing", socket: oldest.socket };
}
