/**
 * The lobby socket over real TCP against `wrangler dev`, where what matters is how bytes move:
 * a player whose socket stops reading while the others keep sending (each inside every
 * per-socket limit), and a socket that pushes relay frames as fast as TCP allows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { CloseCode } from "../../shared/codes.ts";
import { MAX_RELAY_PAYLOAD_BYTES, MAX_SDP_CHARS, RELAY_FRAME_LIMIT } from "../../shared/limits.ts";
import { PROTOCOL_VERSION, type ServerMessage } from "../../shared/protocol.ts";
import { encodeRelayFrame } from "../../shared/relay-frame.ts";
import { createLobbyOver, NodeLobbyClient, RawLobbySocket } from "./node-lobby-client.ts";

/** What the lobby may grow by while one reader is stalled: its backlog, plus runtime slack. */
const MEMORY_GROWTH_LIMIT_KIB = 96 * 1024;

const isDisconnectOf =
  (peerId: string) =>
  (message: ServerMessage): boolean =>
    message.type === "peer-disconnected" && message.peerId === peerId;

/** A → B signalling round trips, counted, while the rest of the test goes on. */
function keepSignalling(from: NodeLobbyClient, to: NodeLobbyClient): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    from.send({ type: "signal", to: to.peerId, data: { kind: "candidate", candidate: "" } });
    sent++;
  }, 100);
  return () => {
    clearInterval(timer);
    return sent;
  };
}

describe("the lobby socket over TCP", () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("closes a socket that stopped reading (4011), holds its seat, and nobody else notices", async () => {
    const code = await createLobbyOver(server.url);
    const victim = await RawLobbySocket.open(server.url, code);
    victim.sendText(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: "Stalled" }));
    const victimId = (await victim.welcome()).peerId;
    victim.stopReading();

    // Five peers keep sending to it what peers send to a player on the edge relay, each
    // inside every limit: game packets (which the lobby drops for a socket 64 KiB behind)
    // and signals (inside the per-pair signal budget).
    const senders = await Promise.all(
      ["S1", "S2", "S3", "S4", "S5"].map((name) => NodeLobbyClient.join(server.url, code, name)),
    );
    const ann = await NodeLobbyClient.join(server.url, code, "Ann");
    const ben = await NodeLobbyClient.join(server.url, code, "Ben");
    const signalled = keepSignalling(ann, ben);
    const memoryBefore = server.memoryKiB();
    const packet = new Uint8Array(
      encodeRelayFrame(victimId, new Uint8Array(MAX_RELAY_PAYLOAD_BYTES)),
    );
    const packetsPerTick = Math.floor((RELAY_FRAME_LIMIT.refillPerSecond * 0.8) / 10);
    const offer = {
      type: "signal",
      to: victimId,
      data: { kind: "description", type: "offer", sdp: "o".repeat(MAX_SDP_CHARS) },
    };
    let ticks = 0;
    const flood = setInterval(() => {
      ticks++;
      for (const sender of senders) {
        for (let i = 0; i < packetsPerTick; i++) sender.sendBinary(packet);
        // About 12 KiB a second: under SIGNAL_BYTES_PER_PEER_LIMIT's refill.
        if (ticks % 10 === 0) sender.send(offer);
      }
    }, 100);
    try {
      for (const watcher of [...senders, ann, ben]) {
        await watcher.next(isDisconnectOf(victimId), "the stalled player's drop", 150_000);
      }
    } finally {
      clearInterval(flood);
    }
    const memoryGrowth = server.memoryKiB() - memoryBefore;

    // The others were served throughout: every signal arrived, nobody else dropped or left.
    const sent = signalled();
    await ben.next(() => ben.count((m) => m.type === "signal") >= sent, "Ann's signals");
    for (const client of [...senders, ann, ben]) {
      expect(client.closeCode).toBeNull();
      expect(client.invalid).toEqual([]);
      expect(client.count((m) => m.type === "peer-left")).toBe(0);
      expect(client.count((m) => m.type === "peer-disconnected")).toBe(1);
    }
    // The lobby held at most its backlog for the stalled reader (before, it queued everything
    // the others sent, ~1 MB a second here, for as long as they kept sending).
    expect(memoryGrowth).toBeLessThan(MEMORY_GROWTH_LIMIT_KIB);
    // When it reads again it finds what was queued, then the close with its reason.
    victim.startReading();
    expect(await victim.closed(30_000)).toBe(CloseCode.TooSlow);
    victim.destroy();
  }, 240_000);

  it.each([
    [999, 1000],
    [1004, 1000],
    [1015, 1000],
    [5000, 1000],
    [4100, 4100],
  ])("answers a client's close %i with a close frame it may send (%i)", async (sent, echoed) => {
    const code = await createLobbyOver(server.url);
    const player = await RawLobbySocket.open(server.url, code);
    player.sendText(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: "Closer" }));
    await player.welcome();
    player.sendClose(sent);
    expect(await player.closed(10_000)).toBe(echoed);
    player.destroy();
  });

  it("closes a socket that pushes relay frames as fast as TCP allows (4010); others keep going", async () => {
    const code = await createLobbyOver(server.url);
    const flooder = await NodeLobbyClient.join(server.url, code, "Flooder");
    const ann = await NodeLobbyClient.join(server.url, code, "Ann");
    const ben = await NodeLobbyClient.join(server.url, code, "Ben");
    const signalled = keepSignalling(ann, ben);
    const frame = new Uint8Array(encodeRelayFrame(ben.peerId, new Uint8Array(64)));
    while (flooder.closeCode === null) {
      for (let i = 0; i < 2000; i++) flooder.sendBinary(frame);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(flooder.closeCode).toBe(CloseCode.Flooding);
    await ann.next(
      (m) => m.type === "peer-left" && m.peerId === flooder.peerId,
      "the flooder's seat to go",
    );
    const sent = signalled();
    await ben.next(() => ben.count((m) => m.type === "signal") >= sent, "Ann's signals");
    for (const client of [ann, ben]) expect(client.closeCode).toBeNull();
  }, 60_000);
});
