/**
 * TURN credentials per seat, through the lobby: minted once a seat is admitted, kept across
 * resumes, and at most TURN_RATE_LIMITER's budget per address; beyond it a seat gets STUN
 * only and is asked about again later.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, type MockInstance, vi } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import type { IceServer } from "../../shared/protocol.ts";
import { TURN_RETRY_MS } from "../../worker/ice/seat-grant.ts";
import { readSocketState, writeSocketState } from "../../worker/lobby/socket-state.ts";
import {
  connect,
  createLobby,
  freshAddress,
  hello,
  inOneLimiterWindow,
  type Joined,
  join,
  lobbyStub,
  roundTrip,
} from "./helpers.ts";
import { TEST_TURN_URL } from "./test-settings.ts";

/** The TURN_RATE_LIMITER binding in wrangler.toml. */
const GRANTS_PER_MINUTE = 20;

function turnOf(servers: readonly IceServer[]): IceServer | undefined {
  return servers.find(
    (server) => server.urls === TEST_TURN_URL || server.urls.includes(TEST_TURN_URL),
  );
}

async function iceRefreshAt(code: string, peerId: string): Promise<number> {
  return runInDurableObject(lobbyStub(code), (_lobby, state) =>
    Number(
      state.storage.sql.exec("SELECT ice_refresh_at FROM peers WHERE id = ?", peerId).one()[
        "ice_refresh_at"
      ],
    ),
  );
}

describe("TURN credentials per seat", () => {
  it("are minted for a new seat and kept, not minted again, when it resumes", async () => {
    const code = await createLobby();
    const first = await join(code, "Ana");
    const credential = turnOf(first.welcome.iceServers);
    expect(credential?.username).toMatch(new RegExp(`^\\d+:${first.welcome.peerId}$`));
    let ticket = first.welcome;
    for (let i = 0; i < 5; i++) {
      const back = await join(code, "Ana", { resume: ticket });
      expect(turnOf(back.welcome.iceServers)).toEqual(credential);
      expect(back.welcome.iceServersExpireAt).toBe(first.welcome.iceServersExpireAt);
      ticket = back.welcome;
    }
  });

  it("are minted as the socket opens, while the client sends its hello, once", async () => {
    const code = await createLobby();
    const address = freshAddress();
    const limit = vi.spyOn(env.TURN_RATE_LIMITER, "limit");
    const mintsFor = (): number => limit.mock.calls.filter(([o]) => o.key === address).length;
    try {
      const client = await connect(code, { address });
      // Off the join's critical path: the TURN work has begun before any hello was sent.
      expect(mintsFor()).toBe(1);
      hello(client, "Ana");
      const welcome = await client.next("welcome");
      expect(turnOf(welcome.iceServers)?.username).toMatch(new RegExp(`:${welcome.peerId}$`));
      expect(mintsFor()).toBe(1);
    } finally {
      limit.mockRestore();
    }
  });

  it("are not minted for a hello the lobby refuses, and are capped per address", async () => {
    const full = await createLobby({ maxPlayers: 2 });
    await join(full, "Ana");
    await join(full, "Bo");
    const lobbies = [await createLobby(), await createLobby(), await createLobby()];
    const last = lobbies[2] ?? "";
    const seen = await inOneLimiterWindow(60_000, async () => {
      const address = freshAddress();
      const refusals: number[] = [];
      for (let i = 0; i < GRANTS_PER_MINUTE; i++) {
        const refused = await connect(full, { address });
        hello(refused, `Late ${i}`);
        refusals.push((await refused.closed).code);
      }
      // The refusals spent nothing: the whole budget is still there for real seats.
      const seats: Joined[] = [];
      for (let i = 0; i < GRANTS_PER_MINUTE; i++) {
        seats.push(await join(lobbies[Math.floor(i / 8)] ?? "", `Seat ${i}`, { address }));
      }
      const overAt = Date.now();
      const over = await join(last, "Over", { address });
      const joinedAt = Date.now();
      const retryAt = await iceRefreshAt(last, over.welcome.peerId);
      const elsewhere = await join(last, "Elsewhere");
      const first = seats[0];
      if (!first) throw new Error("no seat");
      const back = await join(lobbies[0] ?? "", "Seat 0", { resume: first.welcome, address });
      // The alarm's retry, while the address is still over its budget: put off again.
      await runInDurableObject(lobbyStub(last), (_lobby, state) => {
        state.storage.sql.exec(
          "UPDATE peers SET ice_refresh_at = ? WHERE id = ?",
          Date.now() - 1,
          over.welcome.peerId,
        );
      });
      const retriedAt = Date.now();
      await runDurableObjectAlarm(lobbyStub(last));
      const nextRetryAt = await iceRefreshAt(last, over.welcome.peerId);
      return {
        refusals,
        seats,
        over,
        overAt,
        joinedAt,
        retryAt,
        retriedAt,
        nextRetryAt,
        elsewhere,
        first,
        back,
      };
    });
    expect(new Set(seen.refusals)).toEqual(new Set([CloseCode.LobbyFull]));
    for (const seat of seen.seats) expect(turnOf(seat.welcome.iceServers)).toBeDefined();
    // One more from that address gets STUN only for now, and a later try from the alarm.
    expect(turnOf(seen.over.welcome.iceServers)).toBeUndefined();
    expect(seen.over.welcome.iceServersExpireAt).toBeNull();
    expect(seen.retryAt).toBeGreaterThanOrEqual(seen.overAt + TURN_RETRY_MS);
    expect(seen.retryAt).toBeLessThanOrEqual(seen.joinedAt + TURN_RETRY_MS);
    expect(seen.nextRetryAt).toBeGreaterThanOrEqual(seen.retriedAt + TURN_RETRY_MS);
    expect(seen.over.client.pending("ice-servers")).toEqual([]);
    // Another address is not affected, and a resumed seat keeps its credentials regardless.
    expect(turnOf(seen.elsewhere.welcome.iceServers)).toBeDefined();
    expect(turnOf(seen.back.welcome.iceServers)).toEqual(turnOf(seen.first.welcome.iceServers));
  }, 120_000);
});

