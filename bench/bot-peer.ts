/**
 * One bot player: it joins a lobby over the real lobby WebSocket with the game's own
 * `LobbyConnection` (which validates every frame with the shared/protocol.ts schemas), links to
 * every game page in the lobby (`BotLink`) and leaves the other bots alone: the bench measures
 * the page, and bot-to-bot links would only load the shared machine. Bots are told apart by
 * their name.
 */

import {
  apiPaths,
  assertNever,
  type IceServer,
  type PeerInfo,
  type SignalData,
  type Welcome,
} from "edgeplay/protocol";
import { LobbyConnection } from "../game/kit/lobby/lobby-connection.ts";
import type { LobbyEvent } from "../game/kit/lobby/lobby-event.ts";
import type { OutgoingState } from "../game/kit/netcode/peer-netcode.ts";
import { BotLink, type BotLinkReport } from "./bot-link.ts";

export const BOT_NAME_PREFIX = "bot ";
const WELCOME_TIMEOUT_MS = 15_000;

export interface BotReport {
  readonly name: string;
  readonly peerId: string;
  readonly links: readonly BotLinkReport[];
  readonly problems: readonly string[];
}

export class BotPeer {
  readonly name: string;
  readonly peerId: string;
  readonly #connection: LobbyConnection;
  readonly #links = new Map<string, BotLink>();
  readonly #problems: string[] = [];
  #iceServers: readonly IceServer[];

  private constructor(name: string, connection: LobbyConnection, welcome: Welcome) {
    this.name = name;
    this.#connection = connection;
    this.peerId = welcome.peerId;
    this.#iceServers = welcome.iceServers;
    for (const peer of welcome.peers) this.#maybeLink(peer);
  }

  /** Joins lobby `code` at `origin` (http://host:port) as `name`; resolves once welcomed. */
  static join(origin: string, code: string, name: string): Promise<BotPeer> {
    return new Promise((resolve, reject) => {
      let bot: BotPeer | null = null;
      const early: ((bot: BotPeer) => void)[] = [];
      // Frames that arrive before `welcome` is handled wait for the bot to exist.
      const withBot = (action: (bot: BotPeer) => void): void => {
        if (bot) action(bot);
        else early.push(action);
      };
      const timer = setTimeout(() => {
        connection.close();
        reject(new Error(`${name}: no welcome within ${WELCOME_TIMEOUT_MS} ms`));
      }, WELCOME_TIMEOUT_MS);
      const url = `${origin.replace(/^http/, "ws")}${apiPaths.socket(code)}`;
      const connection = new LobbyConnection(url, name, null, {
        onWelcome: (welcome) => {
          clearTimeout(timer);
          bot = new BotPeer(name, connection, welcome);
          for (const action of early.splice(0)) action(bot);
          resolve(bot);
        },
        onEvent: (event) => withBot((b) => b.#onEvent(event)),
        onSignal: (from, data) => withBot((b) => b.#onSignal(from, data)),
        onRelayPacket: () => {},
        onIceServers: (iceServers) =>
          withBot((b) => {
            b.#iceServers = iceServers;
          }),
        onServerError: (code, message) =>
          withBot((b) => b.#problem(`lobby error ${code}: ${message}`)),
        onInvalidFrame: (detail) => withBot((b) => b.#problem(`invalid lobby frame: ${detail}`)),
        onClose: (close) => {
          clearTimeout(timer);
          if (bot === null) reject(new Error(`${name}: lobby closed the socket (${close.code})`));
          else if (!close.byUs) bot.#problem(`lobby socket closed (${close.code})`);
        },
      });
    });
  }

  /** One tick of this bot's avatar to every linked page. */
  tick(state: OutgoingState, nowMs: number): void {
    for (const link of this.#links.values()) link.tick(state, nowMs);
  }

  report(nowMs: number): BotReport {
    return {
      name: this.name,
      peerId: this.peerId,
      links: [...this.#links.values()].map((link) => link.report(nowMs)),
      problems: [...this.#problems],
    };
  }

  /** Leaves the lobby (the pages see `peer-left` at once) and closes every link. */
  leave(): void {
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
    this.#connection.leave();
  }

  #maybeLink(peer: PeerInfo): void {
    if (peer.id === this.peerId || peer.name.startsWith(BOT_NAME_PREFIX)) return;
    this.#link(peer.id);
  }

  #link(remoteId: string): BotLink {
    const existing = this.#links.get(remoteId);
    if (existing) return existing;
    const link = new BotLink({
      localId: this.peerId,
      remoteId,
      iceServers: this.#iceServers,
      signal: (data) => this.#connection.send({ type: "signal", to: remoteId, data }),
      onProblem: (message) => this.#problem(message),
    });
    this.#links.set(remoteId, link);
    return link;
  }

  #onEvent(event: LobbyEvent): void {
    switch (event.type) {
      case "peer-joined":
        this.#maybeLink(event.peer);
        return;
      case "peer-left":
        this.#links.get(event.peerId)?.close();
        this.#links.delete(event.peerId);
        return;
      case "peer-disconnected":
      case "peer-reconnected":
      case "peer-ready":
      case "host-changed":
      case "phase-changed":
      case "chat":
        return;
      default:
        assertNever(event, "lobby event");
    }
  }

  /** Bots never signal each other, so a signal comes from a page: link to it if not yet. */
  #onSignal(from: string, data: SignalData): void {
    this.#link(from).handleSignal(data);
  }

  #problem(message: string): void {
    this.#problems.push(message);
    process.stderr.write(`${this.name}: ${message}\n`);
  }
}
