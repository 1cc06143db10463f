/**
 * A lobby as the worker of protocol 3 stored it (schema version 4), written straight into a
 * Lobby object's SQLite database: what a deploy finds in storage. Kept as that version wrote
 * it, on purpose: the migration must load exactly this.
 */
import { runInDurableObject } from "cloudflare:test";
import type { Lobby } from "../../worker/lobby/lobby.ts";

const V4_TABLES = `
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  CREATE TABLE lobby (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    max_players INTEGER NOT NULL,
    visibility TEXT NOT NULL,
    mode TEXT NOT NULL,
    phase TEXT NOT NULL,
    host_id TEXT,
    host_epoch INTEGER NOT NULL,
    next_join_order INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    empty_since INTEGER,
    directory_renew_at INTEGER
  );
  CREATE TABLE peers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_order INTEGER NOT NULL UNIQUE,
    ready INTEGER NOT NULL,
    connected INTEGER NOT NULL,
    address TEXT NOT NULL,
    resume_token TEXT NOT NULL UNIQUE,
    previous_token TEXT,
    previous_token_until INTEGER,
    grace_until INTEGER,
    ice_servers TEXT,
    ice_expires_at INTEGER,
    ice_refresh_at INTEGER
  );
  CREATE TABLE kicked_peers (id TEXT PRIMARY KEY);
`;

export interface V4Seat {
  readonly id: string;
  readonly name: string;
  readonly joinOrder: number;
  readonly resumeToken: string;
}

/** Stores a waiting private lobby of four seats, hosted by the first of `seats`. */
export async function storeV4Lobby(
  stub: DurableObjectStub<Lobby>,
  code: string,
  seats: readonly V4Seat[],
  kickedPeerIds: readonly string[],
): Promise<void> {
  await runInDurableObject(stub, (_lobby, state) => {
    const sql = state.storage.sql;
    sql.exec(V4_TABLES);
    sql.exec("INSERT INTO schema_version (version) VALUES (4)");
    sql.exec(
      `INSERT INTO lobby (id, code, name, max_players, visibility, mode, phase, host_id,
        host_epoch, next_join_order, created_at, empty_since, directory_renew_at)
       VALUES (1, ?, 'Stored before', 4, 'private', 'arena', 'waiting', ?, 1, ?, ?, NULL, NULL)`,
      code,
      seats[0]?.id ?? null,
      Math.max(0, ...seats.map((seat) => seat.joinOrder)) + 1,
      Date.now(),
    );
    for (const seat of seats) {
      sql.exec(
        `INSERT INTO peers (id, name, join_order, ready, connected, address, resume_token)
         VALUES (?, ?, ?, 0, 1, '192.0.2.1', ?)`,
        seat.id,
        seat.name,
        seat.joinOrder,
        seat.resumeToken,
      );
    }
    for (const id of kickedPeerIds) sql.exec("INSERT INTO kicked_peers (id) VALUES (?)", id);
  });
}
