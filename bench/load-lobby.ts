/**
 * One lobby of kit rooms for the load bench: `connect()` from `edgeplay/client` with
 * `transport: "edge"` (no WebRTC: every packet goes through the lobby's WebSocket as an edge-relay
 * frame), a `probe` action stamped with its send time, and counters on every socket.
 *
 * The kit sends signals only as its negotiation needs them, so a signal rate cannot be set
 * through its public API; actions over the edge relay are what it offers at a chosen rate, and
 * they take the lobby's per-message path (one frame in, a tag lookup, one frame out).
 */
import { connect, type Room } from "edgeplay/client";
import { PONG_FRAME, parseServerMessage, SHED_ERRORS } from "edgeplay/protocol";
import * as v from "valibot";

/** Every client of one target (one server) adds to these. */
export interface LoadCounters {
  /** Probes the kit took (`send` returned 1). */
  sent: number;
  /** Probes the kit refused at once (its own edge budget, or no path): known, counted drops. */
  refused: number;
  delivered: number;
  /** One-way times of delivered probes, ms. */
  latencies: number[];
  /** Binary (edge-relay) frames the clients sent and received. */
  relayOut: number;
  relayIn: number;
  /** Every frame the clients received, heartbeat pongs included: the server's sends. */
  framesIn: number;
  /** `error` frames saying a frame was shed (`overloaded`, `rate-limited`). */
  shed: number;
  /** Other `error` frames, by code. */
  errors: Map<string, number>;
}

export function newCounters(): LoadCounters {
  return {
    sent: 0,
    refused: 0,
    delivered: 0,
    latencies: [],
    relayOut: 0,
    relayIn: 0,
    framesIn: 0,
    shed: 0,
    errors: new Map(),
  };
}

/** Node's WebSocket (undici) takes an init with headers; the DOM lib's type does not say so. */
const NodeWebSocket = WebSocket as unknown as new (
  url: string,
  init: { readonly headers: Readonly<Record<string, string>> },
) => WebSocket;

/**
 * A WebSocket class whose sockets claim `address` (wrangler dev passes `cf-connecting-ip`
 * through), so a thousand local clients are not one address to the lobby's per-address limits,
 * and which counts what goes through it.
 */
function countingWebSocket(address: string, counters: LoadCounters) {
  return class CountingWebSocket extends NodeWebSocket {
    constructor(url: string) {
      super(url, { headers: { "cf-connecting-ip": address } });
      this.addEventListener("message", (event: MessageEvent<unknown>) => {
        counters.framesIn++;
        if (typeof event.data !== "string") {
          counters.relayIn++;
          return;
        }
        if (event.data === PONG_FRAME) return;
        const parsed = parseServerMessage(event.data);
        if (!parsed.ok || parsed.message.type !== "error") return;
        const { code } = parsed.message;
        if (SHED_ERRORS.has(code)) counters.shed++;
        else counters.errors.set(code, (counters.errors.get(code) ?? 0) + 1);
      });
    }

    override send(data: string | Blob | BufferSource): void {
      if (typeof data !== "string") counters.relayOut++;
      super.send(data);
    }
  };
}

const ProbeSchema = v.object({ at: v.number() });

export interface LoadLobby {
  readonly rooms: readonly Room[];
  /** Starts each room sending `hz` probes a second, round-robin to its peers. */
  start(hz: number): void;
  stop(): void;
  leave(): void;
}

const JOIN_TIMEOUT_MS = 60_000;

/** Creates a lobby from `address` and joins `players` kit rooms to it, all reachable. */
export async function openLoadLobby(
  server: string,
  address: string,
  players: number,
  counters: LoadCounters,
): Promise<LoadLobby> {
  const code = await createLobbyFrom(server, address);
  const WebSocketClass = countingWebSocket(address, counters);
  const rooms: Room[] = [];
  for (let i = 0; i < players; i++) {
    rooms.push(
      connect({
        server,
        code,
        name: `P${i + 1}`,
        transport: "edge",
        // Ticks move paths and streams; probes go out on their own timer.
        tickHz: 5,
        platform: { WebSocket: WebSocketClass, RTCPeerConnection: null },
      }),
    );
  }
  await allReachable(rooms, players - 1);
  const probes = rooms.map((room) => room.action("probe", ProbeSchema));
  for (const probe of probes) {
    probe.on(({ at }) => {
      counters.delivered++;
      counters.latencies.push(performance.now() - at);
    });
  }
  const timers: ReturnType<typeof setInterval>[] = [];
  return {
    rooms,
    start(hz) {
      rooms.forEach((room, index) => {
        const probe = probes[index];
        let next = 0;
        // Spread the lobbies' sends over the interval instead of all on one instant.
        const phase = Math.random() * (1000 / hz);
        setTimeout(() => {
          timers.push(
            setInterval(() => {
              const peers = room.peers;
              const to = peers[next++ % Math.max(1, peers.length)];
              if (!probe || to === undefined) return;
              if (probe.send({ at: performance.now() }, { to }) > 0) counters.sent++;
              else counters.refused++;
            }, 1000 / hz),
          );
        }, phase);
      });
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
    leave() {
      for (const room of rooms) room.leave();
    },
  };
}

const CreatedSchema = v.object({ code: v.string() });

async function createLobbyFrom(server: string, address: string): Promise<string> {
  const response = await fetch(`${server}/api/lobbies`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": address },
    body: JSON.stringify({ maxPlayers: 8 }),
  });
  if (response.status !== 201) throw new Error(`creating a lobby: HTTP ${response.status}`);
  return v.parse(CreatedSchema, await response.json()).code;
}

async function allReachable(rooms: readonly Room[], peers: number): Promise<void> {
  const deadline = performance.now() + JOIN_TIMEOUT_MS;
  while (
    !rooms.every(
      (room) => room.peers.length === peers && room.peers.every((id) => room.reachable(id)),
    )
  ) {
    if (performance.now() > deadline) throw new Error("rooms did not all reach each other");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
