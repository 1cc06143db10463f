/**
 * Past a socket's or a lobby's capacity, frames are shed and the sender is told with an error
 * frame (`rate-limited` for its own buckets, `overloaded` for the lobby's budget): every frame
 * sent is either delivered or answered, never lost in silence.
 */
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../shared/codes.ts";
import { RELAY_FRAME_LIMIT, SOCKET_FRAME_LIMIT } from "../../shared/limits.ts";
import { encodeRelayFrame } from "../../shared/relay-frame.ts";
import { createLobby, type Joined, join, type TestClient } from "./helpers.ts";
import { TEST_LOBBY_FRAMES_PER_SECOND } from "./test-settings.ts";

const candidate = { kind: "candidate", candidate: "" } as const;
const packet = new Uint8Array([1, 2, 3]);

function errorsOf(client: TestClient, code: ErrorCode): number {
  return client.pending("error").filter((m) => m.type === "error" && m.code === code).length;
}

function signalsFrom(client: TestClient, peerId: string): number {
  return client.pending("signal").filter((m) => m.type === "signal" && m.from === peerId).length;
}

async function lobbyOf(count: number): Promise<Joined[]> {
  const code = await createLobby();
  const players: Joined[] = [];
  for (let i = 0; i < count; i++) players.push(await join(code, `P${i + 1}`));
  return players;
}

function pairUp(players: readonly Joined[]): [Joined, Joined][] {
  return players.map((from, i) => {
    const to = players[(i + 1) % players.length];
    if (!to) throw new Error("no players");
    return [from, to];
  });
}

describe("shedding load", () => {
  it("answers each signal over a socket's bucket with rate-limited; another pair's signals still arrive", async () => {
    const [alice, bob, carol, dave] = await lobbyOf(4);
    if (!alice || !bob || !carol || !dave) throw new Error("no players");
    const flood = SOCKET_FRAME_LIMIT.capacity * 2;
    const calm = 10;
    for (let i = 0; i < flood; i++) {
      alice.client.sendJson({ type: "signal", to: bob.welcome.peerId, data: candidate });
      if (i % (flood / calm) === 0) {
        carol.client.sendJson({ type: "signal", to: dave.welcome.peerId, data: candidate });
      }
    }
    await expect
      .poll(
        () =>
          signalsFrom(bob.client, alice.welcome.peerId) +
          errorsOf(alice.client, ErrorCode.RateLimited),
      )
      .toBe(flood);
    expect(errorsOf(alice.client, ErrorCode.RateLimited)).toBeGreaterThan(0);
    await expect.poll(() => signalsFrom(dave.client, carol.welcome.peerId)).toBe(calm);
    expect(carol.client.pending("error")).toEqual([]);
  });

  it("answers each relay packet over a socket's bucket with rate-limited", async () => {
    const [alice, bob] = await lobbyOf(2);
    if (!alice || !bob) throw new Error("no players");
    const burst = RELAY_FRAME_LIMIT.capacity * 3;
    for (let i = 0; i < burst; i++) {
      alice.client.ws.send(encodeRelayFrame(bob.welcome.peerId, packet));
    }
    await expect
      .poll(() => bob.client.relayed.length + errorsOf(alice.client, ErrorCode.RateLimited))
      .toBe(burst);
    expect(errorsOf(alice.client, ErrorCode.RateLimited)).toBeGreaterThan(0);
    expect(alice.client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("sheds past the lobby's budget with overloaded; counts add up and relaying recovers", async () => {
    const players = await lobbyOf(8);
    const pairs = pairUp(players);
    const sent = new Map<Joined, number>();
    const send = (signals: number, packets: number): void => {
      for (const [from, to] of pairs) {
        for (let i = 0; i < packets; i++) {
          from.client.ws.send(encodeRelayFrame(to.welcome.peerId, packet));
        }
        for (let i = 0; i < signals; i++) {
          from.client.sendJson({ type: "signal", to: to.welcome.peerId, data: candidate });
        }
        sent.set(from, (sent.get(from) ?? 0) + signals + packets);
      }
    };
    const overloaded = () =>
      players.reduce((n, p) => n + errorsOf(p.client, ErrorCode.Overloaded), 0);
    // Each player keeps within its own buckets (a burst, then their refill rate), which together
    // is twice the lobby's refill: however slow this machine, the budget runs out.
    send(SOCKET_FRAME_LIMIT.capacity, RELAY_FRAME_LIMIT.capacity);
    const tickMs = 100;
    for (let round = 0; round < 100 && overloaded() === 0; round++) {
      await new Promise((resolve) => setTimeout(resolve, tickMs));
      send(
        Math.floor((SOCKET_FRAME_LIMIT.refillPerSecond * tickMs) / 1000),
        Math.floor((RELAY_FRAME_LIMIT.refillPerSecond * tickMs) / 1000),
      );
    }
    expect(
      players.length * (SOCKET_FRAME_LIMIT.refillPerSecond + RELAY_FRAME_LIMIT.refillPerSecond),
    ).toBeGreaterThanOrEqual(TEST_LOBBY_FRAMES_PER_SECOND * 2);
    expect(overloaded()).toBeGreaterThan(0);
    for (const [from, to] of pairs) {
      await expect
        .poll(
          () =>
            to.client.relayed.filter((r) => r.peerId === from.welcome.peerId).length +
            signalsFrom(to.client, from.welcome.peerId) +
            errorsOf(from.client, ErrorCode.Overloaded) +
            errorsOf(from.client, ErrorCode.RateLimited),
        )
        .toBe(sent.get(from));
    }
    // The budget refills: the next signal of each pair arrives.
    for (const [from, to] of pairs) {
      const before = signalsFrom(to.client, from.welcome.peerId);
      await expect
        .poll(() => {
          from.client.sendJson({ type: "signal", to: to.welcome.peerId, data: candidate });
          return signalsFrom(to.client, from.welcome.peerId);
        })
        .toBeGreaterThan(before);
    }
  });
});
