/**
 * Self-describing msgpack for action bodies and `msgpackCodec` streams: plain maps and arrays
 * (`useRecords: false`), so each message carries its own keys and shares nothing with any
 * other (never `sequential`). A record definition inside received bytes applies to that
 * message alone: this unpacker keeps no structures between calls (a test holds it to that).
 */
import { Packr } from "msgpackr";

const packr = new Packr({ useRecords: false, variableMapSize: true });

/** What `unpackPlain` returns for bytes that are not exactly one msgpack value. */
export const NOT_MSGPACK: unique symbol = Symbol("not msgpack");

/** The caller's own copy (msgpackr reuses its output buffer). */
export function packPlain(value: unknown): Uint8Array<ArrayBuffer> {
  return new Uint8Array(packr.pack(value));
}

/** The one msgpack value in `bytes`, or `NOT_MSGPACK`; never throws. */
export function unpackPlain(bytes: Uint8Array): unknown {
  try {
    const value: unknown = packr.unpack(bytes);
    return value;
  } catch {
    return NOT_MSGPACK;
  }
}
