/**
 * A msgpackr codec for records whose keys are all fixed in advance. Each packet is then one
 * record-id byte followed by the values, with no keys and no structure definitions, so every
 * packet decodes on its own: never `sequential`, nothing learned at run time.
 *
 * Two msgpackr behaviours it guards against:
 * - `pack` returns a view into a buffer that the next `pack` reuses, so packets are copied out.
 * - A packet may carry an inline record definition (extension type 0x72). msgpackr stores it
 *   over the fixed structure with the same id, for every later packet, and does not put it back
 *   afterwards, so one junk packet would make all later good ones undecodable. `unpack`
 *   restores the fixed structures after every call.
 */
import { Packr } from "msgpackr";

/** msgpackr's one-byte record ids start here: record `i` is sent as byte 0x40 + i. */
const FIRST_RECORD_ID = 0x40;
/** One-byte ids run to 0x5f; more records would need msgpackr's two-byte ids. */
const MAX_RECORDS = 0x20;

export class FixedRecordCodec {
  readonly #fixed: readonly string[][];
  /** The array msgpackr reads and (on inline definitions) writes; put back after each unpack. */
  readonly #structures: string[][];
  readonly #packr: Packr;

  constructor(records: readonly (readonly string[])[]) {
    if (records.length === 0 || records.length > MAX_RECORDS) {
      throw new RangeError(`between 1 and ${MAX_RECORDS} records, not ${records.length}`);
    }
    this.#fixed = records.map((keys) => [...keys]);
    this.#structures = [...this.#fixed];
    this.#packr = new Packr({
      structures: this.#structures,
      maxSharedStructures: records.length,
      shouldShareStructure: () => false,
      saveStructures: () => false,
      moreTypes: false,
    });
  }

  /** The first byte of every packet packed from record number `index`. */
  static recordId(index: number): number {
    return FIRST_RECORD_ID + index;
  }

  /** Index of the record a packet was packed from, read off its first byte; null if none. */
  recordIndexOf(bytes: Uint8Array): number | null {
    const first = bytes[0];
    if (first === undefined) return null;
    const index = first - FIRST_RECORD_ID;
    return index >= 0 && index < this.#fixed.length ? index : null;
  }

  /**
   * Packs `value`, whose keys must be exactly one record's keys in the same order (otherwise
   * msgpackr writes the keys inline and the packet grows). The result is the caller's own copy.
   */
  pack(value: Readonly<Record<string, unknown>>): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.#packr.pack(value));
  }

  /** The decoded value, or undefined when the bytes are not exactly one msgpack value. */
  unpack(bytes: Uint8Array): unknown {
    try {
      const value: unknown = this.#packr.unpack(bytes);
      return value;
    } catch {
      return undefined;
    } finally {
      this.#restoreStructures();
    }
  }

  #restoreStructures(): void {
    const structures = this.#structures;
    for (const [index, keys] of this.#fixed.entries()) {
      if (structures[index] !== keys) structures[index] = keys;
    }
    if (structures.length !== this.#fixed.length) structures.length = this.#fixed.length;
  }
}
