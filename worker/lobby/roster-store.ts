/**
 * The lobby's durable state in the Durable Object's SQLite database: the lobby row and the
 * roster. Everything here is synchronous (SQLite runs in the object's own thread).
 */
import type { PeerInfo } from "../../shared/protocol.ts";

export interface LobbyRecord {
  readonly code: string;
  readonly createdAt: number;
  readonly maxPlayers: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS lobby (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    max_players INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS peers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_order INTEGER NOT NULL UNIQUE
  );
`;

function toStringValue(value: SqlStorageValue): string {
  return typeof value === "string" ? value : String(value);
}

function toNumberValue(value: SqlStorageValue): number {
  return typeof value === "number" ? value : Number(value);
}

export class RosterStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#sql.exec(SCHEMA);
  }

  lobby(): LobbyRecord | null {
    const row = this.#sql
      .exec("SELECT code, created_at, max_players FROM lobby WHERE id = 1")
      .toArray()[0];
    if (!row) return null;
    return {
      code: toStringValue(row["code"] ?? ""),
      createdAt: toNumberValue(row["created_at"] ?? 0),
      maxPlayers: toNumberValue(row["max_players"] ?? 0),
    };
  }

  /** Records the lobby; false when one already lives here (a code collision). */
  createLobby(record: LobbyRecord): boolean {
    if (this.lobby()) return false;
    this.#sql.exec(
      "INSERT INTO lobby (id, code, created_at, max_players) VALUES (1, ?, ?, ?)",
      record.code,
      record.createdAt,
      record.maxPlayers,
    );
    return true;
  }

  /** Players in join order. */
  peers(): PeerInfo[] {
    return this.#sql
      .exec("SELECT id, name FROM peers ORDER BY join_order")
      .toArray()
      .map((row) => ({
        id: toStringValue(row["id"] ?? ""),
        name: toStringValue(row["name"] ?? ""),
      }));
  }

  count(): number {
    const row = this.#sql.exec("SELECT COUNT(*) AS n FROM peers").toArray()[0];
    return toNumberValue(row?.["n"] ?? 0);
  }

  addPeer(peer: PeerInfo): void {
    this.#sql.exec(
      "INSERT INTO peers (id, name, join_order) VALUES (?, ?, (SELECT COALESCE(MAX(join_order), 0) + 1 FROM peers))",
      peer.id,
      peer.name,
    );
  }

  /** True when the peer was on the roster. */
  removePeer(id: string): boolean {
    return this.#sql.exec("DELETE FROM peers WHERE id = ?", id).rowsWritten > 0;
  }
}
