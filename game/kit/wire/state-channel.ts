/**
 * Every kit packet, on both data channels. One FixedRecordCodec holds all four kinds, so the
 * first byte tells them apart before anything is decoded:
 *
 * | kind   | first byte | channel | values after it, in order          | bytes, at most |
 * | ------ | ---------- | ------- | ---------------------------------- | -------------- |
 * | stream | 0x40       | state   | stream, seq, tick, hz, data        | 218            |
 * | ping   | 0x41       | state   | id, sentAt                         | 15             |
 * | pong   | 0x42       | state   | id, pingSentAt, receivedAt, sentAt | 33             |
 * | action | 0x43       | events  | action, body                       | 8 KiB          |
 *
 * `stream` and `action` are u16 tags (stream-registry.ts, action-registry.ts); seq, tick and id
 * uint32; hz 1..255; data and body msgpack bin (data at most 200 bytes); times ms.
 *
 * Decoding the state channel is the hot path (30 packets per second per peer and stream), so
 * it checks the shape by hand instead of running a schema. Decoders never throw: they return
 * the packet or why it was dropped.
 */
import { isFiniteNumber, isRecord } from "../../../shared/guards.ts";
import { FixedRecordCodec } from "./fixed-records.ts";

/** Sequence numbers, ticks and ping ids are unsigned 32-bit: over 4 years at 30 Hz. */
export const MAX_COUNTER = 0xffff_ffff;
/** Stream and action tags are u16. */
export const MAX_TAG = 0xffff;
/** A sender's tick rate, ticks per second; one byte. */
export const MAX_HZ = 255;
/** Largest codec output a stream packet carries: state packets must stay well under a datagram. */
export const MAX_STREAM_DATA_BYTES = 200;
/**
 * Largest state-channel packet: a stream packet with every field at its widest (record id 1,
 * tag 3, seq 5, tick 5, hz 2, bin8 header 2, data 200). Anything longer is dropped unread.
 */
export const MAX_STATE_CHANNEL_BYTES = 1 + 3 + 5 + 5 + 2 + 2 + MAX_STREAM_DATA_BYTES;
/** Largest action packet, header included. (The edge relay carries at most 1,024 bytes.) */
export const MAX_ACTION_BYTES = 8 * 1024;

