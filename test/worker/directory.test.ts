import {
  createExecutionContext,
  listDurableObjectIds,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  ApiErrorSchema,
  CreatedLobbySchema,
  type DirectoryEntry,
  type DirectoryListing,
  DirectoryListingSchema,
  LobbyInfoSchema,
  QuickJoinResultSchema,
} from "../../shared/api.ts";
import { MAX_PLAYERS } from "../../shared/limits.ts";
import {
  listingCacheKey,
  readCachedListing,
  writeCachedListing,
} from "../../worker/directory/edge-cache.ts";
import { readListing } from "../../worker/directory/listing.ts";
import {
  ENTRY_TTL_MS,
  LISTING_FRESH_MS,
  LISTING_LIMIT,
  LISTING_STALE_LIMIT_MS,
  MOVED_ENTRY_TTL_MS,
  QUICK_JOIN_CANDIDATES,
} from "../../worker/directory/policy.ts";
import { pickCandidates } from "../../worker/directory/quick-join.ts";
import { reportToDirectory } from "../../worker/directory/report.ts";
import { shardCount, shardFor, shardIndex, shardName } from "../../worker/directory/shards.ts";
import { newLobbyCode } from "../../worker/ids.ts";
import { api, join, ORIGIN } from "./helpers.ts";

/** Listings are cached per colo for a couple of seconds: changes are awaited, never timed. */
const POLL_DEADLINE_MS = 8_000;
const SLOW_TEST_MS = 20_000;

/** A mode nobody else uses, so each test reads its own listing (and its own cache entry). */
function uniqueMode(): string {
  return `t-${crypto.randomUUID().slice(0, 12)}`;
}

function entry(
  code: string,
  mode: string,
  players: number,
  maxPlayers = MAX_PLAYERS,
): DirectoryEntry {
  return { code, name: `Lobby ${code}`, mode, phase: "waiting", players, maxPlayers, updatedAt: 0 };
}

/** Files an entry with a chosen timestamp straight into its shard (reportToDirectory stamps "now"). */
async function fileAt(item: DirectoryEntry, updatedAt: number, filedUnder?: number): Promise<void> {
  const { stub, shardCount: count } = shardFor(env, item.code);
  await stub.report({ ...item, updatedAt }, filedUnder ?? count);
}

/** What the lobby's own shard lists for it (other lobbies of the mode may share the shard). */
async function shardEntry(code: string, mode: string): Promise<DirectoryEntry | undefined> {
  const listed = await shardFor(env, code).stub.list(mode, LISTING_LIMIT);
  return listed.find((item) => item.code === code);
}

async function listing(mode?: string): Promise<DirectoryListing> {
  const response = await api(mode === undefined ? "/api/lobbies" : `/api/lobbies?mode=${mode}`);
  expect(response.status).toBe(200);
  return v.parse(DirectoryListingSchema, await response.json());
}

function codes(result: DirectoryListing | readonly DirectoryEntry[]): string[] {
  return ("lobbies" in result ? result.lobbies : result).map((item) => item.code);
}

