/**
 * Everything sent on the unreliable, unordered `state` channel: the sender's avatar at
 * STATE_HZ, and ping/pong for clock sync. Each kind is one fixed msgpackr record, so its first
 * byte tells the kinds apart before anything is decoded:
 *
 * | kind  | first byte | values after it, in order                      | bytes, at most |
 * | ----- | ---------- | ---------------------------------------------- | -------------- |
 * | state | 0x40       | seq, tick, x, y, vx, vy (integers; see below)  | 23             |
 * | ping  | 0x41       | id, sentAt                                     | 15             |
 * | pong  | 0x42       | id, pingSentAt, receivedAt, sentAt             | 33             |
 *
 * seq, tick and id are uint32 (at most 5 bytes each); x and y are 1/16 unit steps and vx, vy
 * 1/8 unit/s steps (at most 3 bytes each, see quantize.ts); times are ms (at most 9 bytes).
 *
 * Decoding is the hot path (30 packets per second per peer), so it checks the shape by hand
 * instead of running a schema, and returns null for anything else; it never throws.
 */
import { isFiniteNumber, isRecord } from "../../../shared/guards.ts";
import { FixedRecordCodec } from "./fixed-records.ts";
import {
  dequantize,
  isInRangeSteps,
  POSITION_X,
  POSITION_Y,
  quantize,
  VELOCITY,
} from "./quantize.ts";

/** Sequence numbers, ticks and ping ids are unsigned 32-bit: over 4 years at 30 Hz. */
export const MAX_COUNTER = 0xffff_ffff;
/** No packet on this channel is longer; anything longer is rejected before decoding. */
export const MAX_STATE_CHANNEL_BYTES = 64;

/** One avatar state. Positions and velocities arrive quantized (see quantize.ts). */
export interface StatePacket {
  readonly kind: "state";
  /** The sender's packet counter, +1 per state packet. */
  readonly seq: number;
  /** The sender's simulation tick when the state was taken. */
  readonly tick: number;
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}

/** Times are the sender's own clock in ms (any monotonic clock; the two ends need not agree). */
export interface PingPacket {
  readonly kind: "ping";
  readonly id: number;
  readonly sentAt: number;
}

export interface PongPacket {
  readonly kind: "pong";
  /** The ping's id and send time, echoed. */
  readonly id: number;
  readonly pingSentAt: number;
  /** The answering side's clock when the ping arrived and when this pong left. */
  readonly receivedAt: number;
  readonly sentAt: number;
}

export type StateChannelPacket = StatePacket | PingPacket | PongPacket;
export type StateChannelKind = StateChannelPacket["kind"];

/** Record order is the wire format: a kind's index is its first byte minus 0x40. */
const KINDS = ["state", "ping", "pong"] as const satisfies readonly StateChannelKind[];
const RECORD_KEYS = {
  state: ["seq", "tick", "x", "y", "vx", "vy"],
  ping: ["id", "sentAt"],
  pong: ["id", "pingSentAt", "receivedAt", "sentAt"],
} as const satisfies Record<StateChannelKind, readonly string[]>;

const codec = new FixedRecordCodec(KINDS.map((kind) => RECORD_KEYS[kind]));

/** The first byte of every packet of this kind. */
export function recordIdOf(kind: StateChannelKind): number {
  return FixedRecordCodec.recordId(KINDS.indexOf(kind));
}

/** The packet's kind from its first byte alone, without decoding; null if it is none of ours. */
export function peekStateChannelKind(bytes: Uint8Array): StateChannelKind | null {
  const index = codec.recordIndexOf(bytes);
  return index === null ? null : (KINDS[index] ?? null);
}

/**
 * Encodes one packet. Positions and velocities are quantized and clamped into range; seq,
 * tick and id must be whole numbers in [0, MAX_COUNTER] (a RangeError otherwise: clamping a
 * counter would fake duplicates). Ping and pong times must be finite.
 */
export function encodeStateChannelPacket(packet: StateChannelPacket): Uint8Array<ArrayBuffer> {
  switch (packet.kind) {
    case "state":
      // Key order must match RECORD_KEYS.state.
      return codec.pack({
        seq: counter(packet.seq, "seq"),
        tick: counter(packet.tick, "tick"),
        x: quantize(POSITION_X, packet.x),
        y: quantize(POSITION_Y, packet.y),
        vx: quantize(VELOCITY, packet.vx),
        vy: quantize(VELOCITY, packet.vy),
      });
    case "ping":
      return codec.pack({ id: counter(packet.id, "id"), sentAt: time(packet.sentAt, "sentAt") });
    case "pong":
      return codec.pack({
        id: counter(packet.id, "id"),
        pingSentAt: time(packet.pingSentAt, "pingSentAt"),
        receivedAt: time(packet.receivedAt, "receivedAt"),
        sentAt: time(packet.sentAt, "sentAt"),
      });
    default:
      return unreachable(packet);
  }
}

/** Decodes one packet with cheap shape checks; null for junk, never throws. */
export function decodeStateChannelPacket(bytes: Uint8Array): StateChannelPacket | null {
  if (bytes.length > MAX_STATE_CHANNEL_BYTES) return null;
  const kind = peekStateChannelKind(bytes);
  if (kind === null) return null;
  const value = codec.unpack(bytes);
  if (!isRecord(value)) return null;
  switch (kind) {
    case "state":
      return stateFrom(value);
    case "ping":
      return pingFrom(value);
    case "pong":
      return pongFrom(value);
    default:
      return unreachable(kind);
  }
}

function stateFrom(value: Record<string, unknown>): StatePacket | null {
  const { seq, tick, x, y, vx, vy } = value;
  if (!isCounter(seq) || !isCounter(tick)) return null;
  if (!isInRangeSteps(POSITION_X, x) || !isInRangeSteps(POSITION_Y, y)) return null;
  if (!isInRangeSteps(VELOCITY, vx) || !isInRangeSteps(VELOCITY, vy)) return null;
  return {
    kind: "state",
    seq,
    tick,
    x: dequantize(POSITION_X, x),
    y: dequantize(POSITION_Y, y),
    vx: dequantize(VELOCITY, vx),
    vy: dequantize(VELOCITY, vy),
  };
}

function pingFrom(value: Record<string, unknown>): PingPacket | null {
  const { id, sentAt } = value;
  if (!isCounter(id) || !isFiniteNumber(sentAt)) return null;
  return { kind: "ping", id, sentAt };
}

function pongFrom(value: Record<string, unknown>): PongPacket | null {
  const { id, pingSentAt, receivedAt, sentAt } = value;
  if (!isCounter(id) || !isFiniteNumber(pingSentAt)) return null;
  if (!isFiniteNumber(receivedAt) || !isFiniteNumber(sentAt)) return null;
  return { kind: "pong", id, pingSentAt, receivedAt, sentAt };
}

function isCounter(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_COUNTER;
}

function counter(value: number, name: string): number {
  if (!isCounter(value)) throw new RangeError(`${name} must be an integer in [0, ${MAX_COUNTER}]`);
  return value;
}

function time(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of ms`);
  return value;
}

function unreachable(value: never): never {
  throw new Error(`unhandled state channel packet: ${String(value)}`);
}
