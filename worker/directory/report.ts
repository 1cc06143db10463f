/** How a Lobby tells its directory shard about itself. */
import type { DirectoryEntry } from "../../shared/api.ts";
import type { Env } from "../env.ts";
import { shardFor } from "./shards.ts";

/** A listed lobby re-reports at least this often, changed or not (its entry is a lease). */
export { RENEW_INTERVAL_MS as DIRECTORY_RENEW_MS } from "./policy.ts";

/**
 * Reports a public lobby's current state (entry) or its removal (null) to its shard.
 * Call it on every change of player count or phase, when the lobby stops being listable,
 * and every DIRECTORY_RENEW_MS while it is listed. A full lobby may be reported as is: it
 * leaves the listing until a seat frees. `updatedAt` is stamped here, on the lobby's clock,
 * so reports that arrive out of order are put back in order by the shard.
 * Never throws: the directory is best-effort and must not break the lobby.
 */
export async function reportToDirectory(
  env: Env,
  code: string,
  entry: DirectoryEntry | null,
): Promise<void> {
  try {
    if (entry !== null && entry.code !== code) {
      console.error("directory: report for", code, "carries another code:", entry.code);
      return;
    }
    const nowMs = Date.now();
    const { stub, shardCount } = shardFor(env, code);
    // The shard logs what it refuses; nothing more to do here.
    if (entry === null) await stub.unlist(code, nowMs);
    else await stub.report({ ...entry, updatedAt: nowMs }, shardCount);
  } catch (error) {
    console.error("directory: report failed for", code, error);
  }
}

/**
 * Takes down the entry a reader saw (stamped `seenUpdatedAt`) after the lobby itself said it
 * is not joinable; a newer report from the lobby still wins. Best-effort, never throws.
 */
export async function dropStaleEntry(env: Env, code: string, seenUpdatedAt: number): Promise<void> {
  try {
    await shardFor(env, code).stub.unlist(code, seenUpdatedAt);
  } catch (error) {
    console.error("directory: could not drop stale entry", code, error);
  }
}
