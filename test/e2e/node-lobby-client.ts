/**
 * Lobby sockets from Node against the real server: a validated client on Node's WebSocket, and
 * a raw one over TCP (the handshake and frames by hand) that can stop reading, which no
 * WebSocket API lets a client do.
 */
import { once } from "node:events";
import { connect as connectTcp, type Socket } from "node:net";
import * as v from "valibot";
import { CreatedLobbySchema } from "../../shared/api.ts";
import {
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type Welcome,
} from "../../shared/protocol.ts";

export async function createLobbyOver(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

function socketUrl(origin: string, code: string): string {
  return `${origin.replace(/^http/, "ws")}/api/lobbies/${code}/ws`;
}

/** Waits until `check` returns a value, polling; fails with `what` after `timeoutMs`. */
async function until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export class NodeLobbyClient {
  /** Every valid message, oldest first (welcome included). */
  readonly messages: ServerMessage[] = [];
  /** Why frames that failed validation did. */
  readonly invalid: string[] = [];
  closeCode: number | null = null;
  readonly #ws: WebSocket;
  #welcome: Welcome | null = null;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      const parsed = parseServerMessage(event.data);
      if (parsed.ok) this.messages.push(parsed.message);
      else this.invalid.push(parsed.detail);
    });
    ws.addEventListener("close", (event) => {
      this.closeCode = event.code;
    });
  }

  static async join(origin: string, code: string, name: string): Promise<NodeLobbyClient> {
    const client = new NodeLobbyClient(new WebSocket(socketUrl(origin, code)));
    await once(client.#ws, "open");
    client.send({ type: "hello", v: PROTOCOL_VERSION, name });
    client.#welcome = await until(
      () => client.messages.find((m): m is Welcome => m.type === "welcome"),
      `${name}'s welcome`,
      10_000,
    );
    return client;
  }

  get welcome(): Welcome {
    if (!this.#welcome) throw new Error("not welcomed");
    return this.#welcome;
  }

  get peerId(): string {
    return this.welcome.peerId;
  }

  send(message: unknown): void {
    this.#ws.send(JSON.stringify(message));
  }

  sendBinary(frame: Uint8Array<ArrayBuffer>): void {
    this.#ws.send(frame);
  }

  count(predicate: (message: ServerMessage) => boolean): number {
    return this.messages.filter(predicate).length;
  }

  async next(
    predicate: (message: ServerMessage) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<ServerMessage> {
    return until(() => this.messages.find(predicate), what, timeoutMs);
  }

  async closed(timeoutMs = 10_000): Promise<number> {
    return until(() => this.closeCode ?? undefined, "the socket to close", timeoutMs);
  }

  close(): void {
    this.#ws.close(1000);
  }
}

/** A lobby socket over plain TCP: it reads only while the test lets it. */
export class RawLobbySocket {
  readonly #tcp: Socket;
  #buffer = Buffer.alloc(0);
  bytesReceived = 0;
  readonly texts: string[] = [];
  closeCode: number | null = null;

  private constructor(tcp: Socket) {
    this.#tcp = tcp;
  }

  static async open(origin: string, code: string): Promise<RawLobbySocket> {
    const url = new URL(origin);
    const tcp = connectTcp(Number(url.port), url.hostname);
    await once(tcp, "connect");
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    tcp.write(
      `GET /api/lobbies/${code}/ws HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const socket = new RawLobbySocket(tcp);
    const head = await new Promise<Buffer>((resolve) => tcp.once("data", resolve));
    const end = head.indexOf("\r\n\r\n");
    if (!head.subarray(0, end).toString().startsWith("HTTP/1.1 101")) {
      throw new Error(`upgrade refused: ${head.subarray(0, end).toString()}`);
    }
    tcp.on("data", (chunk: Buffer) => socket.#receive(chunk));
    socket.#receive(head.subarray(end + 4));
    return socket;
  }

  /** One masked text frame, as a client must send it. */
  sendText(text: string): void {
    this.#sendFrame(0x1, Buffer.from(text));
  }

  /** A close frame with any code, including ones a WebSocket API would refuse to send. */
  sendClose(code: number): void {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.#sendFrame(0x8, payload);
  }

  #sendFrame(opcode: number, payload: Buffer): void {
    const mask = Buffer.from(crypto.getRandomValues(new Uint8Array(4)));
    const length = payload.length;
    const first = 0x80 | opcode;
    const header =
      length < 126
        ? Buffer.from([first, 0x80 | length])
        : length < 65_536
          ? Buffer.from([first, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([first, 0x80 | 127]), bigEndian64(length)]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
    this.#tcp.write(Buffer.concat([header, mask, masked]));
  }

  /** Stops reading: the kernel's buffers fill, and then the server's. */
  stopReading(): void {
    this.#tcp.pause();
  }

  startReading(): void {
    this.#tcp.resume();
  }

  async welcome(timeoutMs = 10_000): Promise<Welcome> {
    return until(
      () =>
        this.texts
          .map(parseServerMessage)
          .flatMap((parsed) =>
            parsed.ok && parsed.message.type === "welcome" ? [parsed.message] : [],
          )[0],
      "the raw socket's welcome",
      timeoutMs,
    );
  }

  async closed(timeoutMs: number): Promise<number> {
    return until(() => this.closeCode ?? undefined, "a close frame", timeoutMs);
  }

  destroy(): void {
    this.#tcp.destroy();
  }

  #receive(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const frame = readFrame(this.#buffer);
      if (!frame) return;
      this.#buffer = this.#buffer.subarray(frame.size);
      if (frame.opcode === 0x1) this.texts.push(frame.payload.toString());
      if (frame.opcode === 0x8) this.closeCode = frame.payload.readUInt16BE(0);
    }
  }
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** One unmasked server frame from the front of `buffer`, or null if it is not all there yet. */
function readFrame(
  buffer: Buffer,
): { readonly opcode: number; readonly payload: Buffer; readonly size: number } | null {
  if (buffer.length < 2) return null;
  const opcode = (buffer[0] ?? 0) & 0x0f;
  let length = (buffer[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return null;
  return { opcode, payload: buffer.subarray(offset, offset + length), size: offset + length };
}
