/**
 * The world's events on the real wire, for tests: one kit action packet per event, through an
 * `ActionRegistry` holding the world action as the room declares it (session/world-driver.ts).
 * Decoding goes through `receive`, so the event a test gets is the one the schema hands the
 * action's receiver, typed, as in a room.
 */
import { type ActionDropped, ActionRegistry } from "../../game/kit/wire/action-registry.ts";
import { WORLD_ACTION } from "../../game/session/world-driver.ts";
import { type GameEvent, GameEventSchema } from "../../game/world/events-wire.ts";

export type WorldDecoded = { readonly ok: true; readonly event: GameEvent } | ActionDropped;

/** Where the world action's receiver puts the event of the packet being received. */
interface Inbox {
  event: GameEvent | null;
}

const actions = new ActionRegistry<Inbox>();
actions.add(WORLD_ACTION, GameEventSchema, (event, inbox) => {
  inbox.event = event;
});

/** One world action packet; RangeError for an event the schema refuses or one over 8 KiB. */
export function encodeWorldEvent(event: GameEvent): Uint8Array<ArrayBuffer> {
  return actions.encode(WORLD_ACTION, event);
}

/** The event in one events-channel packet, or why it was dropped; never throws. */
export function receiveWorldEvent(bytes: Uint8Array): WorldDecoded {
  const inbox: Inbox = { event: null };
  const received = actions.receive(bytes, inbox);
  if (!received.ok) return received;
  if (inbox.event === null) throw new Error("a valid world action never reached its receiver");
  return { ok: true, event: inbox.event };
}

/** The event, or null for a packet the room would drop; never throws. */
export function decodeWorldEvent(bytes: Uint8Array): GameEvent | null {
  const decoded = receiveWorldEvent(bytes);
  return decoded.ok ? decoded.event : null;
}
