/** Typed helpers for driving the real worker and Lobby objects inside workerd. */
import { exports } from "cloudflare:workers";
import * as v from "valibot";
import { expect } from "vitest";
import { CreatedLobbySchema } from "../../shared/api.ts";
import { MAX_FRAME_CHARS } from "../../shared/limits.ts";
import {
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type Welcome,
} from "../../shared/protocol.ts";

export const ORIGIN = "https://edgeplay.test";

export function api(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

export async function createLobby(): Promise<string> {
  const response = await api("/api/lobbies", { method: "POST" });
  expect(response.status).toBe(201);
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

export interface Close {
  readonly code: number;
  readonly reason: string;
}

/** A client socket that records every frame, validated against the protocol. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<Close>;
  #waiters: (() => void)[] = [];

  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.accept();
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") throw new Error("lobby sent a binary frame");
      const parsed = parseServerMessage(event.data, MAX_FRAME_CHARS);
      if (!parsed.ok) throw new Error(`lobby sent an invalid frame: ${parsed.detail}`);
      this.messages.push(parsed.message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  sendJson(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Waits for the first not-yet-taken message of the given type, and takes it. */
  async next<T extends ServerMessage["type"]>(
    type: T,
    timeoutMs = 2000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      const found = this.messages[index];
      if (found && isType(found, type)) {
        this.messages.splice(index, 1);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no ${type} within ${timeoutMs} ms; have ${JSON.stringify(this.messages)}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  /** Messages of this type that arrived so far (not taken). */
  pending(type: ServerMessage["type"]): ServerMessage[] {
    return this.messages.filter((m) => m.type === type);
  }
}

function isType<T extends ServerMessage["type"]>(
  message: ServerMessage,
  type: T,
): message is Extract<ServerMessage, { type: T }> {
  return message.type === type;
}

export async function connect(code: string): Promise<TestClient> {
  const response = await api(`/api/lobbies/${code}/ws`, { headers: { Upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const ws = response.webSocket;
  if (!ws) throw new Error("no WebSocket in the 101 response");
  return new TestClient(ws);
}

export async function join(
  code: string,
  name: string,
): Promise<{ client: TestClient; welcome: Welcome }> {
  const client = await connect(code);
  client.sendJson({ type: "hello", v: PROTOCOL_VERSION, name });
  const welcome = await client.next("welcome");
  return { client, welcome };
}

/** Proves the socket is still served: a round trip that must produce an answer. */
export async function roundTrip(client: TestClient): Promise<void> {
  client.sendJson({
    type: "signal",
    to: "nobody-here",
    data: { kind: "candidate", candidate: "" },
  });
  const error = await client.next("error");
  expect(error.code).toBe("unknown-peer");
}