/** Reads until `done` holds (the edge cache may serve the previous answer for a moment). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + POLL_DEADLINE_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createPublicLobby(mode: string, maxPlayers = MAX_PLAYERS): Promise<string> {
  const response = await api("/api/lobbies", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ visibility: "public", mode, maxPlayers }),
  });
  expect(response.status).toBe(201);
  return v.parse(CreatedLobbySchema, await response.json()).code;
}

async function quickJoin(body: string): Promise<Response> {
  return api("/api/lobbies/quick-join", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

describe("directory listing", () => {
  it("lists a reported lobby in a response that matches DirectoryListingSchema", async () => {
    const mode = uniqueMode();
    const code = newLobbyCode();
    await reportToDirectory(env, code, { ...entry(code, mode, 3), phase: "playing" });

    const response = await api(`/api/lobbies?mode=${mode}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const body = v.parse(DirectoryListingSchema, await response.json());
    expect(body.lobbies).toEqual([
      {
        code,
        name: `Lobby ${code}`,
        mode,
        phase: "playing",
        players: 3,
        maxPlayers: MAX_PLAYERS,
        updatedAt: expect.any(Number),
      },
    ]);
    expect(body.lobbies[0]?.updatedAt).toBeGreaterThan(0);
  });

  it(
    "takes a lobby out of the listing when it reports null",
    async () => {
      const mode = uniqueMode();
      const code = newLobbyCode();
      await reportToDirectory(env, code, entry(code, mode, 2));
      expect(await shardEntry(code, mode)).toMatchObject({ code });
      await eventually(
        () => listing(mode),
        (result) => codes(result).includes(code),
      );

      await reportToDirectory(env, code, null);
      expect(await shardEntry(code, mode)).toBeUndefined();
      await eventually(
        () => listing(mode),
        (result) => !codes(result).includes(code),
      );
    },
    SLOW_TEST_MS,
  );

  it("leaves full lobbies out, and lists them again when a seat frees", async () => {
    const mode = uniqueMode();
    const code = newLobbyCode();
    await reportToDirectory(env, code, entry(code, mode, 4, 4));
    expect(await shardEntry(code, mode)).toBeUndefined();

    await reportToDirectory(env, code, entry(code, mode, 3, 4));
    expect(await shardEntry(code, mode)).toMatchObject({ players: 3, maxPlayers: 4 });
  });

  it(
    "filters by mode, lists every mode without one, and refuses a malformed mode",
    async () => {
      const arena = uniqueMode();
      const race = uniqueMode();
      const inArena = newLobbyCode();
      const inRace = newLobbyCode();
      // 7 of 8: the fullest a listed lobby can be, so both make the capped all-modes listing.
      await reportToDirectory(env, inArena, entry(inArena, arena, MAX_PLAYERS - 1));
      await reportToDirectory(env, inRace, entry(inRace, race, MAX_PLAYERS - 1));

      expect(codes(await listing(arena))).toEqual([inArena]);
      expect(codes(await listing(race))).toEqual([inRace]);
      const everything = await eventually(
        () => listing(),
        (result) => codes(result).includes(inArena) && codes(result).includes(inRace),
      );
      expect(new Set(everything.lobbies.map((item) => item.mode)).size).toBeGreaterThan(1);

      const bad = await api("/api/lobbies?mode=Not%20A%20Mode");
      expect(bad.status).toBe(400);
      expect(v.parse(ApiErrorSchema, await bad.json()).error).toBe("invalid-request");
    },
    SLOW_TEST_MS,
  );

  it("sorts the fullest first, then the most recently active", async () => {
    const mode = uniqueMode();
    const [few, olderBusy, newerBusy] = [newLobbyCode(), newLobbyCode(), newLobbyCode()];
    const now = Date.now();
    await fileAt(entry(few, mode, 2), now);
    await fileAt(entry(olderBusy, mode, 5), now - 2_000);
    await fileAt(entry(newerBusy, mode, 5), now - 1_000);
    expect(codes(await listing(mode))).toEqual([newerBusy, olderBusy, few]);
  });

  it("caps the listing at LISTING_LIMIT lobbies", async () => {
    const mode = uniqueMode();
    const now = Date.now();
    const filed = Array.from({ length: LISTING_LIMIT + 5 }, () => newLobbyCode());
    await Promise.all(filed.map((code, index) => fileAt(entry(code, mode, 1), now - index)));
    const listed = codes(await listing(mode));
    expect(listed).toEqual(filed.slice(0, LISTING_LIMIT));
  });
});

describe("edge cache", () => {
  /** A listing only the cache knows: its lobby was never reported to any shard. */
  async function cacheOnlyListing(mode: string, ageMs: number): Promise<string> {
    const code = newLobbyCode();
    const generatedAt = Date.now() - ageMs;
    const cached = { lobbies: [{ ...entry(code, mode, 2), updatedAt: generatedAt }], generatedAt };
    await writeCachedListing(listingCacheKey(ORIGIN, mode), cached, Date.now());
    return code;
  }
  const staleAgeMs = (LISTING_FRESH_MS + LISTING_STALE_LIMIT_MS) / 2;

  it("serves a fresh listing from the colo's cache without asking the shards", async () => {
    const mode = uniqueMode();
    const cachedCode = await cacheOnlyListing(mode, 0);
    expect(codes(await listing(mode))).toEqual([cachedCode]);
    expect((await readCachedListing(listingCacheKey(ORIGIN, mode)))?.refreshClaimedAt).toBeNull();
  });

  it("serves a stale copy once while that request refreshes it in the background", async () => {
    const mode = uniqueMode();
    const cachedCode = await cacheOnlyListing(mode, staleAgeMs);
    const reported = newLobbyCode();
    await reportToDirectory(env, reported, entry(reported, mode, 1));
    const key = listingCacheKey(ORIGIN, mode);

    const ctx = createExecutionContext();
    expect(codes(await readListing(env, ORIGIN, mode, ctx))).toEqual([cachedCode]);
    expect((await readCachedListing(key))?.refreshClaimedAt).toEqual(expect.any(Number));
    await waitOnExecutionContext(ctx);

    const refreshed = await readCachedListing(key);
    expect(refreshed && codes(refreshed.listing)).toEqual([reported]);
    expect(refreshed?.refreshClaimedAt).toBeNull();
  });

  it("never serves a stale copy when it cannot refresh in the background", async () => {
    const mode = uniqueMode();
    await cacheOnlyListing(mode, staleAgeMs);
    const reported = newLobbyCode();
    await reportToDirectory(env, reported, entry(reported, mode, 1));
    expect(codes(await readListing(env, ORIGIN, mode))).toEqual([reported]);
  });
});