/** Holds every TURN limiter call (so every hello's answer) until `release()`. */
function holdTurnLimiter(): { readonly spy: MockInstance; release(): void } {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const limit = env.TURN_RATE_LIMITER.limit.bind(env.TURN_RATE_LIMITER);
  const spy = vi.spyOn(env.TURN_RATE_LIMITER, "limit").mockImplementation(async (options) => {
    await held;
    return limit(options);
  });
  return { spy, release: () => release() };
}

describe("a socket whose hello is being answered", () => {
  it("is not closed by the hello deadline while its answer waits for TURN", async () => {
    const code = await createLobby();
    const { spy, release } = holdTurnLimiter();
    try {
      const slow = await connect(code);
      hello(slow, "Just in time");
      await vi.waitFor(() => expect(spy).toHaveBeenCalled());
      // The deadline passes while the lobby is still answering.
      await runInDurableObject(lobbyStub(code), (_lobby, state) => {
        // Through the lobby's own accessors: it keeps each socket's state in memory as well.
        for (const ws of state.getWebSockets()) {
          const socket = readSocketState(ws);
          if (socket) writeSocketState(ws, { ...socket, helloBy: Date.now() - 1 });
        }
      });
      await runDurableObjectAlarm(lobbyStub(code));
      release();
      expect((await slow.next("welcome")).peers).toHaveLength(1);
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it("gets STUN only, not an error, when the TURN limiter itself fails", async () => {
    const code = await createLobby();
    const spy = vi.spyOn(env.TURN_RATE_LIMITER, "limit").mockRejectedValue(new Error("down"));
    try {
      const { welcome } = await join(code, "Unlucky");
      expect(turnOf(welcome.iceServers)).toBeUndefined();
      expect(welcome.iceServersExpireAt).toBeNull();
    } finally {
      spy.mockRestore();
    }
  });

  it("is closed if it sends anything else before welcome", async () => {
    const code = await createLobby();
    const witness = await join(code, "Witness");
    const { spy, release } = holdTurnLimiter();
    try {
      const eager = await connect(code);
      hello(eager, "Eager");
      await vi.waitFor(() => expect(spy).toHaveBeenCalled());
      eager.sendJson({ type: "set-ready", ready: true });
      expect((await eager.next("error")).code).toBe("not-joined");
      expect((await eager.closed).code).toBe(CloseCode.TooManyErrors);
      release();
      await roundTrip(witness.client);
      expect(witness.client.pending("peer-joined")).toEqual([]);
    } finally {
      release();
      spy.mockRestore();
    }
  });
});
