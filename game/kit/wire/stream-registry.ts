/**
 * The named streams of one room: each name has a codec and a u16 tag (`streamTag`), and stream
 * packets carry the tag. Encoding checks everything and throws RangeError for a sender's bug;
 * decoding never throws and says why a packet was dropped.
 *
 * A receiver given to `add` gets the typed value when a packet for its stream passes through
 * `receive`: the registry holds many streams of different types, and this way each value
 * reaches code that knows its type without a cast. `Context` is whatever the caller wants
 * passed along with it (the sender's id and the arrival time, say).
 */
import {
  DROPPED,
  type Dropped,
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  type StreamPacket,
} from "./state-channel.ts";
import type { StreamCodec } from "./stream-codec.ts";
import { streamTag } from "./tags.ts";

/** One value of a stream with its header. */
export interface StreamValue<T> {
  readonly seq: number;
  readonly tick: number;
  /** The sender's tick rate: tick × 1000 / hz is the value's moment on its timeline, ms. */
  readonly hz: number;
  readonly value: T;
}

export type StreamDecoded<T = unknown> =
  | ({ readonly ok: true; readonly name: string } & StreamValue<T>)
  | Dropped;

export type StreamReceiver<T, Context> = (value: StreamValue<T>, context: Context) => void;

interface Entry<Context> {
  readonly name: string;
  readonly tag: number;
  /** The codec added under this name: `encode` takes the caller's word for the value's type. */
  readonly codec: StreamCodec<unknown>;
  /** Decodes the data with the typed codec; with a context, hands the value to the receiver. */
  readonly open: (packet: StreamPacket, deliver?: { readonly context: Context }) => StreamDecoded;
}

export class StreamRegistry<Context = void> {
  readonly #byName = new Map<string, Entry<Context>>();
  readonly #byTag = new Map<number, Entry<Context>>();

  /**
   * Registers a stream and returns its tag. Throws RangeError for a name already added, or one
   * whose tag another stream holds (rename one of them).
   */
  add<T>(name: string, codec: StreamCodec<T>, receiver?: StreamReceiver<T, Context>): number {
    const tag = streamTag(name, codec.id);
    if (this.#byName.has(name)) throw new RangeError(`stream "${name}" is already added`);
    const holder = this.#byTag.get(tag);
    if (holder) throw new RangeError(`streams "${holder.name}" and "${name}" share tag ${tag}`);
    const entry: Entry<Context> = {
      name,
      tag,
      codec,
      open: (packet, deliver) => {
        const value = decodeSafely(codec, packet.data);
        if (value === null) return DROPPED.invalid;
        const { seq, tick, hz } = packet;
        const received: StreamValue<T> = { seq, tick, hz, value };
        if (deliver && receiver) receiver(received, deliver.context);
        return { ok: true, name, ...received };
      },
    };
    this.#byName.set(name, entry);
    this.#byTag.set(tag, entry);
    return tag;
  }

  /**
   * One packet of stream `name`; `value` must be of the type its codec takes. RangeError for an
   * unknown name, counters outside uint32, hz outside 1..255, or codec output over
   * MAX_STREAM_DATA_BYTES.
   */
  encode(
    name: string,
    seq: number,
    tick: number,
    hz: number,
    value: unknown,
  ): Uint8Array<ArrayBuffer> {
    const entry = this.#byName.get(name);
    if (!entry) throw new RangeError(`no stream "${name}"`);
    const data = entry.codec.encode(value);
    return encodeStateChannelPacket({ kind: "stream", stream: entry.tag, seq, tick, hz, data });
  }

  /** A state-channel packet that should be a stream packet; never throws. */
  decode(bytes: Uint8Array): StreamDecoded {
    const decoded = decodeStateChannelPacket(bytes);
    if (!decoded.ok) return decoded;
    return decoded.packet.kind === "stream" ? this.decodePacket(decoded.packet) : DROPPED.junk;
  }

  /** The value of an already decoded stream packet (no second msgpack pass); never throws. */
  decodePacket(packet: StreamPacket): StreamDecoded {
    return this.#byTag.get(packet.stream)?.open(packet) ?? DROPPED["unknown-stream"];
  }

  /**
   * Like `decodePacket`, and a decoded value also goes to its stream's receiver with `context`.
   * What the receiver throws is not caught here.
   */
  receive(packet: StreamPacket, context: Context): StreamDecoded {
    return this.#byTag.get(packet.stream)?.open(packet, { context }) ?? DROPPED["unknown-stream"];
  }
}

/** Codecs promise not to throw on junk; one that does still only drops its packet. */
function decodeSafely<T>(codec: StreamCodec<T>, data: Uint8Array): T | null {
  try {
    return codec.decode(data);
  } catch {
    return null;
  }
}
