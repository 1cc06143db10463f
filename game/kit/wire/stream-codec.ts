/**
 * How a stream's values become bytes. The kit never looks inside them: a stream packet carries
 * the codec's bytes (at most MAX_STREAM_DATA_BYTES), and the codec's id is part of the
 * stream's tag, so a peer with another format is an unknown stream, not misread data.
 */
import { NOT_MSGPACK, packPlain, unpackPlain } from "./plain-msgpack.ts";

// The kit's codecs and the blend they may carry, in one import.
export type { Blend } from "../netcode/blend.ts";
export { type Motion, type MotionCodecOptions, motionCodec } from "./motion-codec.ts";

export interface StreamCodec<T> {
  /** Names the format; part of the stream's tag, so two builds with different formats never mix. */
  readonly id: string;
  /** May throw RangeError only for a programming error. */
  encode(value: T): Uint8Array;
  /** Never throws; null for junk. */
  decode(bytes: Uint8Array): T | null;
}

/**
 * Any small state as plain msgpack, checked on the way in by `validate` (a cheap hand-written
 * check: it runs for every packet). Bigger than a purpose-built codec (keys travel in every
 * packet), so fit for low-rate or irregular state; name the layout in `id` and change it
 * whenever the shape changes.
 */
export function msgpackCodec<T>(
  id: string,
  validate: (value: unknown) => T | null,
): StreamCodec<T> {
  return {
    id: `msgpack:${id}`,
    encode: (value) => packPlain(value),
    decode: (bytes) => {
      const value = unpackPlain(bytes);
      if (value === NOT_MSGPACK) return null;
      try {
        return validate(value);
      } catch {
        return null;
      }
    },
  };
}
