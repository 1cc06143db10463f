/** Typed helpers for driving the real worker and Lobby objects inside workerd. */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import * as v from "valibot";
import { expect } from "vitest";
import {
  CreatedLobbySchema,
  type CreateLobbyRequest,
  type LobbyInfo,
  LobbyInfoSchema,
} from "../../shared/api.ts";
import {
  PONG_FRAME,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type Welcome,
} from "../../shared/protocol.ts";
import { decodeRelayFrame, type RelayFrame } from "../../shared/relay-frame.ts";
import type { Lobby } from "../../worker/lobby/lobby.ts";

import { TEST_GRACE_MS, TEST_ORIGIN } from "./test-settings.ts";

/** An origin in ALLOWED_ORIGINS (vitest.config.ts). */
export const ORIGIN = TEST_ORIGIN;
export const GRACE_MS = TEST_GRACE_MS;

/**
 * Each call comes from its own made-up client IP, so the per-IP API limit only bites in the
 * test that means it to (by passing a fixed `cf-connecting-ip`).
 */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", randomTestIp());
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
}

function randomTestIp(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
  return `198.18.${a}.${b}`;
}

export async function createLobby(settings: CreateLobbyRequest = {}): Promise<string> {
  const response = await api("/api/lobbies", { method: "POST", body: JSON.stringify(settings) });
  expect(response.status).toBe(201);
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

/** `GET /api/lobbies/:code`, validated like any client would. */
export async function lobbyInfo(code: string): Promise<LobbyInfo> {
  const response = await api(`/api/lobbies/${code}`);
  expect(response.status).toBe(200);
  return v.parse(LobbyInfoSchema, await response.json());
}

export interface Close {
  readonly code: number;
  readonly reason: string;
}

/** A client socket that records every frame, validated against the protocol. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Edge-relayed packets received (binary frames), oldest first. */
  readonly relayed: RelayFrame[] = [];
  /** Heartbeat answers received. */
  pongs = 0;
  readonly closed: Promise<Close>;
  #waiters: (() => void)[] = [];

  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.accept();
    // Relayed game packets arrive as binary frames; the standard default type is Blob.
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        const relayed = decodeRelayFrame(new Uint8Array(event.data));
        if (!relayed) throw new Error("lobby sent a binary frame that is not a relay frame");
        this.relayed.push(relayed);
        for (const wake of this.#waiters.splice(0)) wake();
        return;
      }
      if (event.data === PONG_FRAME) {
        this.pongs++;
        for (const wake of this.#waiters.splice(0)) wake();
        return;
      }
      const parsed = parseServerMessage(event.data);
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
      // Clear the timer on wake-up: workerd caps a test at 10,000 live timeouts.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Waits until at least `count` relayed packets have arrived. */
  async relayedAtLeast(count: number, timeoutMs = 2000): Promise<RelayFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.relayed.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.relayed.length} of ${count} relayed packets`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      if (timer !== undefined) clearTimeout(timer);
    }
    return this.relayed;
  }

  /** Waits until at least `count` pongs have arrived. */
  async pongsAtLeast(count: number, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pongs < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.pongs} of ${count} pongs`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      if (timer !== undefined) clearTimeout(timer);
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

/** A held seat to ask for: its peer id (in the URL) and token (in `hello`). */
export interface SeatTicket {
  readonly peerId: string;
  readonly resumeToken: string;
}

export interface ConnectOptions {
  /** The peer id of a held seat to take back (`?peer=`). */
  readonly seat?: string;
  /** The client address the worker sees (`cf-connecting-ip`); random by default. */
  readonly address?: string;
}

export async function connect(code: string, options: ConnectOptions = {}): Promise<TestClient> {
  const query = options.seat === undefined ? "" : `?peer=${options.seat}`;
  const headers: Record<string, string> = { Upgrade: "websocket", Origin: ORIGIN };
  if (options.address !== undefined) headers["cf-connecting-ip"] = options.address;
  const response = await api(`/api/lobbies/${code}/ws${query}`, { headers });
  expect(response.status).toBe(101);
  const ws = response.webSocket;
  if (!ws) throw new Error("no WebSocket in the 101 response");
  return new TestClient(ws);
}

/** Sends `hello`, asking for a held seat back when given its ticket. */
export function hello(client: TestClient, name: string, resume?: SeatTicket): void {
  client.sendJson({
    type: "hello",
    v: PROTOCOL_VERSION,
    name,
    ...(resume === undefined ? {} : { resume: resume.resumeToken }),
  });
}

export interface Joined {
  readonly client: TestClient;
  readonly welcome: Welcome;
}

export interface JoinOptions {
  /** Take this held seat back (a previous `welcome` is a ticket). */
  readonly resume?: SeatTicket;
  readonly address?: string;
}

export async function join(code: string, name: string, options: JoinOptions = {}): Promise<Joined> {
  const client = await connect(code, {
    ...(options.resume === undefined ? {} : { seat: options.resume.peerId }),
    ...(options.address === undefined ? {} : { address: options.address }),
  });
  hello(client, name, options.resume);
  const welcome = await client.next("welcome");
  return { client, welcome };
}

/** `POST /api/lobbies/:code/leave` with a resume token, from `origin`. */
export function leaveByToken(
  code: string,
  resumeToken: string,
  origin = ORIGIN,
): Promise<Response> {
  return api(`/api/lobbies/${code}/leave`, {
    method: "POST",
    body: JSON.stringify({ resumeToken }),
    headers: { "content-type": "application/json", Origin: origin },
  });
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

/** Names in the roster, in join order. */
export function names(welcome: Welcome): string[] {
  return welcome.peers.map((peer) => peer.name);
}

export function lobbyStub(code: string): DurableObjectStub<Lobby> {
  return env.LOBBY.getByName(code);
}

/**
 * Throws the lobby's object away with its sockets, as a crash or a deploy would (the runtime's
 * own reset): the next request starts a new one from storage.
 */
export async function crash(code: string): Promise<void> {
  await runInDurableObject(lobbyStub(code), (_lobby, state) => {
    try {
      state.abort("simulated crash");
    } catch {
      // abort() throws into its caller by design
    }
  }).catch(() => undefined);
}

/**
 * The tables in a Durable Object's SQLite database, without SQLite's and the runtime's own.
 * Running this instantiates the object, which itself writes nothing.
 */
export async function storedTables(stub: DurableObjectStub<Lobby>): Promise<string[]> {
  return runInDurableObject(stub, (_lobby, state) =>
    state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((row) => String(row["name"]))
      .filter((name) => !name.startsWith("sqlite_") && !name.startsWith("_cf_")),
  );
}

/**
 * Runs `scenario` inside one window of a rate limiter whose windows follow the wall clock
 * (Miniflare's do): late in a window it first waits for the next, and if a run still crossed
 * into another window it runs again (its counts would mean nothing). Returns what the run saw,
 * for the caller to check.
 */
export async function inOneLimiterWindow<T>(
  periodMs: number,
  scenario: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const left = periodMs - (Date.now() % periodMs);
    if (left < periodMs / 2) await new Promise((resolve) => setTimeout(resolve, left));
    const window = Math.floor(Date.now() / periodMs);
    const seen = await scenario();
    if (Math.floor(Date.now() / periodMs) === window) return seen;
  }
  throw new Error("the scenario never fitted in one rate-limiter window");
}

/** The item at `index`, or a failed test that says which was missing. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index} of ${items.length}`);
  return item;
}

/** This file's own range of made-up addresses (limiter counts are shared by all test files). */
const ADDRESS_PREFIX = `10.${crypto.getRandomValues(new Uint8Array(1))[0] ?? 0}`;
let addressesGiven = 0;

/** A client address no other test has used, so per-address counts start at zero. */
export function freshAddress(): string {
  addressesGiven++;
  return `${ADDRESS_PREFIX}.${addressesGiven >> 8}.${addressesGiven & 255}`;
}
