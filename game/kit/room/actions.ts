/**
 * A room's actions: named messages on the reliable, ordered channel, many multiplexed on it
 * (`ActionRegistry` does the wire). A message is checked against its schema before it goes (a
 * peer would only refuse it) and again on receipt; what fails on receipt is counted, never
 * thrown, and a listener that throws costs only its own call.
 */

import { errorDetail, type Problem, ProblemCode } from "../problems.ts";
import { ActionRegistry } from "../wire/action-registry.ts";
import type { StandardSchemaV1 } from "../wire/standard-schema.ts";
import { noDrops } from "../wire/state-channel.ts";

/** Any Standard Schema (valibot, zod, arktype...) whose validation is synchronous. */
export type ActionSchema<T> = StandardSchemaV1<unknown, T>;

export interface SendOptions {
  /** One peer; default: everyone. */
  readonly to?: string;
}

export interface Action<T> {
  readonly name: string;
  /**
   * Sends `message`, checked against the schema first (an invalid one throws a RangeError:
   * the peer would only drop it). Returns how many peers took it: 0 when it could not go out
   * (no path to the peer, or not in a lobby).
   */
  send(message: T, options?: SendOptions): number;
  /** Hears this action from peers, validated; returns the unsubscribe. */
  on(listener: (message: T, from: string) => void): () => void;
}

/** What an action needs of its room. */
export interface ActionRoom {
  send(packet: Uint8Array<ArrayBuffer>, to: string | undefined): number;
  report(problem: Problem): void;
}

class TypedAction<T> implements Action<T> {
  readonly name: string;
  readonly #registry: ActionRegistry<string>;
  readonly #room: ActionRoom;
  readonly #listeners = new Set<(message: T, from: string) => void>();

  constructor(
    name: string,
    schema: ActionSchema<T>,
    registry: ActionRegistry<string>,
    room: ActionRoom,
  ) {
    this.name = name;
    this.#registry = registry;
    this.#room = room;
    registry.add(name, schema, (message, from) => this.#deliver(message, from));
  }

  send(message: T, options: SendOptions = {}): number {
    return this.#room.send(this.#registry.encode(this.name, message), options.to);
  }

  on(listener: (message: T, from: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #deliver(message: T, from: string): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message, from);
      } catch (error) {
        this.#room.report({
          code: ProblemCode.ListenerFailed,
          detail: `action ${this.name}: ${errorDetail(error)}`,
        });
      }
    }
  }
}

export class ActionSet {
  readonly #registry = new ActionRegistry<string>();
  /** Reliable packets dropped undecoded, by reason. */
  readonly drops = noDrops();

  /** Throws a RangeError for a name already taken (or one whose wire tag another holds). */
  add<T>(name: string, schema: ActionSchema<T>, room: ActionRoom): Action<T> {
    return new TypedAction(name, schema, this.#registry, room);
  }

  /** One reliable packet from a peer; false when it was dropped (and counted). */
  receive(from: string, bytes: Uint8Array): boolean {
    const received = this.#registry.receive(bytes, from);
    if (received.ok) return true;
    this.drops[received.reason]++;
    return false;
  }
}
