/**
 * One directory shard: the public lobbies whose code hashes to it (worker/directory/shards.ts).
 * Lobbies report here on every change and at least every RENEW_INTERVAL_MS; readers fan
 * out to every shard and merge. No timers: expired entries go in an alarm.
 */
import { DurableObject } from "cloudflare:workers";
import * as v from "valibot";
import { type DirectoryEntry, DirectoryEntrySchema, LobbyCodeSchema } from "../../shared/api.ts";
import { GameModeSchema } from "../../shared/protocol.ts";
import { firstIssue } from "../../shared/schema-issue.ts";
import type { Env } from "../env.ts";
import { LISTING_LIMIT, SWEEP_INTERVAL_MS } from "./policy.ts";
import { shardCount } from "./shards.ts";
import { ShardStore } from "./store.ts";

const ShardCountSchema = v.pipe(v.number(), v.integer(), v.minValue(1));
const EpochMsSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const ListArgsSchema = v.object({
  mode: v.nullable(GameModeSchema),
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LISTING_LIMIT)),
});

/**
 * Arguments arrive over RPC: checked like any other input. A bad one is logged and refused
 * (never thrown: a throwing method would be logged by the runtime as an uncaught exception).
 */
function checked<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  what: string,
): v.InferOutput<TSchema> | null {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const { path, message } = firstIssue(result.issues, "whole");
  console.error(`directory: refused an invalid ${what} (${path}): ${message}`);
  return null;
}

export class Directory extends DurableObject<Env> {
  readonly #store: ShardStore;
  /** Known to be set; forgotten on eviction, when storage is asked once more. */
  #sweepScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new ShardStore(ctx.storage.sql);
  }

  /**
   * A public lobby's current state. A full lobby leaves the listing until a seat frees.
   * False when the report was refused as invalid.
   */
  async report(entry: DirectoryEntry, filedUnderShardCount: number): Promise<boolean> {
    const valid = checked(DirectoryEntrySchema, entry, "entry");
    const count = checked(ShardCountSchema, filedUnderShardCount, "shard count");
    if (valid === null || count === null) return false;
    if (valid.players >= valid.maxPlayers) this.#store.unlist(valid.code, valid.updatedAt);
    else this.#store.put(valid, count);
    await this.#scheduleSweep();
    return true;
  }

  /**
   * The lobby is not listable as of `atMs`: it went private or full, closed, or a reader
   * found the entry stale. Reports stamped at or before `atMs` are ignored from now on.
   * False when refused as invalid.
   */
  async unlist(code: string, atMs: number): Promise<boolean> {
    const validCode = checked(LobbyCodeSchema, code, "code");
    const validTime = checked(EpochMsSchema, atMs, "time");
    if (validCode === null || validTime === null) return false;
    this.#store.unlist(validCode, validTime);
    await this.#scheduleSweep();
    return true;
  }

  /** This shard's joinable lobbies (of one mode, or all), fullest first; none for a bad query. */
  list(mode: string | null, limit: number): DirectoryEntry[] {
    const args = checked(ListArgsSchema, { mode, limit }, "listing query");
    if (args === null) return [];
    return this.#store.list({ ...args, nowMs: Date.now(), shardCount: shardCount(this.env) });
  }

  override async alarm(): Promise<void> {
    const left = this.#store.sweep(Date.now(), shardCount(this.env));
    this.#sweepScheduled = left > 0;
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + SWEEP_INTERVAL_MS);
  }

  async #scheduleSweep(): Promise<void> {
    if (this.#sweepScheduled) return;
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + SWEEP_INTERVAL_MS);
    }
    this.#sweepScheduled = true;
  }
}
