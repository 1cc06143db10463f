/**
 * Game packets on the data channels, msgpack-encoded with record structures fixed in advance.
 * Never `sequential`, and no structure is ever added at run time: a lost or reordered packet
 * must not make any later packet undecodable.
 */
import { FixedRecordCodec } from "./wire/fixed-records.ts";
import { isFiniteNumber, isRecord } from "./guards.ts";

/** A player's own avatar, sent on the `state` channel at STATE_HZ. */
export interface StatePacket {
  /** Sender's packet counter, +1 per packet; receivers drop stale and duplicate packets. */
  readonly seq: number;
  /** Sender's simulation tick when the state was taken. */
  readonly tick: number;
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}

const STATE_KEYS = [
  "seq",
  "tick",
  "x",
  "y",
  "vx",
  "vy",
] as const satisfies readonly (keyof StatePacket)[];

// Restores the fixed record after every decode: an inline record definition in one packet
// must not make later packets undecodable (see wire/fixed-records.ts).
const codec = new FixedRecordCodec([STATE_KEYS]);

export function encodeState(packet: StatePacket): Uint8Array {
  return codec.pack({
    seq: packet.seq,
    tick: packet.tick,
    x: packet.x,
    y: packet.y,
    vx: packet.vx,
    vy: packet.vy,
  });
}

/** Decodes a state packet with a cheap shape check; returns null for anything else. */
export function decodeState(bytes: Uint8Array): StatePacket | null {
  const decoded = codec.unpack(bytes);
  if (!isRecord(decoded)) return null;
  const { seq, tick, x, y, vx, vy } = decoded;
  if (!isFiniteNumber(seq) || !isFiniteNumber(tick)) return null;
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(tick)) return null;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(vx) || !isFiniteNumber(vy)) {
    return null;
  }
  return { seq, tick, x, y, vx, vy };
}
