/**
 * Who gets a socket and a seat when one client tries to take them all: sockets waiting for
 * welcome per address and per lobby, seats per address in public lobbies, upgrades per address.
 */
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import {
  MAX_PENDING_SOCKETS,
  MAX_PENDING_SOCKETS_PER_ADDRESS,
  maxPublicSeatsPerAddress,
} from "../../shared/limits.ts";
import {
  api,
  connect,
  createLobby,
  freshAddress,
  hello,
  inOneLimiterWindow,
  join,
  ORIGIN,
  roundTrip,
  type TestClient,
} from "./helpers.ts";

/** The SOCKET_RATE_LIMITER binding in wrangler.toml. */
const UPGRADES_PER_WINDOW = 120;
const UPGRADE_WINDOW_MS = 10_000;

describe("sockets waiting for welcome", () => {
  it("are capped per address: the next one from that address is told to try again later", async () => {
    const code = await createLobby();
    const address = freshAddress();
    const waiting: TestClient[] = [];
    for (let i = 0; i < MAX_PENDING_SOCKETS_PER_ADDRESS; i++) {
      waiting.push(await connect(code, { address }));
    }
    const extra = await connect(code, { address });
    expect(await extra.closed).toEqual({
      code: CloseCode.TryAgainLater,
      reason: "Too many sockets from your address are joining this lobby.",
    });
    // Another address is not affected, and the waiting sockets still work.
    expect((await join(code, "Other")).welcome.peers).toHaveLength(1);
    const [first] = waiting;
    if (!first) throw new Error("no socket");
    hello(first, "Patient");
    expect((await first.next("welcome")).peers.map((peer) => peer.name)).toEqual([
      "Other",
      "Patient",
    ]);
  });

  it("cannot keep a player from another address out: the busiest address gives way", async () => {
    const code = await createLobby();
    const squatters = [freshAddress(), freshAddress()];
    const held: TestClient[] = [];
    for (const address of squatters) {
      for (let i = 0; i < MAX_PENDING_SOCKETS / squatters.length; i++) {
        held.push(await connect(code, { address }));
      }
    }
    // Four players connect at once, every place taken: each displaces the oldest socket of
    // the address that holds the most, and all four are welcomed.
    const players: TestClient[] = [];
    for (let i = 0; i < 4; i++) players.push(await connect(code, { address: freshAddress() }));
    for (const [i, player] of players.entries()) hello(player, `Player ${i}`);
    for (const player of players) await player.next("welcome");
    const displaced = [held[0], held[8], held[1], held[9]];
    for (const socket of displaced)
      expect((await socket?.closed)?.code).toBe(CloseCode.TryAgainLater);
    // The other squatting sockets were left alone (they time out without hello, as always).
    for (const socket of held) {
      if (!displaced.includes(socket)) expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    }
  });
});

describe("seats per address", () => {
  it("in a public lobby: half the seats, held seats included", async () => {
    const maxPlayers = 6;
    const code = await createLobby({ visibility: "public", maxPlayers });
    const address = freshAddress();
    const cap = maxPublicSeatsPerAddress(maxPlayers);
    const mine = [];
    for (let i = 0; i < cap; i++) mine.push(await join(code, `Mine ${i}`, { address }));
    const greedy = await connect(code, { address });
    hello(greedy, "One more");
    expect((await greedy.closed).code).toBe(CloseCode.AddressLimit);
    // Dropping a socket does not free its seat for the same address: it is held for its owner.
    mine[0]?.client.ws.close(4100, "dropped on purpose");
    await mine[1]?.client.next("peer-disconnected");
    const sneaky = await connect(code, { address });
    hello(sneaky, "Sneaky");
    expect((await sneaky.closed).code).toBe(CloseCode.AddressLimit);
    // Players from other addresses fill the lobby.
    for (let i = cap; i < maxPlayers; i++) await join(code, `Other ${i}`);
    if (mine[1]) await roundTrip(mine[1].client);
  });

  it("in a private lobby: no cap, since its code was shared on purpose (a LAN party)", async () => {
    const code = await createLobby({ visibility: "private", maxPlayers: 8 });
    const address = freshAddress();
    for (let i = 0; i < 8; i++) await join(code, `Friend ${i}`, { address });
  });
});

describe("socket upgrades per address", () => {
  it("are rate limited before any lobby is addressed, with a close code a browser sees", async () => {
    const upgrade = (from: string) =>
      api("/api/lobbies/ZZZZZZ/ws", {
        headers: { Upgrade: "websocket", Origin: ORIGIN, "cf-connecting-ip": from },
      });
    const seen = await inOneLimiterWindow(UPGRADE_WINDOW_MS, async () => {
      const address = freshAddress();
      const responses: Response[] = [];
      for (let i = 0; i < UPGRADES_PER_WINDOW; i++) responses.push(await upgrade(address));
      return { responses, refused: await upgrade(address), other: await upgrade(freshAddress()) };
    });
    // Under the limit: the lobby's own answer (no such lobby), for any other address too.
    const closes = await Promise.all(seen.responses.map((response) => closeOf(response)));
    expect(new Set(closes.map((close) => close.code))).toEqual(new Set([CloseCode.LobbyNotFound]));
    expect((await closeOf(seen.other)).code).toBe(CloseCode.LobbyNotFound);
    const close = await closeOf(seen.refused);
    expect(close.code).toBe(CloseCode.TryAgainLater);
    expect(close.reason).toContain("Too many connections from your address");
  }, 60_000);
});

/** How a refused upgrade ended: every refusal is a socket closed with a code. */
async function closeOf(response: Response): Promise<CloseEvent> {
  const ws = response.webSocket;
  if (response.status !== 101 || !ws) throw new Error(`no socket: HTTP ${response.status}`);
  ws.accept();
  return new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
}
