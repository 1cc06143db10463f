/**
 * Game packets on the data channels, msgpack-encoded with record structures fixed in advance.
 * Never `sequential`, and no structure is ever added at run time: a lost or reordered packet
 * must not make any later packet undecodable.
 */
import { Packr } from "msgpackr";
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

function fixedStructurePackr(): Packr {
  const structures = [[...STATE_KEYS]];
  return new Packr({
    structures,
    maxSharedStructures: structures.length,
    shouldShareStructure: () => false,
    saveStructures: () => false,
    moreTypes: false,
  });
}

const packr = fixedStructurePackr();

export function encodeState(packet: StatePacket): Uint8Array {
  return packr.pack({
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
  let decoded: unknown;
  try {
    decoded = packr.unpack(bytes);
  } catch {
    return null;
  }
  if (!isRecord(decoded)) return null;
  const { seq, tick, x, y, vx, vy } = decoded;
  if (!isFiniteNumber(seq) || !isFiniteNumber(tick)) return null;
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(tick)) return null;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(vx) || !isFiniteNumber(vy)) {
    return null;
  }
  return { seq, tick, x, y, vx, vy };
}