describe("directory shards", () => {
  it("spreads lobbies over the shards, each lobby in the shard its code hashes to", async () => {
    const mode = uniqueMode();
    const count = shardCount(env);
    const filed = Array.from({ length: 40 }, () => newLobbyCode());
    await Promise.all(filed.map((code) => reportToDirectory(env, code, entry(code, mode, 1))));

    const perShard = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        env.DIRECTORY.getByName(shardName(index)).list(mode, LISTING_LIMIT),
      ),
    );
    for (const [index, held] of perShard.entries()) {
      const expected = filed.filter((code) => shardIndex(code, count) === index);
      expect(codes(held).sort()).toEqual(expected.sort());
    }
    expect(perShard.filter((held) => held.length > 0).length).toBeGreaterThan(1);
    expect((await listDurableObjectIds(env.DIRECTORY)).length).toBeGreaterThan(1);
  });

  it("drops entries whose lease ran out, and the alarm sweeps them from storage", async () => {
    const mode = uniqueMode();
    const stale = newLobbyCode();
    await fileAt(entry(stale, mode, 2), Date.now() - ENTRY_TTL_MS - 1_000);
    expect(await shardEntry(stale, mode)).toBeUndefined();

    const { stub } = shardFor(env, stale);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const rows = await runInDurableObject(stub, (_shard, state) =>
      state.storage.sql.exec("SELECT code FROM entries WHERE code = ?", stale).toArray(),
    );
    expect(rows).toEqual([]);
  });

  it("keeps an old lease filed under the current shard count through a sweep", async () => {
    const mode = uniqueMode();
    const quiet = newLobbyCode();
    await fileAt(entry(quiet, mode, 2), Date.now() - MOVED_ENTRY_TTL_MS - 1_000);
    await runDurableObjectAlarm(shardFor(env, quiet).stub);
    expect(await shardEntry(quiet, mode)).toMatchObject({ code: quiet });
  });

  it("shows entries filed under another shard count only until their lobby could have re-reported", async () => {
    const mode = uniqueMode();
    const moved = newLobbyCode();
    const movedLongAgo = newLobbyCode();
    const otherCount = shardCount(env) + 1;
    await fileAt(entry(moved, mode, 2), Date.now(), otherCount);
    await fileAt(entry(movedLongAgo, mode, 2), Date.now() - MOVED_ENTRY_TTL_MS - 1_000, otherCount);

    expect(await shardEntry(moved, mode)).toMatchObject({ code: moved });
    expect(await shardEntry(movedLongAgo, mode)).toBeUndefined();
  });

  it("puts reports that arrive out of order back in order", async () => {
    const mode = uniqueMode();
    const code = newLobbyCode();
    const now = Date.now();
    await fileAt(entry(code, mode, 3), now - 1_000);
    await fileAt(entry(code, mode, 5), now - 2_000);
    expect(await shardEntry(code, mode)).toMatchObject({ players: 3 });

    // Unlisted at `now`: a report stamped earlier that arrives later must not bring it back.
    await shardFor(env, code).stub.unlist(code, now);
    await fileAt(entry(code, mode, 4), now - 500);
    expect(await shardEntry(code, mode)).toBeUndefined();
    await fileAt(entry(code, mode, 4), now + 1);
    expect(await shardEntry(code, mode)).toMatchObject({ players: 4 });
  });

  it("never throws from reportToDirectory, and stores nothing it cannot check", async () => {
    const mode = uniqueMode();
    const code = newLobbyCode();
    await expect(
      reportToDirectory(env, code, { ...entry(code, mode, 2), players: -1 }),
    ).resolves.toBeUndefined();
    await expect(
      reportToDirectory(env, code, entry(newLobbyCode(), mode, 2)),
    ).resolves.toBeUndefined();
    await expect(reportToDirectory(env, "not a code", null)).resolves.toBeUndefined();
    expect(await shardEntry(code, mode)).toBeUndefined();
  });

  it("refuses invalid input over RPC without throwing", async () => {
    const code = newLobbyCode();
    const { stub } = shardFor(env, code);
    expect(await stub.report({ ...entry(code, uniqueMode(), 2), players: 1.5 }, 4)).toBe(false);
    expect(await stub.report({ ...entry(code, uniqueMode(), 2), code: "nope" }, 4)).toBe(false);
    expect(await stub.report(entry(code, uniqueMode(), 2), 0)).toBe(false);
    expect(await stub.unlist("not a code", Date.now())).toBe(false);
    expect(await stub.list("NOT A MODE", 10)).toEqual([]);
    expect(await stub.list(null, LISTING_LIMIT + 1)).toEqual([]);
  });
});

