import fc from "fast-check";
import { Packr } from "msgpackr";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { type ActionDecoded, ActionRegistry } from "../../game/kit/wire/action-registry.ts";
import type { StandardSchemaV1 } from "../../game/kit/wire/standard-schema.ts";
import {
  decodeActionPacket,
  encodeActionPacket,
  encodeStateChannelPacket,
  MAX_ACTION_BYTES,
} from "../../game/kit/wire/state-channel.ts";
import { actionTag } from "../../game/kit/wire/tags.ts";

const Claim = v.object({ id: v.pipe(v.number(), v.integer(), v.minValue(0)) });
const Chat = v.object({ text: v.pipe(v.string(), v.maxLength(10_000)) });
/** Input differs from output: the receiver validates what the sender gave, not its result. */
const Trimmed = v.pipe(v.string(), v.trim(), v.minLength(1));

/** What the receivers got from the packets received with it, typed per action. */
interface Inbox {
  readonly claim: v.InferOutput<typeof Claim>[];
  readonly chat: v.InferOutput<typeof Chat>[];
  readonly trimmed: string[];
}

const emptyInbox = (): Inbox => ({ claim: [], chat: [], trimmed: [] });

/** A room's actions, each receiver filing its typed messages in the inbox it is given. */
function registry(): ActionRegistry<Inbox> {
  const actions = new ActionRegistry<Inbox>();
  actions.add("claim", Claim, (msg, inbox) => inbox.claim.push(msg));
  actions.add("chat", Chat, (msg, inbox) => inbox.chat.push(msg));
  actions.add("trimmed", Trimmed, (msg, inbox) => inbox.trimmed.push(msg));
  return actions;
}

/** One events-channel packet through `receive`, as a room takes it, with what reached receivers. */
function receive(
  actions: ActionRegistry<Inbox>,
  bytes: Uint8Array,
): { readonly received: ActionDecoded; readonly inbox: Inbox } {
  const inbox = emptyInbox();
  return { received: actions.receive(bytes, inbox), inbox };
}

/** An action packet with any body, as a peer on another build might send. */
const packetOf = (name: string, body: Uint8Array): Uint8Array =>
  encodeActionPacket({ kind: "action", action: actionTag(name), body });
const plain = new Packr({ useRecords: false });

/** The body of an action packet, as it travels. */
function packetBody(bytes: Uint8Array): Uint8Array {
  const decoded = decodeActionPacket(bytes);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.packet.body;
}

describe("action tags", () => {
  it("are stable across builds", () => {
    expect(actionTag("claim")).toBe(33648);
  });
});

