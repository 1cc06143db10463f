/**
 * One directory shard's SQLite tables: the listed lobbies, and when lobbies stopped being
 * listable (so a report that arrives late cannot bring a closed lobby back).
 */
import * as v from "valibot";
import { type DirectoryEntry, DirectoryEntrySchema } from "../../shared/api.ts";
import { ENTRY_TTL_MS, MOVED_ENTRY_TTL_MS } from "./policy.ts";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS entries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    mode TEXT NOT NULL,
    phase TEXT NOT NULL,
    players INTEGER NOT NULL,
    max_players INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    shard_count INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS entries_by_mode ON entries (mode, players DESC, updated_at DESC);
  CREATE INDEX IF NOT EXISTS entries_by_fill ON entries (players DESC, updated_at DESC);
  CREATE TABLE IF NOT EXISTS unlisted (code TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
`;

const COLUMNS = "code, name, mode, phase, players, max_players, updated_at";

/** A row as SQLite returns it, checked and turned into the API's shape. */
const EntryRowSchema = v.pipe(
  v.object({
    code: v.string(),
    name: v.string(),
    mode: v.string(),
    phase: v.string(),
    players: v.number(),
    max_players: v.number(),
    updated_at: v.number(),
  }),
  v.transform((row) => ({
    code: row.code,
    name: row.name,
    mode: row.mode,
    phase: row.phase,
    players: row.players,
    maxPlayers: row.max_players,
    updatedAt: row.updated_at,
  })),
  DirectoryEntrySchema,
);

const CountRowSchema = v.object({ n: v.number() });
const TimeRowSchema = v.object({ at: v.number() });

export interface ListQuery {
  /** Only lobbies of this mode; null for every mode. */
  readonly mode: string | null;
  readonly limit: number;
  readonly nowMs: number;
  /** The shard count now in force: entries filed under another one are on their way out. */
  readonly shardCount: number;
}

export class ShardStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#sql.exec(SCHEMA);
  }

  /**
   * Records a lobby's state unless a newer state (or a newer "not listable") is already known:
   * reports travel on separate stubs, so they can arrive out of order.
   */
  put(entry: DirectoryEntry, shardCount: number): boolean {
    const unlistedAt = this.#unlistedAt(entry.code);
    if (unlistedAt !== null && unlistedAt >= entry.updatedAt) return false;
    const { rowsWritten } = this.#sql.exec(
      `INSERT INTO entries (${COLUMNS}, shard_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET
         name = excluded.name, mode = excluded.mode, phase = excluded.phase,
         players = excluded.players, max_players = excluded.max_players,
         updated_at = excluded.updated_at, shard_count = excluded.shard_count
       WHERE excluded.updated_at >= entries.updated_at`,
      entry.code,
      entry.name,
      entry.mode,
      entry.phase,
      entry.players,
      entry.maxPlayers,
      entry.updatedAt,
      shardCount,
    );
    return rowsWritten > 0;
  }

  /** The lobby is not listable as of `atMs` (full, private, closed or found stale). */
  unlist(code: string, atMs: number): void {
    this.#sql.exec("DELETE FROM entries WHERE code = ? AND updated_at <= ?", code, atMs);
    this.#sql.exec(
      `INSERT INTO unlisted (code, at) VALUES (?, ?)
       ON CONFLICT (code) DO UPDATE SET at = max(at, excluded.at)`,
      code,
      atMs,
    );
  }

  /** Joinable lobbies, fullest first, then the most recently active. */
  list(query: ListQuery): DirectoryEntry[] {
    const fresh = query.nowMs - ENTRY_TTL_MS;
    const freshIfMoved = query.nowMs - MOVED_ENTRY_TTL_MS;
    const conditions = `updated_at >= ? AND players < max_players
      AND (shard_count = ? OR updated_at >= ?)`;
    const order = "ORDER BY players DESC, updated_at DESC LIMIT ?";
    const cursor =
      query.mode === null
        ? this.#sql.exec(
            `SELECT ${COLUMNS} FROM entries WHERE ${conditions} ${order}`,
            fresh,
            query.shardCount,
            freshIfMoved,
            query.limit,
          )
        : this.#sql.exec(
            `SELECT ${COLUMNS} FROM entries WHERE mode = ? AND ${conditions} ${order}`,
            query.mode,
            fresh,
            query.shardCount,
            freshIfMoved,
            query.limit,
          );
    const entries: DirectoryEntry[] = [];
    for (const row of cursor) {
      const parsed = v.safeParse(EntryRowSchema, row);
      if (parsed.success) entries.push(parsed.output);
      else console.error("directory: skipped an unreadable row", parsed.issues[0]?.message);
    }
    return entries;
  }

  /**
   * Deletes entries whose lease ran out (or that belong to another shard by now) and
   * "not listable" marks older than any report still worth ignoring. Returns the rows left.
   */
  sweep(nowMs: number, shardCount: number): number {
    const expired = nowMs - ENTRY_TTL_MS;
    const movedAway = nowMs - MOVED_ENTRY_TTL_MS;
    // A full scan every few minutes, on purpose: an index on age would cost a row written
    // on every report (billed), while rows read cost a thousandth as much.
    this.#sql.exec(
      "DELETE FROM entries WHERE updated_at < ? AND (updated_at < ? OR shard_count != ?)",
      movedAway,
      expired,
      shardCount,
    );
    this.#sql.exec("DELETE FROM unlisted WHERE at < ?", expired);
    return this.#count("entries") + this.#count("unlisted");
  }

  #unlistedAt(code: string): number | null {
    const row = this.#sql.exec("SELECT at FROM unlisted WHERE code = ?", code).toArray()[0];
    const parsed = v.safeParse(TimeRowSchema, row);
    return parsed.success ? parsed.output.at : null;
  }

  #count(table: "entries" | "unlisted"): number {
    const row = this.#sql.exec(`SELECT COUNT(*) AS n FROM ${table}`).toArray()[0];
    const parsed = v.safeParse(CountRowSchema, row);
    return parsed.success ? parsed.output.n : 0;
  }
}