describe("quick-join", () => {
  it("puts the player into the fullest public lobby of the mode that has a seat", async () => {
    const mode = uniqueMode();
    const quiet = await createPublicLobby(mode);
    const busy = await createPublicLobby(mode);
    await join(quiet, "Ann");
    await join(busy, "Ben");
    await join(busy, "Cat");
    // The lobbies report themselves too; these say the same, so the test does not wait on them.
    await reportToDirectory(env, quiet, entry(quiet, mode, 1));
    await reportToDirectory(env, busy, entry(busy, mode, 2));
    const elsewhere = newLobbyCode();
    await reportToDirectory(env, elsewhere, entry(elsewhere, uniqueMode(), MAX_PLAYERS - 1));

    const response = await quickJoin(JSON.stringify({ mode }));
    expect(response.status).toBe(200);
    expect(v.parse(QuickJoinResultSchema, await response.json())).toEqual({
      code: busy,
      joinUrl: `${ORIGIN}/?lobby=${busy}`,
      created: false,
    });
  });

  it("skips a stale or full entry, takes it out of its shard, and joins the next", async () => {
    const mode = uniqueMode();
    const open = await createPublicLobby(mode);
    await join(open, "Ann");
    await reportToDirectory(env, open, entry(open, mode, 1));
    // A lobby that died without saying so.
    const gone = newLobbyCode();
    await fileAt(entry(gone, mode, 6), Date.now());
    // A lobby that filled up; its listing still claims a free seat (stamped ahead, so the
    // lobby's own "full" report cannot overtake it before quick-join looks).
    const full = await createPublicLobby(mode, 2);
    await join(full, "Ben");
    await join(full, "Cat");
    await fileAt(entry(full, mode, 1, 2), Date.now() + 60_000);

    const response = await quickJoin(JSON.stringify({ mode }));
    expect(response.status).toBe(200);
    expect(v.parse(QuickJoinResultSchema, await response.json())).toMatchObject({
      code: open,
      created: false,
    });
    expect(await shardEntry(gone, mode)).toBeUndefined();
    expect(await shardEntry(full, mode)).toBeUndefined();
  });

  it("draws from one shard when the listing is full, so quick-joins spread over many lobbies", async () => {
    const mode = uniqueMode();
    const count = shardCount(env);
    // Per shard: one lobby with a single free seat and fillers; none of them really exists.
    const perShard = Array.from({ length: count }, () => ({ top: "", fillers: [] as string[] }));
    while (perShard.some((shard) => shard.top === "" || shard.fillers.length < 15)) {
      const code = newLobbyCode();
      const shard = perShard[shardIndex(code, count)];
      if (!shard) continue;
      if (shard.top === "") shard.top = code;
      else if (shard.fillers.length < 15) shard.fillers.push(code);
    }
    const now = Date.now();
    const filed = perShard.flatMap((shard) => [shard.top, ...shard.fillers]);
    expect(filed.length).toBeGreaterThan(LISTING_LIMIT);
    await Promise.all(
      perShard.flatMap((shard) => [
        fileAt(entry(shard.top, mode, MAX_PLAYERS - 1), now),
        ...shard.fillers.map((code) => fileAt(entry(code, mode, 1), now)),
      ]),
    );

    const response = await quickJoin(JSON.stringify({ mode }));
    expect(v.parse(QuickJoinResultSchema, await response.json()).created).toBe(true);

    const remaining = new Set<string>();
    for (let index = 0; index < count; index++) {
      const held = await env.DIRECTORY.getByName(shardName(index)).list(mode, LISTING_LIMIT);
      for (const code of codes(held)) remaining.add(code);
    }
    const dropped = filed.filter((code) => !remaining.has(code));
    expect(dropped).toHaveLength(QUICK_JOIN_CANDIDATES);
    // The listing's top lobbies sit one per shard; the candidates all came from one shard.
    expect(new Set(dropped.map((code) => shardIndex(code, count))).size).toBe(1);
  });

  it("asks the fullest lobbies first, and spreads quick-joins over equally full ones", () => {
    const mode = uniqueMode();
    const fullest = entry(newLobbyCode(), mode, 6);
    const equals = Array.from({ length: 10 }, () => entry(newLobbyCode(), mode, 3));
    const listed = [fullest, ...equals, entry(newLobbyCode(), uniqueMode(), 7)];
    const secondPicks = new Set<string>();
    for (let draw = 0; draw < 200; draw++) {
      const [first, second] = pickCandidates(listed, mode, 2);
      expect(first?.code).toBe(fullest.code);
      expect(second?.players).toBe(3);
      secondPicks.add(second?.code ?? "");
    }
    expect(secondPicks.size).toBeGreaterThan(1);
  });

  it("creates a public lobby of the mode when no listed lobby has a seat", async () => {
    const mode = uniqueMode();
    const response = await quickJoin(JSON.stringify({ mode }));
    expect(response.status).toBe(200);
    const result = v.parse(QuickJoinResultSchema, await response.json());
    expect(result.created).toBe(true);
    expect(result.joinUrl).toBe(`${ORIGIN}/?lobby=${result.code}`);

    const info = await api(`/api/lobbies/${result.code}`);
    expect(info.status).toBe(200);
    expect(v.parse(LobbyInfoSchema, await info.json())).toMatchObject({
      code: result.code,
      visibility: "public",
      mode,
      players: 0,
      maxPlayers: MAX_PLAYERS,
      full: false,
    });
  });

  it.each([
    ['{"mode":"Not A Mode"}', "invalid-request"],
    ['{"mode":7}', "invalid-request"],
    ["[1, 2", "bad-json"],
  ])("answers 400 with a JSON error to the body %s", async (body, error) => {
    const response = await quickJoin(body);
    expect(response.status).toBe(400);
    expect(v.parse(ApiErrorSchema, await response.json()).error).toBe(error);
  });
});