/** One value of one stream: the codec's bytes, not yet decoded. */
export interface StreamPacket {
  readonly kind: "stream";
  /** Which stream (`streamTag`): a tag this build does not know is a peer on another build. */
  readonly stream: number;
  /** The sender's counter for this stream and receiver, +1 per packet. */
  readonly seq: number;
  /** The sender's simulation tick when the value was taken. */
  readonly tick: number;
  /** The sender's tick rate: one tick is 1000 / hz ms of its timeline. */
  readonly hz: number;
  /** Decoded: a view into the packet's bytes. */
  readonly data: Uint8Array;
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

/** One message of one action (`actionTag`), its body plain msgpack. */
export interface ActionPacket {
  readonly kind: "action";
  readonly action: number;
  readonly body: Uint8Array;
}

export type StateChannelPacket = StreamPacket | PingPacket | PongPacket;
export type StateChannelKind = StateChannelPacket["kind"];
export type KitPacket = StateChannelPacket | ActionPacket;
export type KitPacketKind = KitPacket["kind"];

/**
 * Why a packet was dropped:
 * - `too-large`: over the channel's cap, not decoded at all.
 * - `junk`: not exactly one of this channel's packets (first byte, layout, header ranges).
 * - `unknown-stream`, `unknown-action`: a tag this build does not register (another build).
 * - `invalid`: a known tag, but the codec, msgpack or the schema refuses the data.
 */
export type DropReason = "too-large" | "junk" | "unknown-stream" | "unknown-action" | "invalid";

export interface Dropped {
  readonly ok: false;
  readonly reason: DropReason;
}

export type Decoded<P> = { readonly ok: true; readonly packet: P } | Dropped;

/** One frozen value per reason: dropping allocates nothing. */
/** A fresh tally with every drop reason at zero. */
export function noDrops(): Record<DropReason, number> {
  return { "too-large": 0, junk: 0, "unknown-stream": 0, "unknown-action": 0, invalid: 0 };
}

export const DROPPED: { readonly [R in DropReason]: Dropped } = {
  "too-large": Object.freeze({ ok: false, reason: "too-large" }),
  junk: Object.freeze({ ok: false, reason: "junk" }),
  "unknown-stream": Object.freeze({ ok: false, reason: "unknown-stream" }),
  "unknown-action": Object.freeze({ ok: false, reason: "unknown-action" }),
  invalid: Object.freeze({ ok: false, reason: "invalid" }),
};

/** Record order is the wire format: a kind's index is its first byte minus 0x40. */
const KINDS = ["stream", "ping", "pong", "action"] as const satisfies readonly KitPacketKind[];
const RECORD_KEYS = {
  stream: ["stream", "seq", "tick", "hz", "data"],
  ping: ["id", "sentAt"],
  pong: ["id", "pingSentAt", "receivedAt", "sentAt"],
  action: ["action", "body"],
} as const satisfies Record<KitPacketKind, readonly string[]>;

const codec = new FixedRecordCodec(KINDS.map((kind) => RECORD_KEYS[kind]));

/** The first byte of every packet of this kind. */
export function recordIdOf(kind: KitPacketKind): number {
  return FixedRecordCodec.recordId(KINDS.indexOf(kind));
}

/** The packet's kind from its first byte alone, without decoding; null if it is none of ours. */
export function peekKitPacketKind(bytes: Uint8Array): KitPacketKind | null {
  const index = codec.recordIndexOf(bytes);
  return index === null ? null : (KINDS[index] ?? null);
}

/** Like `peekKitPacketKind`, for the state channel's kinds only (an action is null). */
export function peekStateChannelKind(bytes: Uint8Array): StateChannelKind | null {
  const kind = peekKitPacketKind(bytes);
  return kind === "action" ? null : kind;
}

/**
 * Encodes one state-channel packet. seq, tick and id must be whole numbers in
 * [0, MAX_COUNTER], the tag a u16, hz in [1, MAX_HZ], data at most MAX_STREAM_DATA_BYTES and
 * times finite: a RangeError otherwise (a sender's bug; clamping a counter would fake
 * duplicates).
 */
export function encodeStateChannelPacket(packet: StateChannelPacket): Uint8Array<ArrayBuffer> {
  switch (packet.kind) {
    case "stream":
      if (packet.data.length > MAX_STREAM_DATA_BYTES) {
        throw new RangeError(`stream data over ${MAX_STREAM_DATA_BYTES} bytes`);
      }
      // Key order must match RECORD_KEYS.stream.
      return codec.pack({
        stream: checked(isTag, packet.stream, "stream tag"),
        seq: checked(isCounter, packet.seq, "seq"),
        tick: checked(isCounter, packet.tick, "tick"),
        hz: checked(isHz, packet.hz, "hz"),
        data: packet.data,
      });
    case "ping":
      return codec.pack({
        id: checked(isCounter, packet.id, "id"),
        sentAt: checked(isFiniteNumber, packet.sentAt, "sentAt"),
      });
    case "pong":
      return codec.pack({
        id: checked(isCounter, packet.id, "id"),
        pingSentAt: checked(isFiniteNumber, packet.pingSentAt, "pingSentAt"),
        receivedAt: checked(isFiniteNumber, packet.receivedAt, "receivedAt"),
        sentAt: checked(isFiniteNumber, packet.sentAt, "sentAt"),
      });
    default:
      return unreachable(packet);
  }
}

/** Encodes one action packet; a RangeError for a bad tag or over MAX_ACTION_BYTES. */
export function encodeActionPacket(packet: ActionPacket): Uint8Array<ArrayBuffer> {
  const bytes = codec.pack({
    action: checked(isTag, packet.action, "action tag"),
    body: packet.body,
  });
  if (bytes.length > MAX_ACTION_BYTES) {
    throw new RangeError(`action packet of ${bytes.length} bytes, over ${MAX_ACTION_BYTES}`);
  }
  return bytes;
}

/** One packet from the state channel, checked by hand; never throws. */
export function decodeStateChannelPacket(bytes: Uint8Array): Decoded<StateChannelPacket> {
  if (bytes.length > MAX_STATE_CHANNEL_BYTES) return DROPPED["too-large"];
  const kind = peekStateChannelKind(bytes);
  if (kind === null) return DROPPED.junk;
  const value = codec.unpack(bytes);
  if (!isRecord(value)) return DROPPED.junk;
  const packet = stateChannelPacketFrom(kind, value);
  return packet === null ? DROPPED.junk : { ok: true, packet };
}

/** One packet from the events channel: only actions travel there. Never throws. */
export function decodeActionPacket(bytes: Uint8Array): Decoded<ActionPacket> {
  if (bytes.length > MAX_ACTION_BYTES) return DROPPED["too-large"];
  if (peekKitPacketKind(bytes) !== "action") return DROPPED.junk;
  const value = codec.unpack(bytes);
  if (!isRecord(value)) return DROPPED.junk;
  const { action, body } = value;
  if (!isTag(action) || !(body instanceof Uint8Array)) return DROPPED.junk;
  return { ok: true, packet: { kind: "action", action, body: plainView(body) } };
}

function stateChannelPacketFrom(
  kind: StateChannelKind,
  value: Record<string, unknown>,
): StateChannelPacket | null {
  switch (kind) {
    case "stream": {
      const { stream, seq, tick, hz, data } = value;
      if (!isTag(stream) || !isCounter(seq) || !isCounter(tick) || !isHz(hz)) return null;
      if (!(data instanceof Uint8Array) || data.length > MAX_STREAM_DATA_BYTES) return null;
      return { kind, stream, seq, tick, hz, data: plainView(data) };
    }
    case "ping": {
      const { id, sentAt } = value;
      if (!isCounter(id) || !isFiniteNumber(sentAt)) return null;
      return { kind, id, sentAt };
    }
    case "pong": {
      const { id, pingSentAt, receivedAt, sentAt } = value;
      if (!isCounter(id) || !isFiniteNumber(pingSentAt)) return null;
      if (!isFiniteNumber(receivedAt) || !isFiniteNumber(sentAt)) return null;
      return { kind, id, pingSentAt, receivedAt, sentAt };
    }
    default:
      return unreachable(kind);
  }
}

/**
 * msgpackr hands bin out as a view into the packet, a Buffer in Node: the same view as a plain
 * Uint8Array, so Node and browsers get the same thing (Buffer's `slice` does not copy).
 */
function plainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isCounter(value: unknown): value is number {
  return isWholeIn(value, 0, MAX_COUNTER);
}

function isHz(value: unknown): value is number {
  return isWholeIn(value, 1, MAX_HZ);
}

function isTag(value: unknown): value is number {
  return isWholeIn(value, 0, MAX_TAG);
}

function isWholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function checked(test: (value: unknown) => value is number, value: number, name: string): number {
  if (!test(value)) throw new RangeError(`${name} out of range: ${value}`);
  return value;
}

function unreachable(value: never): never {
  throw new Error(`unhandled kit packet: ${String(value)}`);
}
