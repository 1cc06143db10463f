/**
 * The floor for signaling benchmarks: a bare Node `ws` relay that speaks just enough of the
 * lobby protocol for the benches' clients (no validation, no storage, no limits): lobby
 * creation, `hello` -> `welcome`, signals, heartbeats and edge-relay frames (so kit rooms in
 * `transport: "edge"` mode can play through it), and a blank page at /raw for the join bench's
 * raw WebRTC pages.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  decodeRelayFrame,
  encodeRelayFrame,
  lobbyCodeFromBytes,
  PING_FRAME,
  PONG_FRAME,
} from "edgeplay/protocol";
import { type WebSocket, WebSocketServer } from "ws";
import { type BareMember, barePeerInfo, bareSettings, bareWelcome } from "./bare-protocol.ts";

interface Member extends BareMember {
  readonly socket: WebSocket;
}

export interface BareRelay {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startBareRelay(): Promise<BareRelay> {
  const lobbies = new Map<string, Map<string, Member>>();
  const http = createServer((request, response) => {
    serveHttp(request, response, lobbies);
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (request, socket, head) => {
    const code = /^\/api\/lobbies\/([^/]+)\/ws$/.exec(request.url ?? "")?.[1];
    const lobby = code ? lobbies.get(code) : undefined;
    if (!code || !lobby) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => relay(ws, code, lobby));
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    async stop() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.close();
      await once(http, "close");
    },
  };
}

/** hello -> welcome, peer-joined/peer-left, and signal relay with `from` stamped. */
function relay(ws: WebSocket, code: string, lobby: Map<string, Member>): void {
  const id = randomBytes(6).toString("base64url");
  ws.on("message", (raw, isBinary) => {
    if (isBinary) {
      const frame = raw instanceof Buffer ? decodeRelayFrame(raw) : null;
      if (frame) lobby.get(frame.peerId)?.socket.send(encodeRelayFrame(id, frame.payload));
      return;
    }
    const text = raw.toString();
    if (text === PING_FRAME) {
      ws.send(PONG_FRAME);
      return;
    }
    const message = parseJson(text);
    if (typeof message !== "object" || message === null || !("type" in message)) return;
    if (message.type === "hello" && "name" in message) {
      const member: Member = {
        id,
        name: String(message.name),
        joinOrder: lobby.size + 1,
        socket: ws,
      };
      const joined = JSON.stringify({ type: "peer-joined", peer: barePeerInfo(member) });
      for (const other of lobby.values()) other.socket.send(joined);
      lobby.set(id, member);
      ws.send(bareWelcome(code, member, [...lobby.values()], randomBytes(16).toString("hex")));
    } else if (message.type === "signal" && "to" in message && "data" in message) {
      lobby
        .get(String(message.to))
        ?.socket.send(JSON.stringify({ type: "signal", from: id, data: message.data }));
    }
  });
  ws.on("close", () => {
    if (!lobby.delete(id)) return;
    const left = JSON.stringify({ type: "peer-left", peerId: id, reason: "left" });
    for (const other of lobby.values()) other.socket.send(left);
  });
}

function serveHttp(
  request: IncomingMessage,
  response: ServerResponse,
  lobbies: Map<string, Map<string, Member>>,
): void {
  const url = new URL(request.url ?? "/", "http://relay");
  const send = (status: number, body: string, type = "application/json"): void => {
    response.writeHead(status, { "content-type": type });
    response.end(body);
  };
  const joinUrl = (code: string): string => `http://${request.headers.host}/?lobby=${code}`;
  if (url.pathname === "/api/lobbies" && request.method === "POST") {
    const code = lobbyCodeFromBytes(randomBytes(6));
    lobbies.set(code, new Map());
    send(201, JSON.stringify({ code, joinUrl: joinUrl(code), settings: bareSettings(code) }));
    return;
  }
  // A blank page for the join bench's raw WebRTC clients (raw-peer.ts).
  if (url.pathname === "/raw") send(200, "<!doctype html><title>raw</title>", "text/html");
  else send(404, "{}");
}

/** A frame that is not JSON is ignored: one bad frame must not take the baseline down mid-run. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
