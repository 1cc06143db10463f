/**
 * The lobby's durable state in the Durable Object's SQLite database: settings, phase, host,
 * roster, resume tokens and revoked tokens. Synchronous: SQLite runs in the object's thread.
 */
import type { LobbyPhase, LobbySettings, PeerInfo } from "../../shared/protocol.ts";

/** Bump when the tables change shape; older local state is dropped (nothing is deployed yet). */
const SCHEMA_VERSION = 3;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS lobby (
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
  CREATE TABLE IF NOT EXISTS peers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_order INTEGER NOT NULL UNIQUE,
    ready INTEGER NOT NULL,
    connected INTEGER NOT NULL,
    resume_token TEXT NOT NULL UNIQUE,
    grace_until INTEGER,
    ice_refresh_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS revoked_tokens (token TEXT PRIMARY KEY);
`;

export interface LobbyRecord {
  readonly code: string;
  readonly settings: LobbySettings;
  readonly phase: LobbyPhase;
  readonly hostId: string | null;
  readonly hostEpoch: number;
  readonly createdAt: number;
  /** Epoch ms since when nobody holds a seat; null while someone does. */
  readonly emptySince: number | null;
  /** Epoch ms when a listed lobby must renew its directory entry; null when not listed. */
  readonly directoryRenewAt: number | null;
}

export interface Seat extends PeerInfo {
  readonly resumeToken: string;
  /** Epoch ms when a disconnected player's seat is given up; null while connected. */
  readonly graceUntil: number | null;
  /** Epoch ms when this player's TURN credentials should be refreshed; null without TURN. */
  readonly iceRefreshAt: number | null;
}

type Row = Record<string, SqlStorageValue>;

function text(row: Row, column: string): string {
  const value = row[column];
  return typeof value === "string" ? value : String(value ?? "");
}

function integer(row: Row, column: string): number {
  const value = row[column];
  return typeof value === "number" ? value : Number(value ?? 0);
}

function nullableInteger(row: Row, column: string): number | null {
  const value = row[column];
  return value === null || value === undefined ? null : integer(row, column);
}

function phaseOf(value: string): LobbyPhase {
  return value === "playing" || value === "finished" ? value : "waiting";
}

function seatFrom(row: Row): Seat {
  return {
    id: text(row, "id"),
    name: text(row, "name"),
    joinOrder: integer(row, "join_order"),
    ready: integer(row, "ready") === 1,
    connected: integer(row, "connected") === 1,
    resumeToken: text(row, "resume_token"),
    graceUntil: nullableInteger(row, "grace_until"),
    iceRefreshAt: nullableInteger(row, "ice_refresh_at"),
  };
}

export function publicInfo(seat: Seat): PeerInfo {
  return {
    id: seat.id,
    name: seat.name,
    joinOrder: seat.joinOrder,
    ready: seat.ready,
    connected: seat.connected,
  };
}

export class RosterStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.ensureSchema();
  }

  /** Creates the tables (again after `deleteAll`), dropping local state of an older shape. */
  ensureSchema(): void {
    this.#sql.exec(SCHEMA);
    const row = this.#sql.exec("SELECT version FROM schema_version").toArray()[0];
    if (row && integer(row, "version") === SCHEMA_VERSION) return;
    this.#sql.exec(
      "DROP TABLE IF EXISTS lobby; DROP TABLE IF EXISTS peers; DROP TABLE IF EXISTS revoked_tokens;",
    );
    this.#sql.exec("DELETE FROM schema_version");
    this.#sql.exec(SCHEMA);
    this.#sql.exec("INSERT INTO schema_version (version) VALUES (?)", SCHEMA_VERSION);
  }

  lobby(): LobbyRecord | null {
    const row = this.#sql.exec("SELECT * FROM lobby WHERE id = 1").toArray()[0];
    if (!row) return null;
    return {
      code: text(row, "code"),
      settings: {
        name: text(row, "name"),
        maxPlayers: integer(row, "max_players"),
        visibility: text(row, "visibility") === "public" ? "public" : "private",
        mode: text(row, "mode"),
      },
      phase: phaseOf(text(row, "phase")),
      hostId: row["host_id"] === null ? null : text(row, "host_id"),
      hostEpoch: integer(row, "host_epoch"),
      createdAt: integer(row, "created_at"),
      emptySince: nullableInteger(row, "empty_since"),
      directoryRenewAt: nullableInteger(row, "directory_renew_at"),
    };
  }

  /** Records the lobby; false when one already lives here (a code collision). */
  createLobby(code: string, settings: LobbySettings, nowMs: number): boolean {
    if (this.lobby()) return false;
    this.#sql.exec(
      `INSERT INTO lobby (id, code, name, max_players, visibility, mode, phase, host_id, host_epoch,
        next_join_order, created_at, empty_since)
       VALUES (1, ?, ?, ?, ?, ?, 'waiting', NULL, 0, 1, ?, ?)`,
      code,
      settings.name,
      settings.maxPlayers,
      settings.visibility,
      settings.mode,
      nowMs,
      nowMs,
    );
    return true;
  }

  setPhase(phase: LobbyPhase): void {
    this.#sql.exec("UPDATE lobby SET phase = ? WHERE id = 1", phase);
  }

  setHost(hostId: string | null, hostEpoch: number): void {
    this.#sql.exec("UPDATE lobby SET host_id = ?, host_epoch = ? WHERE id = 1", hostId, hostEpoch);
  }

  setDirectoryRenewAt(at: number | null): void {
    this.#sql.exec("UPDATE lobby SET directory_renew_at = ? WHERE id = 1", at);
  }

  setEmptySince(emptySince: number | null): void {
    this.#sql.exec("UPDATE lobby SET empty_since = ? WHERE id = 1", emptySince);
  }

  /** Everyone holding a seat (connected or within the grace window), in join order. */
  seats(): Seat[] {
    return this.#sql.exec("SELECT * FROM peers ORDER BY join_order").toArray().map(seatFrom);
  }

  seat(id: string): Seat | null {
    const row = this.#sql.exec("SELECT * FROM peers WHERE id = ?", id).toArray()[0];
    return row ? seatFrom(row) : null;
  }

  seatByToken(token: string): Seat | null {
    const row = this.#sql.exec("SELECT * FROM peers WHERE resume_token = ?", token).toArray()[0];
    return row ? seatFrom(row) : null;
  }

  count(): number {
    const row = this.#sql.exec("SELECT COUNT(*) AS n FROM peers").toArray()[0];
    return row ? integer(row, "n") : 0;
  }

  addSeat(id: string, name: string, resumeToken: string): Seat {
    const row = this.#sql
      .exec(
        "UPDATE lobby SET next_join_order = next_join_order + 1 WHERE id = 1 RETURNING next_join_order - 1 AS join_order",
      )
      .toArray()[0];
    const joinOrder = row ? integer(row, "join_order") : 1;
    this.#sql.exec(
      "INSERT INTO peers (id, name, join_order, ready, connected, resume_token) VALUES (?, ?, ?, 0, 1, ?)",
      id,
      name,
      joinOrder,
      resumeToken,
    );
    return {
      id,
      name,
      joinOrder,
      ready: false,
      connected: true,
      resumeToken,
      graceUntil: null,
      iceRefreshAt: null,
    };
  }

  /** True when the player held a seat. */
  removeSeat(id: string): boolean {
    return this.#sql.exec("DELETE FROM peers WHERE id = ?", id).rowsWritten > 0;
  }

  markDisconnected(id: string, graceUntil: number): void {
    this.#sql.exec("UPDATE peers SET connected = 0, grace_until = ? WHERE id = ?", graceUntil, id);
  }

  markConnected(id: string): void {
    this.#sql.exec("UPDATE peers SET connected = 1, grace_until = NULL WHERE id = ?", id);
  }

  setReady(id: string, ready: boolean): void {
    this.#sql.exec("UPDATE peers SET ready = ? WHERE id = ?", ready ? 1 : 0, id);
  }

  clearReady(): void {
    this.#sql.exec("UPDATE peers SET ready = 0");
  }

  setIceRefreshAt(id: string, at: number | null): void {
    this.#sql.exec("UPDATE peers SET ice_refresh_at = ? WHERE id = ?", at, id);
  }

  /** Seats whose grace window has run out. */
  expiredSeats(nowMs: number): Seat[] {
    return this.#sql
      .exec(
        "SELECT * FROM peers WHERE grace_until IS NOT NULL AND grace_until <= ? ORDER BY join_order",
        nowMs,
      )
      .toArray()
      .map(seatFrom);
  }

  /** Connected seats whose TURN credentials are due for a refresh. */
  iceRefreshDue(nowMs: number): Seat[] {
    return this.#sql
      .exec(
        "SELECT * FROM peers WHERE connected = 1 AND ice_refresh_at IS NOT NULL AND ice_refresh_at <= ?",
        nowMs,
      )
      .toArray()
      .map(seatFrom);
  }

  /** The earliest time something in the roster needs the alarm, or null. */
  nextRosterDeadline(): number | null {
    const row = this.#sql
      .exec(
        `SELECT MIN(t) AS next FROM (
           SELECT grace_until AS t FROM peers WHERE grace_until IS NOT NULL
           UNION ALL SELECT ice_refresh_at FROM peers WHERE connected = 1 AND ice_refresh_at IS NOT NULL)`,
      )
      .toArray()[0];
    return row ? nullableInteger(row, "next") : null;
  }

  revokeToken(token: string): void {
    this.#sql.exec("INSERT OR IGNORE INTO revoked_tokens (token) VALUES (?)", token);
  }

  isRevoked(token: string): boolean {
    return (
      this.#sql.exec("SELECT 1 FROM revoked_tokens WHERE token = ?", token).toArray().length > 0
    );
  }
}
