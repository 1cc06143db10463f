/**
 * The named actions of one room, all on the reliable `events` channel: each name has a
 * Standard Schema and a u16 tag (`actionTag`); an action packet carries the tag and the
 * message as plain msgpack. Both ends validate: `encode` throws RangeError for a message its
 * schema refuses (the bug shows where it is made), `receive` drops it and says why.
 *
 * Actions are rare, so every one runs its full schema, synchronously: a schema that answers
 * with a Promise counts as refusing. A receiver given to `add` gets the schema's typed output
 * when a packet passes through `receive`, with the caller's `Context` (see stream-registry.ts).
 */
import { NOT_MSGPACK, packPlain, unpackPlain } from "./plain-msgpack.ts";
import {
  type StandardSchemaIssue,
  type StandardSchemaV1,
  validateSync,
} from "./standard-schema.ts";
import { DROPPED, type Dropped, decodeActionPacket, encodeActionPacket } from "./state-channel.ts";
import { actionTag } from "./tags.ts";

/** A dropped action; `issues` (from a schema's refusal) are for a log line, never for peers. */
export interface ActionDropped extends Dropped {
  readonly issues?: readonly StandardSchemaIssue[];
}

export type ActionDecoded<M = unknown> =
  | { readonly ok: true; readonly name: string; readonly msg: M }
  | ActionDropped;

export type ActionReceiver<M, Context> = (msg: M, context: Context) => void;

interface Entry<Context> {
  readonly name: string;
  readonly tag: number;
  readonly schema: StandardSchemaV1<unknown, unknown>;
  /** Unpacks and validates a body, and hands the message to the receiver. */
  readonly open: (body: Uint8Array, context: Context) => ActionDecoded;
}

export class ActionRegistry<Context = void> {
  readonly #byName = new Map<string, Entry<Context>>();
  readonly #byTag = new Map<number, Entry<Context>>();

  /**
   * Registers an action and returns its tag. Throws RangeError for a name already added, or
   * one whose tag another action holds (rename one of them).
   */
  add<Input, Output>(
    name: string,
    schema: StandardSchemaV1<Input, Output>,
    receiver?: ActionReceiver<Output, Context>,
  ): number {
    const tag = actionTag(name);
    if (this.#byName.has(name)) throw new RangeError(`action "${name}" is already added`);
    const holder = this.#byTag.get(tag);
    if (holder) throw new RangeError(`actions "${holder.name}" and "${name}" share tag ${tag}`);
    const entry: Entry<Context> = {
      name,
      tag,
      schema,
      open: (body, context) => {
        const value = unpackPlain(body);
        if (value === NOT_MSGPACK) return DROPPED.invalid;
        const result = validateSync(schema, value);
        if (!result.ok) return { ok: false, reason: "invalid", issues: result.issues };
        receiver?.(result.value, context);
        return { ok: true, name, msg: result.value };
      },
    };
    this.#byName.set(name, entry);
    this.#byTag.set(tag, entry);
    return tag;
  }

  /**
   * One packet of action `name`. The message is checked against the schema and sent as given
   * (the receiver validates it again, so a transforming schema sees its input on both ends).
   * RangeError for an unknown name, a message the schema refuses, or a packet over
   * MAX_ACTION_BYTES.
   */
  encode(name: string, msg: unknown): Uint8Array<ArrayBuffer> {
    const entry = this.#byName.get(name);
    if (!entry) throw new RangeError(`no action "${name}"`);
    const result = validateSync(entry.schema, msg);
    if (!result.ok) {
      throw new RangeError(`invalid "${name}": ${describeIssue(result.issues[0])}`);
    }
    return encodeActionPacket({ kind: "action", action: entry.tag, body: packPlain(msg) });
  }

  /**
   * One events-channel packet; a valid message also goes to its action's receiver with
   * `context`. Never throws itself; what the receiver throws is not caught here.
   */
  receive(bytes: Uint8Array, context: Context): ActionDecoded {
    const decoded = decodeActionPacket(bytes);
    if (!decoded.ok) return decoded;
    const entry = this.#byTag.get(decoded.packet.action);
    return entry ? entry.open(decoded.packet.body, context) : DROPPED["unknown-action"];
  }
}

/** An issue as a developer reads it: where in the message, and what. */
function describeIssue(issue: StandardSchemaIssue | undefined): string {
  if (issue === undefined) return "refused";
  const path = (issue.path ?? [])
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}
