/**
 * The edge relay to one peer: packets go as binary frames over the lobby WebSocket, which
 * forwards them to that peer's socket. Slower than a direct path and rate-capped, but it
 * works whenever both players can reach the lobby. Every peer's relay transport shares one
 * budget, because the lobby's cap is per socket.
 */

import type { EdgeBudget } from "./edge-budget.ts";
import type { EdgeRelay } from "./edge-relay.ts";
import type { PacketChannel, PacketTransport } from "./transport.ts";

export class EdgeTransport implements PacketTransport {
  readonly kind = "edge";
  readonly #peerId: string;
  readonly #relay: EdgeRelay;
  readonly #budget: EdgeBudget;

  constructor(peerId: string, relay: EdgeRelay, budget: EdgeBudget) {
    this.#peerId = peerId;
    this.#relay = relay;
    this.#budget = budget;
  }

  get usable(): boolean {
    return this.#relay.ready;
  }

  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>, nowMs: number): boolean {
    if (!this.#relay.ready || !this.#budget.take(channel, nowMs)) return false;
    return this.#relay.sendPacket(this.#peerId, packet, channel);
  }
}
