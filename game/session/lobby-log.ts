/**
 * The lobby panel's log: chat lines, and notices in words for what the room reports (joins,
 * leaves, hosts, phases) and for what the session itself wants said. Pure.
 */

import type { ChatLine, RoomNews } from "edgeplay/client";
import { assertNever } from "edgeplay/protocol";
import {
  disconnectedNotice,
  hostNotice,
  joinedNotice,
  leftNotice,
  phaseNotice,
  reconnectedNotice,
} from "./notice-text.ts";

/** The log keeps this many entries; older ones scroll away for good. */
export const MAX_LOG_ENTRIES = 100;

export type LogEntry =
  | {
      readonly kind: "chat";
      readonly from: string;
      readonly name: string;
      /** The sender's colour slot; null for a sender the room never saw. */
      readonly color: number | null;
      readonly text: string;
      readonly at: number;
    }
  | { readonly kind: "notice"; readonly text: string; readonly at: number };

/** What the log needs to know to word a piece of news. */
export interface LogContext {
  readonly selfId: string | null;
  nameOf(peerId: string): string;
}

export class LobbyLog {
  #entries: LogEntry[] = [];

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  /** One piece of the room's news, worded (or nothing, for news the log does not show). */
  add(news: RoomNews, context: LogContext, nowMs: number): void {
    switch (news.type) {
      case "peer-join":
        this.note(joinedNotice(news.peer.name), nowMs);
        return;
      case "peer-leave":
        this.note(leftNotice(news.name, news.reason), nowMs);
        return;
      case "peer-away":
        this.note(disconnectedNotice(context.nameOf(news.peerId)), nowMs);
        return;
      case "peer-back":
        this.note(reconnectedNotice(context.nameOf(news.peerId)), nowMs);
        return;
      case "host-change":
        if (news.hostId === news.previousHostId) return;
        this.note(hostNotice(context.nameOf(news.hostId), news.hostId === context.selfId), nowMs);
        return;
      case "phase":
        this.note(phaseNotice(news.phase), nowMs);
        return;
      case "chat":
        // A line from someone the room never saw named (a sender gone before we joined).
        this.#append({ kind: "chat", ...news.line, name: context.nameOf(news.line.from) });
        return;
      case "peer-ready":
        return;
      default:
        assertNever(news, "room news");
    }
  }

  /** A line of the session's own (about our connection, say). */
  note(text: string, nowMs: number): void {
    this.#append({ kind: "notice", text, at: nowMs });
  }

  /** Chat lines this tab showed before a reload, back in the log. */
  restoreChat(lines: readonly ChatLine[]): void {
    for (const line of lines) this.#append({ kind: "chat", ...line });
  }

  #append(entry: LogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_LOG_ENTRIES) {
      this.#entries = this.#entries.slice(-MAX_LOG_ENTRIES);
    }
  }
}
