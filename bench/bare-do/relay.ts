/**
 * The floor inside workerd: the bare relay's protocol (`../bare-protocol.ts`) in a Durable
 * Object with hibernatable WebSockets, one object per lobby, as the Lobby is, but with no
 * validation, storage, limits or roster. Beside the Lobby in the same `wrangler dev`, it
 * separates what the runtime costs from what the Lobby's code adds. It serves the built game
 * too (wrangler.toml), so the join bench can run the same game page on it.
 */
import { DurableObject } from "cloudflare:workers";
import {
  decodeRelayFrame,
  encodeRelayFrame,
  lobbyCodeFromBytes,
  PING_FRAME,
  PONG_FRAME,
} from "edgeplay/protocol";
import {
  type BareMember,
  bareLobbyInfo,
  barePeerInfo,
  bareSettings,
  bareWelcome,
} from "../bare-protocol.ts";

interface Env {
  readonly BARE_LOBBY: DurableObjectNamespace<BareLobby>;
}

const SOCKET_PATH = /^\/api\/lobbies\/([^/]+)\/ws$/;
const LOBBY_PATH = /^\/api\/lobbies\/([^/]+)$/;
/** The code `startLocalServer` looks up to see that the worker answers: it must get a 404. */
const UNKNOWN_LOBBY = "ZZZZZZ";

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/api/lobbies" && request.method === "POST") {
      const code = lobbyCodeFromBytes(crypto.getRandomValues(new Uint8Array(6)));
      const joinUrl = `${url.origin}/?lobby=${code}`;
      return Response.json({ code, joinUrl, settings: bareSettings(code) }, { status: 201 });
    }
    const code = SOCKET_PATH.exec(url.pathname)?.[1];
    if (code && request.headers.get("Upgrade") === "websocket") {
      return env.BARE_LOBBY.get(env.BARE_LOBBY.idFromName(code)).fetch(request);
    }
    const lookedUp = LOBBY_PATH.exec(url.pathname)?.[1];
    if (lookedUp && lookedUp !== UNKNOWN_LOBBY) {
      return Response.json(bareLobbyInfo(lookedUp, `${url.origin}/?lobby=${lookedUp}`));
    }
    return Response.json({}, { status: 404 });
  },
} satisfies ExportedHandler<Env>;

export class BareLobby extends DurableObject<Env> {
  /** Joined members by socket; the bench keeps every lobby busy, so it never hibernates. */
  readonly #members = new Map<WebSocket, BareMember>();
  #joined = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  override async fetch(request: Request): Promise<Response> {
    const code = SOCKET_PATH.exec(new URL(request.url).pathname)?.[1] ?? "";
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [randomHex(6), code]);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): void {
    const [id = "", code = ""] = this.ctx.getTags(ws);
    if (typeof frame !== "string") {
      const relay = decodeRelayFrame(new Uint8Array(frame));
      if (relay) this.#socketOf(relay.peerId)?.send(encodeRelayFrame(id, relay.payload));
      return;
    }
    const message = parseJson(frame);
    if (typeof message !== "object" || message === null || !("type" in message)) return;
    if (message.type === "hello" && "name" in message) {
      const member: BareMember = { id, name: String(message.name), joinOrder: ++this.#joined };
      const joined = JSON.stringify({ type: "peer-joined", peer: barePeerInfo(member) });
      for (const other of this.#members.keys()) other.send(joined);
      this.#members.set(ws, member);
      ws.send(bareWelcome(code, member, [...this.#members.values()], randomHex(16)));
    } else if (message.type === "signal" && "to" in message && "data" in message) {
      this.#socketOf(String(message.to))?.send(
        JSON.stringify({ type: "signal", from: id, data: message.data }),
      );
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    const member = this.#members.get(ws);
    this.#members.delete(ws);
    if (member) {
      const left = JSON.stringify({ type: "peer-left", peerId: member.id, reason: "left" });
      for (const other of this.#members.keys()) other.send(left);
    }
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
  }

  #socketOf(peerId: string): WebSocket | undefined {
    return this.ctx.getWebSockets(peerId)[0];
  }
}

function randomHex(bytes: number): string {
  let hex = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
