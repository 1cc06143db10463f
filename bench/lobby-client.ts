/** A minimal Node client of the lobby protocol for benchmarks (Node 24's global WebSocket). */

import {
  CreatedLobbySchema,
  PROTOCOL_VERSION,
  parseServerMessage,
  type SignalData,
} from "edgeplay/protocol";
import * as v from "valibot";

export class BenchClient {
  readonly peerId: string;
  readonly #ws: WebSocket;
  onSignal: (from: string, data: SignalData) => void = () => {};

  private constructor(ws: WebSocket, peerId: string) {
    this.#ws = ws;
    this.peerId = peerId;
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      const parsed = parseServerMessage(event.data);
      if (parsed.ok && parsed.message.type === "signal")
        this.onSignal(parsed.message.from, parsed.message.data);
    });
  }

  static async join(origin: string, code: string, name: string): Promise<BenchClient> {
    const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/lobbies/${code}/ws`);
    const peerId = await new Promise<string>((resolve, reject) => {
      ws.addEventListener("open", () =>
        ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name })),
      );
      ws.addEventListener("error", () => reject(new Error("socket error")));
      ws.addEventListener("close", (event) =>
        reject(new Error(`closed ${event.code} ${event.reason}`)),
      );
      ws.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        const parsed = parseServerMessage(event.data);
        if (parsed.ok && parsed.message.type === "welcome") resolve(parsed.message.peerId);
      });
    });
    return new BenchClient(ws, peerId);
  }

  signal(to: string, data: SignalData): void {
    this.#ws.send(JSON.stringify({ type: "signal", to, data }));
  }

  close(): void {
    this.#ws.close(1000);
  }
}

export async function createBenchLobby(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  return v.parse(CreatedLobbySchema, await response.json()).code;
}
