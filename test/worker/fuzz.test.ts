/**
 * Property-based fuzzing: thousands of random and mutated frames from short-lived sockets
 * at one lobby. Nothing may crash, every frame the protocol rejects must get an error with
 * the same code the shared parser gives, and two bystanders must keep relaying throughout.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, parseClientMessage } from "../../shared/protocol.ts";
import { decodeRelayFrame } from "../../shared/relay-frame.ts";
import { createLobby, join, type TestClient } from "./helpers.ts";
import { TEST_LOBBY_FRAME_BURST, TEST_LOBBY_FRAMES_PER_SECOND } from "./test-settings.ts";

const FRAMES_PER_SOCKET = 15;
const SOCKETS = 700;

const validMessages = (peerId: string) =>
  fc.constantFrom<Record<string, unknown>>(
    { type: "hello", v: PROTOCOL_VERSION, name: "Fuzz" },
    {
      type: "signal",
      to: peerId,
      data: { kind: "candidate", candidate: "", sdpMid: "0", sdpMLineIndex: 0 },
    },
    { type: "signal", to: peerId, data: { kind: "description", type: "offer", sdp: "v=0" } },
    { type: "set-ready", ready: true },
    { type: "set-phase", phase: "playing" },
    { type: "kick", peerId },
    { type: "chat", text: "hello" },
  );

/** A valid message with one field replaced, removed, or given a wrong type. */
const mutated = (peerId: string) =>
  fc
    .tuple(
      validMessages(peerId),
      fc.string({ maxLength: 8 }),
      fc.jsonValue({ maxDepth: 2 }),
      fc.boolean(),
    )
    .map(([message, key, value, remove]) => {
      const keys = Object.keys(message);
      const target = keys[key.length % keys.length] ?? key;
      const copy: Record<string, unknown> = { ...message };
      if (remove) delete copy[target];
      else copy[target] = value;
      return JSON.stringify(copy);
    });

const frames = (peerId: string) =>
  fc.oneof(
    fc.string({ maxLength: 64 }),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
    mutated(peerId),
    validMessages(peerId).map((message) => JSON.stringify(message)),
    fc.uint8Array({ maxLength: 32 }).map((bytes) => bytes.buffer),
  );

/** What the lobby must answer with, if it must answer with an error at all. */
function expectedError(frame: string | ArrayBuffer): string | null {
  if (typeof frame !== "string") {
    return decodeRelayFrame(new Uint8Array(frame)) === null ? "invalid-message" : null;
  }
  const parsed = parseClientMessage(frame);
  return parsed.ok ? null : parsed.code;
}

function isLeave(frame: string | ArrayBuffer): boolean {
  if (typeof frame !== "string") return false;
  const parsed = parseClientMessage(frame);
  return parsed.ok && parsed.message.type === "leave";
}

const PROTOCOL_ERRORS = new Set([
  "bad-json",
  "invalid-message",
  "frame-too-large",
  "sdp-too-large",
]);

/** The bystanders still relay: a marked candidate must arrive, after any fuzz signals. */
async function relayWorks(from: TestClient, to: TestClient, toId: string): Promise<void> {
  const probe = { kind: "candidate", candidate: "", usernameFragment: "after-fuzz" } as const;
  from.sendJson({ type: "signal", to: toId, data: probe });
  for (;;) {
    const signal = await to.next("signal");
    if (signal.data.kind === "candidate" && signal.data.usernameFragment === "after-fuzz") return;
  }
}

describe("fuzzing the lobby", () => {
  it(`survives ${FRAMES_PER_SOCKET * SOCKETS} random and mutated frames`, {
    timeout: 300_000,
  }, async () => {
    const code = await createLobby();
    const host = await join(code, "Host");
    const bystander = await join(code, "Bystander");
    let sent = 0;
    let batches = 0;
    // The lobby sheds frames past its budget (`overloaded`) before reading them: fuzzing stays
    // well under it (half its rate: the test's clock and the lobby's drift apart under load), so
    // every frame is answered for what it says.
    const startedAt = Date.now();
    const paced = async (frames: number): Promise<void> => {
      const allowed = () =>
        TEST_LOBBY_FRAME_BURST / 2 +
        (TEST_LOBBY_FRAMES_PER_SECOND / 2) * ((Date.now() - startedAt) / 1000);
      while (sent + batches * 2 + frames > allowed()) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    await fc.assert(
      fc.asyncProperty(
        fc.array(frames(bystander.welcome.peerId), {
          minLength: FRAMES_PER_SOCKET,
          maxLength: FRAMES_PER_SOCKET,
        }),
        async (batch) => {
          const fuzzer = await join(code, "Fuzzer");
          const usable = batch.filter((frame) => !isLeave(frame));
          await paced(usable.length + 2);
          for (const frame of usable) fuzzer.client.ws.send(frame);
          sent += usable.length;
          // A sentinel error marks the end of this batch's answers.
          fuzzer.client.sendJson({
            type: "signal",
            to: "sentinel",
            data: { kind: "candidate", candidate: "" },
          });
          const answered: string[] = [];
          for (;;) {
            const error = await fuzzer.client.next("error");
            if (error.message.includes("sentinel")) break;
            answered.push(error.code);
          }
          const protocolErrors = answered.filter((codeName) => PROTOCOL_ERRORS.has(codeName));
          const expected = usable.map(expectedError).filter((codeName) => codeName !== null);
          expect(protocolErrors).toEqual(expected);
          fuzzer.client.sendJson({ type: "leave" });
          await fuzzer.client.closed;
          batches++;
          if (batches % 50 === 0)
            await relayWorks(host.client, bystander.client, bystander.welcome.peerId);
        },
      ),
      { numRuns: SOCKETS, seed: 20261122 },
    );

    expect(sent).toBeGreaterThanOrEqual(10_000);
    await relayWorks(host.client, bystander.client, bystander.welcome.peerId);
    await relayWorks(bystander.client, host.client, host.welcome.peerId);
    expect(host.client.pending("error")).toEqual([]);
    expect(bystander.client.pending("error")).toEqual([]);
  });
});
