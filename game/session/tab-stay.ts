/**
 * What this tab remembers of its stay in a lobby, so that a reload (F5) takes the seat back
 * while the lobby holds it: the lobby code, the seat with its newest resume token, the name,
 * and the chat lines the tab showed. sessionStorage is per tab (a second tab is a second
 * player) and goes with the tab; a tab remembers one stay at a time.
 */

import type { ChatLine, Seat } from "edgeplay/client";
import {
  ColorSlotSchema,
  LobbyCodeSchema,
  PeerIdSchema,
  ResumeTokenSchema,
} from "edgeplay/protocol";
import * as v from "valibot";
import type { GameSession } from "./game-session.ts";

const STORAGE_KEY = "edgeplay.stay";
/** The newest chat lines kept for after a reload. */
export const MAX_STORED_CHAT_LINES = 50;

export interface TabStay {
  readonly code: string;
  /** The name this tab joined with: a seat that is gone is joined afresh under it. */
  readonly name: string;
  readonly seat: Seat;
  readonly chat: readonly ChatLine[];
}

const ChatLineSchema = v.object({
  from: PeerIdSchema,
  name: v.string(),
  color: v.nullable(ColorSlotSchema),
  text: v.string(),
  at: v.number(),
});

const TabStaySchema = v.object({
  code: LobbyCodeSchema,
  name: v.string(),
  seat: v.object({ peerId: PeerIdSchema, token: ResumeTokenSchema }),
  chat: v.pipe(v.array(ChatLineSchema), v.maxLength(MAX_STORED_CHAT_LINES)),
});

/** A stored stay, checked (storage is written by older builds too); null for anything else. */
export function parseTabStay(stored: string | null): TabStay | null {
  if (stored === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    return null;
  }
  const parsed = v.safeParse(TabStaySchema, json);
  return parsed.success ? parsed.output : null;
}

/** This tab's stay in lobby `code`, if it has one. */
export function loadTabStay(code: string): TabStay | null {
  const stay = parseTabStay(readStorage());
  return stay?.code === code ? stay : null;
}

/** The stay ended (left, removed, gone): a reload starts from the link again. */
export function forgetTabStay(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; then there is nothing to forget either.
  }
}

/** Keeps the session's seat (a new token with every welcome) and chat lines in the tab. */
export function keepStayInTab(session: GameSession): void {
  const save = (): void => {
    const seat = session.room.seat;
    if (seat === null) return;
    writeStorage({
      code: session.lobbyCode,
      name: session.playerName,
      seat,
      chat: session.log.entries
        .flatMap((entry): ChatLine[] =>
          entry.kind === "chat"
            ? [
                {
                  from: entry.from,
                  name: entry.name,
                  color: entry.color,
                  text: entry.text,
                  at: entry.at,
                },
              ]
            : [],
        )
        .slice(-MAX_STORED_CHAT_LINES),
    });
  };
  session.room.on("welcome", save);
  session.room.on("chat", save);
}

function readStorage(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStorage(stay: TabStay): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stay));
  } catch {
    // Disabled or full storage: a reload then joins as a new player, as before.
  }
}