describe("action registry", () => {
  it("round-trips messages, packed as self-describing msgpack behind the tag", () => {
    const actions = registry();
    const bytes = actions.encode("claim", { id: 3 });
    expect(receive(actions, bytes)).toEqual({
      received: { ok: true, name: "claim", msg: { id: 3 } },
      inbox: { ...emptyInbox(), claim: [{ id: 3 }] },
    });
    const decoded = decodeActionPacket(bytes);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.packet.action).toBe(actionTag("claim"));
    expect(plain.unpack(decoded.packet.body)).toEqual({ id: 3 });
    // fixmap of 1, then the key: no records in the body.
    expect(decoded.packet.body[0]).toBe(0x81);
  });

  it("sends the input and hands the receiver the schema's output", () => {
    const actions = registry();
    const bytes = actions.encode("trimmed", "  hi  ");
    expect(plain.unpack(packetBody(bytes))).toBe("  hi  ");
    expect(receive(actions, bytes)).toEqual({
      received: { ok: true, name: "trimmed", msg: "hi" },
      inbox: { ...emptyInbox(), trimmed: ["hi"] },
    });
  });

  it("hands typed messages to the action's receiver with the caller's context", () => {
    const actions = new ActionRegistry<string>();
    const heard: [number, string][] = [];
    actions.add("claim", Claim, (msg, from) => heard.push([msg.id, from]));
    const bytes = actions.encode("claim", { id: 9 });
    expect(actions.receive(bytes, "peer-b")).toMatchObject({ ok: true, name: "claim" });
    expect(heard).toEqual([[9, "peer-b"]]);
  });

  it("refuses a second name or a clashing tag", () => {
    const actions = registry();
    expect(() => actions.add("claim", Chat)).toThrow(RangeError);
    expect(actionTag("a58")).toBe(actionTag("a116"));
    actions.add("a58", Claim);
    expect(() => actions.add("a116", Claim)).toThrow(/a58.*a116/);
  });

  it.each([
    ["an unknown action", (a: ActionRegistry<Inbox>) => a.encode("nope", {})],
    ["a message its schema refuses", (a: ActionRegistry<Inbox>) => a.encode("claim", { id: -1 })],
    [
      "a message over 8 KiB",
      (a: ActionRegistry<Inbox>) => a.encode("chat", { text: "x".repeat(8200) }),
    ],
  ])("throws RangeError for %s (a sender's bug)", (_label, send) => {
    expect(() => send(registry())).toThrow(RangeError);
  });

  it("drops an action this build does not know", () => {
    const other = new ActionRegistry();
    other.add("kick", v.object({ who: v.string() }));
    expect(receive(registry(), other.encode("kick", { who: "x" }))).toEqual({
      received: { ok: false, reason: "unknown-action" },
      inbox: emptyInbox(),
    });
  });

  it("drops a message its schema refuses, with the issues for a log", () => {
    const { received, inbox } = receive(registry(), packetOf("claim", plain.pack({ id: "3" })));
    expect(received).toMatchObject({ ok: false, reason: "invalid" });
    expect(received.ok ? [] : received.issues?.map((i) => i.message)).toHaveLength(1);
    expect(inbox).toEqual(emptyInbox());
  });

  it.each([
    ["junk bytes", Uint8Array.from([0xc1, 0x00]), "junk"],
    ["a stream packet", encodeStateChannelPacket({ kind: "ping", id: 1, sentAt: 2 }), "junk"],
    ["the arena's old events map", plain.pack({ v: 4, event: { type: "score" } }), "junk"],
    ["an oversized packet", new Uint8Array(MAX_ACTION_BYTES + 1).fill(0x43), "too-large"],
    ["a body that is not msgpack", packetOf("claim", Uint8Array.from([0xc1])), "invalid"],
    ["a body with trailing bytes", packetOf("claim", Uint8Array.from([0x80, 0x80])), "invalid"],
    ["an empty body", packetOf("claim", new Uint8Array()), "invalid"],
  ])("drops %s, counted by reason", (_label, bytes, reason) => {
    const { received, inbox } = receive(registry(), bytes);
    expect(received).toMatchObject({ ok: false, reason });
    expect(inbox).toEqual(emptyInbox());
  });

  it("counts an asynchronous schema as refusing: actions validate synchronously", () => {
    const actions = new ActionRegistry();
    const later: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: (value) => Promise.resolve({ value }),
      },
    };
    actions.add("later", later);
    expect(() => actions.encode("later", 1)).toThrow(RangeError);
    expect(actions.receive(packetOf("later", plain.pack(1)))).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  it("drops, never throws, when a schema throws", () => {
    const actions = new ActionRegistry();
    const broken: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => {
          throw new Error("bug");
        },
      },
    };
    actions.add("broken", broken);
    expect(actions.receive(packetOf("broken", plain.pack(1)))).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  it("still decodes good bodies after one with an inline record definition", () => {
    const actions = registry();
    // d4 72 40 ...: defines record 0x40 as ["id"] inline, then uses it: { id: 1 } in disguise.
    const sneaky = Uint8Array.from([0xd4, 0x72, 0x40, 0x91, 0xa2, 0x69, 0x64, 0x01]);
    receive(actions, packetOf("claim", sneaky));
    // 0x40 here is the integer 64, whatever the last body defined.
    expect(receive(actions, packetOf("claim", plain.pack({ id: 64 })))).toEqual({
      received: { ok: true, name: "claim", msg: { id: 64 } },
      inbox: { ...emptyInbox(), claim: [{ id: 64 }] },
    });
  });

  it("never throws on arbitrary bytes or arbitrary bodies", () => {
    const actions = registry();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        expect(() => receive(actions, bytes)).not.toThrow();
        expect(() => receive(actions, Uint8Array.from([0x43, ...bytes]))).not.toThrow();
        const { received } = receive(actions, packetOf("claim", bytes));
        expect(received.ok || received.reason === "invalid").toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const { received, inbox } = receive(actions, packetOf("chat", plain.pack(value)));
        if (received.ok) expect(v.is(Chat, received.msg)).toBe(true);
        for (const msg of inbox.chat) expect(v.is(Chat, msg)).toBe(true);
      }),
    );
  });
});
