/**
 * Reads copies of the state-channel packets a page sent (taken by a page probe), for benches
 * that look at what went out. The layout is the one game/kit/wire/state-channel.ts documents:
 * the first byte is the kind, then the packet's fields as plain msgpack values in the table's
 * order. The kit's own decoder is internal to the kit, so the benches read the bytes as the
 * wire format describes them.
 */
import { unpackMultiple } from "msgpackr";
import * as v from "valibot";

/** Each kind's first byte. */
export const PACKET_KIND_BYTE = { stream: 0x40, ping: 0x41, pong: 0x42, action: 0x43 } as const;

export interface StreamPacketRead {
  readonly kind: "stream";
  /** The stream's tag. */
  readonly stream: number;
  readonly seq: number;
  readonly tick: number;
  readonly hz: number;
  /** The stream codec's bytes. */
  readonly data: Uint8Array;
}

export interface PingPacketRead {
  readonly kind: "ping";
  readonly id: number;
  readonly sentAt: number;
}

export interface PongPacketRead {
  readonly kind: "pong";
  readonly id: number;
  readonly pingSentAt: number;
  readonly receivedAt: number;
  readonly sentAt: number;
}

export type StatePacketRead = StreamPacketRead | PingPacketRead | PongPacketRead;

const StreamFields = v.strictTuple([
  v.number(),
  v.number(),
  v.number(),
  v.number(),
  v.instance(Uint8Array),
]);
const PingFields = v.strictTuple([v.number(), v.number()]);
const PongFields = v.strictTuple([v.number(), v.number(), v.number(), v.number()]);

/** One state-channel packet's fields; null for anything else (an action, junk). */
export function readStatePacket(bytes: Uint8Array): StatePacketRead | null {
  const fields = fieldsOf(bytes);
  switch (bytes[0]) {
    case PACKET_KIND_BYTE.stream: {
      const read = v.safeParse(StreamFields, fields);
      if (!read.success) return null;
      const [stream, seq, tick, hz, data] = read.output;
      return { kind: "stream", stream, seq, tick, hz, data };
    }
    case PACKET_KIND_BYTE.ping: {
      const read = v.safeParse(PingFields, fields);
      if (!read.success) return null;
      const [id, sentAt] = read.output;
      return { kind: "ping", id, sentAt };
    }
    case PACKET_KIND_BYTE.pong: {
      const read = v.safeParse(PongFields, fields);
      if (!read.success) return null;
      const [id, pingSentAt, receivedAt, sentAt] = read.output;
      return { kind: "pong", id, pingSentAt, receivedAt, sentAt };
    }
    default:
      return null;
  }
}

/** The msgpack values after the first byte; null when they do not parse. */
function fieldsOf(bytes: Uint8Array): unknown {
  try {
    return unpackMultiple(bytes.subarray(1));
  } catch {
    return null;
  }
}
