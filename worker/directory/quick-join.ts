/** Quick-join's choice: the fullest listed lobby that the lobby itself confirms has a seat. */
import type { DirectoryEntry, LobbyStatus } from "../../shared/api.ts";
import type { Env } from "../env.ts";
import { LISTING_LIMIT, QUICK_JOIN_CANDIDATES } from "./policy.ts";
import { dropStaleEntry } from "./report.ts";
import { randomShard } from "./shards.ts";

/** What the lobby says about itself, not what the (seconds-old) listing says. */
export function isJoinable(info: LobbyStatus | null, mode: string): info is LobbyStatus {
  return info !== null && info.visibility === "public" && info.mode === mode && !info.full;
}

/**
 * Where quick-join looks. A listing with room to spare holds every joinable lobby of the mode,
 * so its fullest is the fullest there is. A full listing shows only the top few of many, and
 * every quick-join in the world would aim at those same few seats: then one random shard's
 * top lobbies are the candidates instead (falling back to the listing if it has none).
 */
export async function quickJoinPool(
  env: Env,
  listed: readonly DirectoryEntry[],
  mode: string,
): Promise<readonly DirectoryEntry[]> {
  if (listed.length < LISTING_LIMIT) return listed;
  try {
    const sample = await randomShard(env).list(mode, LISTING_LIMIT);
    if (sample.length > 0) return sample;
  } catch (error) {
    console.error("quick-join: a shard did not answer", error);
  }
  return listed;
}

/**
 * The candidates to ask: fullest first, and among equally full lobbies a random pick, so
 * quick-joins everywhere (reading the same cached listing) do not all pile onto one lobby.
 */
export function pickCandidates(
  listed: readonly DirectoryEntry[],
  mode: string,
  count: number,
): DirectoryEntry[] {
  const joinable = listed.filter(
    (entry) => entry.mode === mode && entry.players < entry.maxPlayers,
  );
  const shuffled = joinable
    .map((entry) => ({ entry, tieBreak: Math.random() }))
    .sort((a, b) => b.entry.players - a.entry.players || a.tieBreak - b.tieBreak);
  return shuffled.slice(0, count).map(({ entry }) => entry);
}

/**
 * Asks the best few candidates in parallel and returns the code of the fullest one that
 * confirms, or null. Entries whose lobby is gone, full, private or of another mode are taken
 * out of their shard on the way.
 */
export async function confirmFullestLobby(
  env: Env,
  candidates: readonly DirectoryEntry[],
  mode: string,
): Promise<string | null> {
  const asked = pickCandidates(candidates, mode, QUICK_JOIN_CANDIDATES);
  const answers = await Promise.allSettled(
    asked.map((entry) => env.LOBBY.getByName(entry.code).info()),
  );
  let best: LobbyStatus | null = null;
  const drops: Promise<void>[] = [];
  for (const [index, entry] of asked.entries()) {
    const answer = answers[index];
    // A lobby that failed to answer may be fine: skip it, but leave its entry alone.
    if (answer?.status !== "fulfilled") {
      console.error("quick-join: lobby", entry.code, "did not answer", answer?.reason);
      continue;
    }
    const info = answer.value;
    if (!isJoinable(info, mode)) drops.push(dropStaleEntry(env, entry.code, entry.updatedAt));
    else if (best === null || info.players > best.players) best = info;
  }
  await Promise.all(drops);
  return best === null ? null : best.code;
}