describe("lobbies reporting themselves", () => {
  it(
    "shows a public lobby's player count as players join and leave, and hides it when full",
    async () => {
      const mode = uniqueMode();
      const hidden = await api("/api/lobbies", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ visibility: "private", mode }),
      });
      const privateCode = v.parse(CreatedLobbySchema, await hidden.json()).code;
      await join(privateCode, "Zed");

      const code = await createPublicLobby(mode, 2);
      const playersListed = (result: DirectoryListing) =>
        result.lobbies.find((item) => item.code === code)?.players;

      const ann = await join(code, "Ann");
      const withOne = await eventually(
        () => listing(mode),
        (r) => playersListed(r) === 1,
      );
      expect(codes(withOne)).not.toContain(privateCode);

      const ben = await join(code, "Ben");
      await eventually(
        () => listing(mode),
        (r) => playersListed(r) === undefined,
      );

      ben.client.sendJson({ type: "leave" });
      await ann.client.next("peer-left");
      await eventually(
        () => listing(mode),
        (r) => playersListed(r) === 1,
      );
    },
    SLOW_TEST_MS,
  );
});

describe("empty lobbies", () => {
  it(
    "are listed only while someone is connected: gone at once when the last player drops or leaves",
    async () => {
      const mode = uniqueMode();
      const code = await createPublicLobby(mode);
      // Nobody has joined yet: nothing to list.
      expect(await shardEntry(code, mode)).toBeUndefined();

      const ann = await join(code, "Ann");
      await eventually(
        () => shardEntry(code, mode),
        (listed) => listed?.players === 1,
      );
      // Ann's connection drops: her seat is held, but nobody is there to play with.
      ann.client.ws.close(4100, "network went away");
      await eventually(
        () => shardEntry(code, mode),
        (listed) => listed === undefined,
      );
      // Back within the grace window: listed again.
      const back = await join(code, "Ann", { resume: ann.welcome });
      await eventually(
        () => shardEntry(code, mode),
        (listed) => listed?.players === 1,
      );
      back.client.sendJson({ type: "leave" });
      await eventually(
        () => shardEntry(code, mode),
        (listed) => listed === undefined,
      );
    },
    SLOW_TEST_MS,
  );

  it("are never picked by quick-join, even from a listing that still shows them", async () => {
    const mode = uniqueMode();
    const code = await createPublicLobby(mode);
    const ann = await join(code, "Ann");
    ann.client.ws.close(4100, "network went away");
    await eventually(
      () => shardEntry(code, mode),
      (listed) => listed === undefined,
    );
    // A copy of the listing from before she dropped (stamped ahead, so it stays filed).
    await fileAt(entry(code, mode, 1), Date.now() + 60_000);

    const response = await quickJoin(JSON.stringify({ mode }));
    const result = v.parse(QuickJoinResultSchema, await response.json());
    expect(result.created).toBe(true);
    expect(result.code).not.toBe(code);
    expect(await shardEntry(code, mode)).toBeUndefined();
  });
});
