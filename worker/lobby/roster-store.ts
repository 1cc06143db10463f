/**
 * The lobby's durable state in the Durable Object's SQLite database: settings, phase, host,
 * roster (with each seat's colour, address, resume tokens and ICE grant) and who the host
 * barred. Synchronous: SQLite runs in the object's thread. An object that never becomes a
 * lobby never creates these tables.
 */
import * as v from "valibot";
import { DEFAULT_ROUNDS } from "../../shared/limits.ts";
import {
  IceServerSchema,
  type LobbyPhase,
  type LobbySettings,
  type PeerInfo,
} from "../../shared/protocol.ts";
import type { IceGrant } from "../ice/grant.ts";
import { freeColorSlot } from "./color-slot.ts";

const IceServersSchema = v.array(IceServerSchema);

/**
 * The tables as schema version 4 made them. Every later version is a migration on top, so a
 * lobby stored by version 4 or later still loads after a deploy, and a new lobby is built the
 * same way (its tables cannot differ from a migrated lobby's). Older local state is dropped:
 * nothing older was deployed.
 */
const BASE_VERSION = 4;

const BASE_SCHEMA = `
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

/** Each migration takes the tables from the version before it (the first: 4 → 5). */
const MIGRATIONS: readonly ((sql: SqlStorage) => void)[] = [
  // 5: the number of rounds; a colour per seat; a kick bars the address and name too.
  (sql) => {
    sql.exec(`ALTER TABLE lobby ADD COLUMN rounds INTEGER NOT NULL DEFAULT ${DEFAULT_ROUNDS}`);
    sql.exec("ALTER TABLE peers ADD COLUMN color INTEGER NOT NULL DEFAULT -1");
    sql.exec(`CREATE TABLE barred (
      kind TEXT NOT NULL CHECK (kind IN ('peer', 'address', 'name')),
      value TEXT NOT NULL,
      PRIMARY KEY (kind, value)
    ) WITHOUT ROWID`);
    sql.exec("INSERT INTO barred (kind, value) SELECT 'peer', id FROM kicked_peers");
    sql.exec("DROP TABLE kicked_peers");
    // Seats stored before colours get them now, in join order, as if they had joined with them.
    const held: number[] = [];
    for (const row of sql.exec("SELECT id FROM peers ORDER BY join_order").toArray()) {
      const color = freeColorSlot(held);
      held.push(color);
      sql.exec("UPDATE peers SET color = ? WHERE id = ?", color, text(row, "id"));
    }
  },
  // 6: who hears whom in voice chat; lobbies from before it had everyone hear everyone.
  (sql) => {
    sql.exec("ALTER TABLE lobby ADD COLUMN voice TEXT NOT NULL DEFAULT 'everyone'");
  },
];

export const SCHEMA_VERSION = BASE_VERSION + MIGRATIONS.length;

/** Every table any version made, for dropping state too old to migrate. */
const TABLES = ["schema_version", "lobby", "peers", "kicked_peers", "barred"] as const;

/** What a kick bars from joining again: the seat itself, the address, the name. */
type BarKind = "peer" | "address" | "name";

export interface LobbyRecord {
  readonly code: string;
  readonly settings: LobbySettings;
  readonly phase: LobbyPhase;
  readonly hostId: string | null;
  readonly hostEpoch: number;
  /** Epoch ms since when nobody holds a seat; null while someone does. */
  readonly emptySince: number | null;
  /** Epoch ms when a listed lobby must renew its directory entry; null when not listed. */
  readonly directoryRenewAt: number | null;
}

export interface Seat extends PeerInfo {
  /** The client address the seat was taken (or last resumed) from, for per-address caps. */
  readonly address: string;
  readonly resumeToken: string;
  /** The token the last resume replaced: still accepted until `previousTokenUntil`. */
  readonly previousToken: string | null;
  readonly previousTokenUntil: number | null;
  /** Epoch ms when a disconnected player's seat is given up; null while connected. */
  readonly graceUntil: number | null;
  /** The ICE servers last handed to this seat; reused when it resumes. */
  readonly iceGrant: IceGrant | null;
  /** Epoch ms when this seat needs fresh TURN credentials; null when nothing expires. */
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

function nullableText(row: Row, column: string): string | null {
  const value = row[column];
  return value === null || value === undefined ? null : text(row, column);
}

/** A stored grant, checked like anything read back: a row that does not parse means "mint anew". */
function iceGrantFrom(row: Row): IceGrant | null {
  const json = nullableText(row, "ice_servers");
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = v.safeParse(IceServersSchema, value);
  return parsed.success
    ? { iceServers: parsed.output, expiresAt: nullableInteger(row, "ice_expires_at") }
    : null;
}

function phaseOf(value: string): LobbyPhase {
  return value === "playing" || value === "finished" ? value : "waiting";
}

function seatFrom(row: Row): Seat {
  return {
    id: text(row, "id"),
    name: text(row, "name"),
    color: integer(row, "color"),
    joinOrder: integer(row, "join_order"),
    ready: integer(row, "ready") === 1,
    connected: integer(row, "connected") === 1,
    address: text(row, "address"),
    resumeToken: text(row, "resume_token"),
    previousToken: nullableText(row, "previous_token"),
    previousTokenUntil: nullableInteger(row, "previous_token_until"),
    graceUntil: nullableInteger(row, "grace_until"),
    iceGrant: iceGrantFrom(row),
    iceRefreshAt: nullableInteger(row, "ice_refresh_at"),
  };
}

/** Whether `token` opens this seat: its current token, or the one before within its overlap. */
export function holdsToken(seat: Seat, token: string, nowMs: number): boolean {
  if (sameSecret(token, seat.resumeToken)) return true;
  return (
    seat.previousToken !== null &&
    seat.previousTokenUntil !== null &&
    nowMs < seat.previousTokenUntil &&
    sameSecret(token, seat.previousToken)
  );
}

/** Compares secrets in time that does not depend on where they first differ. */
function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export function publicInfo(seat: Seat): PeerInfo {
  return {
    id: seat.id,
    name: seat.name,
    color: seat.color,
    joinOrder: seat.joinOrder,
    ready: seat.ready,
    connected: seat.connected,
  };
}

export class RosterStore {
  readonly #sql: SqlStorage;
  /** Whether the tables exist. An object that is not a lobby never creates them. */
  #hasTables: boolean;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    // Reading the catalogue writes nothing: addressing a code that is no lobby leaves no trace.
    this.#hasTables =
      this.#sql
        .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lobby'")
        .toArray().length > 0;
    // Before anything reads them: a lobby stored by an earlier version is brought up to date.
    if (this.#hasTables) this.#upgrade();
  }

  /** Creates the tables for a new lobby: the base version, then every migration. */
  #createTables(): void {
    this.#dropTables();
    this.#sql.exec(BASE_SCHEMA);
    this.#sql.exec("INSERT INTO schema_version (version) VALUES (?)", BASE_VERSION);
    this.#hasTables = true;
    this.#upgrade();
  }

  /** Migrates stored tables to SCHEMA_VERSION; drops state older than BASE_VERSION. */
  #upgrade(): void {
    const versioned =
      this.#sql
        .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
        .toArray().length > 0;
    const row = versioned
      ? this.#sql.exec("SELECT version FROM schema_version").toArray()[0]
      : undefined;
    const stored = row ? integer(row, "version") : 0;
    if (stored < BASE_VERSION) {
      this.#dropTables();
      return;
    }
    for (let version = stored; version < SCHEMA_VERSION; version++) {
      MIGRATIONS[version - BASE_VERSION]?.(this.#sql);
    }
    if (stored < SCHEMA_VERSION) {
      this.#sql.exec("UPDATE schema_version SET version = ?", SCHEMA_VERSION);
    }
  }

  #dropTables(): void {
    for (const table of TABLES) this.#sql.exec(`DROP TABLE IF EXISTS ${table}`);
    this.#hasTables = false;
  }

  /** After the lobby's storage was deleted: there are no tables any more. */
  forget(): void {
    this.#hasTables = false;
  }

  lobby(): LobbyRecord | null {
    if (!this.#hasTables) return null;
    const row = this.#sql.exec("SELECT * FROM lobby WHERE id = 1").toArray()[0];
    if (!row) return null;
    return {
      code: text(row, "code"),
      settings: {
        name: text(row, "name"),
        maxPlayers: integer(row, "max_players"),
        visibility: text(row, "visibility") === "public" ? "public" : "private",
        mode: text(row, "mode"),
        rounds: integer(row, "rounds"),
        voice: text(row, "voice") === "proximity" ? "proximity" : "everyone",
      },
      phase: phaseOf(text(row, "phase")),
      hostId: row["host_id"] === null ? null : text(row, "host_id"),
      hostEpoch: integer(row, "host_epoch"),
      emptySince: nullableInteger(row, "empty_since"),
      directoryRenewAt: nullableInteger(row, "directory_renew_at"),
    };
  }

  /** Records the lobby; false when one already lives here (a code collision). */
  createLobby(code: string, settings: LobbySettings, nowMs: number): boolean {
    if (this.lobby()) return false;
    this.#createTables();
    this.#sql.exec(
      `INSERT INTO lobby (id, code, name, max_players, visibility, mode, rounds, voice, phase,
        host_id, host_epoch, next_join_order, created_at, empty_since)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, 'waiting', NULL, 0, 1, ?, ?)`,
      code,
      settings.name,
      settings.maxPlayers,
      settings.visibility,
      settings.mode,
      settings.rounds,
      settings.voice,
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
    if (!this.#hasTables) return [];
    return this.#sql.exec("SELECT * FROM peers ORDER BY join_order").toArray().map(seatFrom);
  }

  seat(id: string): Seat | null {
    if (!this.#hasTables) return null;
    const row = this.#sql.exec("SELECT * FROM peers WHERE id = ?", id).toArray()[0];
    return row ? seatFrom(row) : null;
  }

  /**
   * The seat whose newest token this is. (Leaving takes the newest only: a tab that another
   * tab replaced still holds the token before, and must not end the other tab's seat.)
   */
  seatByToken(token: string): Seat | null {
    if (!this.#hasTables) return null;
    const row = this.#sql.exec("SELECT * FROM peers WHERE resume_token = ?", token).toArray()[0];
    return row ? seatFrom(row) : null;
  }

  /** Seats held (connected or not) that were taken or last resumed from this address. */
  countFromAddress(address: string): number {
    if (!this.#hasTables) return 0;
    const row = this.#sql
      .exec("SELECT COUNT(*) AS n FROM peers WHERE address = ?", address)
      .toArray()[0];
    return row ? integer(row, "n") : 0;
  }

  /** Seats whose player has a socket now (not within a grace window). */
  connectedCount(): number {
    if (!this.#hasTables) return 0;
    const row = this.#sql.exec("SELECT COUNT(*) AS n FROM peers WHERE connected = 1").toArray()[0];
    return row ? integer(row, "n") : 0;
  }

  count(): number {
    if (!this.#hasTables) return 0;
    const row = this.#sql.exec("SELECT COUNT(*) AS n FROM peers").toArray()[0];
    return row ? integer(row, "n") : 0;
  }

  /** Seats another player's name and colour would have to differ from: every seat held. */
  heldNamesAndColors(): { names: string[]; colors: number[] } {
    if (!this.#hasTables) return { names: [], colors: [] };
    const rows = this.#sql.exec("SELECT name, color FROM peers").toArray();
    return {
      names: rows.map((row) => text(row, "name")),
      colors: rows.map((row) => integer(row, "color")),
    };
  }

  addSeat(id: string, name: string, color: number, address: string, resumeToken: string): Seat {
    const row = this.#sql
      .exec(
        "UPDATE lobby SET next_join_order = next_join_order + 1 WHERE id = 1 RETURNING next_join_order - 1 AS join_order",
      )
      .toArray()[0];
    const joinOrder = row ? integer(row, "join_order") : 1;
    this.#sql.exec(
      "INSERT INTO peers (id, name, color, join_order, ready, connected, address, resume_token) VALUES (?, ?, ?, ?, 0, 1, ?, ?)",
      id,
      name,
      color,
      joinOrder,
      address,
      resumeToken,
    );
    return {
      id,
      name,
      color,
      joinOrder,
      ready: false,
      connected: true,
      address,
      resumeToken,
      previousToken: null,
      previousTokenUntil: null,
      graceUntil: null,
      iceGrant: null,
      iceRefreshAt: null,
    };
  }

  /**
   * A resume gives the seat a new token. The presented one stays valid until `overlapUntil`
   * (once: a later resume with it does not extend it), in case the welcome carrying the new
   * one was lost with the connection.
   */
  rotateToken(id: string, presented: string, newToken: string, overlapUntil: number): void {
    this.#sql.exec(
      `UPDATE peers SET
         previous_token_until = CASE WHEN resume_token = ?1 THEN ?3 ELSE previous_token_until END,
         previous_token = CASE WHEN resume_token = ?1 THEN ?1 ELSE previous_token END,
         resume_token = ?2
       WHERE id = ?4`,
      presented,
      newToken,
      overlapUntil,
      id,
    );
  }

  /** True when the player held a seat. */
  removeSeat(id: string): boolean {
    return this.#sql.exec("DELETE FROM peers WHERE id = ?", id).rowsWritten > 0;
  }

  markDisconnected(id: string, graceUntil: number): void {
    this.#sql.exec("UPDATE peers SET connected = 0, grace_until = ? WHERE id = ?", graceUntil, id);
  }

  markConnected(id: string, address: string): void {
    this.#sql.exec(
      "UPDATE peers SET connected = 1, grace_until = NULL, address = ? WHERE id = ?",
      address,
      id,
    );
  }

  setReady(id: string, ready: boolean): void {
    this.#sql.exec("UPDATE peers SET ready = ? WHERE id = ?", ready ? 1 : 0, id);
  }

  clearReady(): void {
    this.#sql.exec("UPDATE peers SET ready = 0");
  }

  /** The seat's ICE servers and when they need refreshing (null: nothing expires). */
  setIceGrant(id: string, grant: IceGrant, refreshAt: number | null): void {
    this.#sql.exec(
      "UPDATE peers SET ice_servers = ?, ice_expires_at = ?, ice_refresh_at = ? WHERE id = ?",
      JSON.stringify(grant.iceServers),
      grant.expiresAt,
      refreshAt,
      id,
    );
  }

  /** Seats whose grace window has run out. */
  expiredSeats(nowMs: number): Seat[] {
    if (!this.#hasTables) return [];
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
    if (!this.#hasTables) return [];
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
    if (!this.#hasTables) return null;
    const row = this.#sql
      .exec(
        `SELECT MIN(t) AS next FROM (
           SELECT grace_until AS t FROM peers WHERE grace_until IS NOT NULL
           UNION ALL SELECT ice_refresh_at FROM peers WHERE connected = 1 AND ice_refresh_at IS NOT NULL)`,
      )
      .toArray()[0];
    return row ? nullableInteger(row, "next") : null;
  }

  /**
   * Bars a kicked player for the lobby's lifetime: their seat (its peer id), the address it
   * was held from, and its name (as `nameKey` gives it).
   */
  bar(peerId: string, address: string, nameKey: string): void {
    for (const [kind, value] of [
      ["peer", peerId],
      ["address", address],
      ["name", nameKey],
    ] satisfies [BarKind, string][]) {
      this.#sql.exec("INSERT OR IGNORE INTO barred (kind, value) VALUES (?, ?)", kind, value);
    }
  }

  /** Whether the host kicked the player of this seat. */
  wasKicked(peerId: string): boolean {
    return this.#isBarred("peer", peerId);
  }

  /** Whether a fresh join from this address, or under any of these name keys, is barred. */
  barsJoin(address: string, nameKeys: readonly string[]): boolean {
    return (
      this.#isBarred("address", address) || nameKeys.some((key) => this.#isBarred("name", key))
    );
  }

  #isBarred(kind: BarKind, value: string): boolean {
    if (!this.#hasTables) return false;
    return (
      this.#sql.exec("SELECT 1 FROM barred WHERE kind = ? AND value = ?", kind, value).toArray()
        .length > 0
    );
  }
}
