/**
 * The named streams of one room: each name has a codec and a u16 tag (`streamTag`), and stream
 * packets carry the tag. `add` returns the tag; a sender frames the codec's bytes behind it with
 * `encodeStateChannelPacket` (netcode/peer-netcode.ts), which throws RangeError for a sender's
 * bug. `receive` takes a decoded stream packet, never throws, and says why it dropped one.
 *
 * A receiver given to `add` gets the typed value when a packet for its stream passes through
 * `receive`: the registry holds many streams of different types, and this way each value
 * reaches code that knows its type without a cast. `Context` is whatever the caller wants
 * passed along with it (the sender's id and the arrival time, say).
 */
import { DROPPED, type Dropped, type StreamPacket } from "./state-channel.ts";
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
  /** Decodes the data with the typed codec and hands the value to the receiver. */
  readonly open: (packet: StreamPacket, context: Context) => StreamDecoded;
}

export class StreamRegistry<Context = void> {
  readonly #names = new Set<string>();
  readonly #byTag = new Map<number, Entry<Context>>();

  /**
   * Registers a stream and returns its tag. Throws RangeError for a name already added, or one
   * whose tag another stream holds (rename one of them).
   */
  add<T>(name: string, codec: StreamCodec<T>, receiver?: StreamReceiver<T, Context>): number {
    const tag = streamTag(name, codec.id);
    if (this.#names.has(name)) throw new RangeError(`stream "${name}" is already added`);
    const holder = this.#byTag.get(tag);
    if (holder) throw new RangeError(`streams "${holder.name}" and "${name}" share tag ${tag}`);
    this.#names.add(name);
    this.#byTag.set(tag, {
      name,
      open: (packet, context) => {
        const value = decodeSafely(codec, packet.data);
        if (value === null) return DROPPED.invalid;
        const { seq, tick, hz } = packet;
        const received: StreamValue<T> = { seq, tick, hz, value };
        receiver?.(received, context);
        return { ok: true, name, ...received };
      },
    });
    return tag;
  }

  /**
   * The value of a decoded stream packet (no second msgpack pass), also handed to its stream's
   * receiver with `context`. Never throws itself; what the receiver throws is not caught here.
   */
  receive(packet: StreamPacket, context: Context): StreamDecoded {
    return this.#byTag.get(packet.stream)?.open(packet, context) ?? DROPPED["unknown-stream"];
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
