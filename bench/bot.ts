/**
 * A Node bot that plays the arena: a player built on the public kit (`edgeplay/client`) with
 * node-datachannel for WebRTC, and the arena's own parts for the game. Its avatar is the
 * arena's `LocalPlayer`, simulated here and sent on the arena's `avatar` stream (same name,
 * codec and clock as game/session/game-session.ts, so pages draw it like any player); the shared
 * world is the arena's own `WorldDriver` on the room's world action, so the bot's pickups,
 * claims and score are real, granted by the host like anyone's. It steers for pickups
 * (bot-motion.ts). Like every kit room it links to every other player, bots included.
 */
import {
  connect,
  type Motion,
  type Problem,
  type Room,
  type RoomEnd,
  type Stream,
} from "edgeplay/client";
import { NodePeerConnection } from "edgeplay/client/node";
import { AVATAR_CODEC, AVATAR_STREAM } from "../game/session/avatar-stream.ts";
import { type WorldAction, WorldDriver } from "../game/session/world-driver.ts";
import { randomSpawn } from "../game/sim/avatar.ts";
import { LocalPlayer, SIM_HZ } from "../game/sim/local-player.ts";
import { type Circle, circleOf, nearestPickup, steer } from "./bot-motion.ts";

const JOIN_TIMEOUT_MS = 20_000;
/** Problems kept for a report; the newest win. */
const PROBLEMS_KEPT = 20;

export interface BotOptions {
  /** The lobby service's origin, e.g. http://127.0.0.1:8787. */
  readonly server: string;
  readonly code: string;
  readonly name: string;
  /** This bot's place among `count` bots: spreads their idle circles round the arena. */
  readonly index?: number;
  readonly count?: number;
}

/** One other player as this bot sees it. */
export interface BotPeerReport {
  readonly peerId: string;
  readonly name: string;
  readonly path: string;
  /** Both direct data channels open. */
  readonly channelsOpen: boolean;
  /** That player's avatar states this bot accepted. */
  readonly avatarPackets: number;
  readonly packetsPerSecondIn: number;
  readonly packetsPerSecondOut: number;
  readonly rttMs: number | null;
  readonly sendDrops: number;
}

export interface BotReport {
  readonly name: string;
  readonly peerId: string;
  /** Avatar states sent so far (to each peer). */
  readonly avatarSent: number;
  /** Our score in the host's world; null before its first world arrived. */
  readonly score: number | null;
  readonly peers: readonly BotPeerReport[];
  /** The newest problems the room reported, as log lines. */
  readonly problems: readonly string[];
  /** Every problem the room reported, counted by code. */
  readonly problemCounts: Readonly<Record<string, number>>;
}

export class Bot {
  readonly name: string;
  readonly room: Room;
  readonly player = new LocalPlayer(randomSpawn());
  readonly avatar: Stream<Motion>;
  readonly #worldAction: WorldAction;
  readonly #circle: Circle;
  readonly #problems: string[] = [];
  readonly #problemCounts: Record<string, number> = {};
  /** One per seat, as in the arena: a new peer id is a new player in the world. */
  #world: WorldDriver | null = null;
  #lastMoveMs: number | null = null;

  constructor(options: BotOptions) {
    this.name = options.name;
    this.#circle = circleOf(options.index ?? 0, options.count ?? 1);
    const room = connect({
      server: options.server,
      code: options.code,
      name: options.name,
      platform: { RTCPeerConnection: NodePeerConnection },
    });
    this.room = room;
    this.avatar = room.stream(AVATAR_STREAM, {
      codec: AVATAR_CODEC,
      read: () => this.player.state,
      clock: { tick: () => this.player.tick, hz: SIM_HZ },
    });
    this.#worldAction = WorldDriver.actionOn(room);
    // Before the world's own tick listener (added on welcome): it sees where we moved to.
    room.on("tick", (nowMs) => this.#move(nowMs));
    room.on("welcome", ({ selfId, newSeat }) => {
      if (newSeat) {
        this.#world?.stop();
        this.#world = new WorldDriver(selfId, this.player, room, this.avatar, this.#worldAction);
      }
      if (room.hostId !== null) this.#world?.hostChanged(room.hostId, room.hostEpoch);
      // Always ready: a host never waits for a bot to start the game.
      room.setReady(true);
    });
    room.on("peer-leave", ({ peerId }) => this.#world?.peerLeft(peerId));
    room.on("host-change", ({ hostId, hostEpoch }) => this.#world?.hostChanged(hostId, hostEpoch));
    room.on("problem", (problem) => this.#problem(problem));
    room.on("ended", () => this.#world?.stop());
  }

  /** A bot in lobby `options.code`, once the lobby has welcomed it. */
  static join(options: BotOptions): Promise<Bot> {
    const bot = new Bot(options);
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        bot.leave();
        reject(new Error(`${options.name} could not join ${options.code}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no welcome in ${JOIN_TIMEOUT_MS} ms`), JOIN_TIMEOUT_MS);
      const unsubscribe = [
        bot.room.on("welcome", () => {
          clearTimeout(timer);
          for (const off of unsubscribe) off();
          resolve(bot);
        }),
        bot.room.on("ended", (end) => {
          clearTimeout(timer);
          for (const off of unsubscribe) off();
          fail(describeEnd(end));
        }),
      ];
    });
  }

  /** The arena's world as this bot runs it; null before the first welcome. */
  get world(): WorldDriver | null {
    return this.#world;
  }

  get score(): number | null {
    const selfId = this.room.selfId;
    const view = this.#world?.view(performance.now());
    if (selfId === null || view === undefined || !view.ready) return null;
    return view.scores.find((score) => score.peerId === selfId)?.score ?? 0;
  }

  report(): BotReport {
    const room = this.room;
    return {
      name: this.name,
      peerId: room.selfId ?? "",
      avatarSent: this.avatar.sent,
      score: this.score,
      peers: room.peers.flatMap((peerId) => {
        const stats = room.stats(peerId);
        if (stats === null) return [];
        return [
          {
            peerId,
            name: room.nameOf(peerId) ?? peerId,
            path: stats.path,
            channelsOpen:
              stats.channels.length === 2 && stats.channels.every((c) => c.readyState === "open"),
            avatarPackets: this.avatar.received(peerId),
            packetsPerSecondIn: stats.packetsPerSecondIn,
            packetsPerSecondOut: stats.packetsPerSecondOut,
            rttMs: stats.rttMs,
            sendDrops: stats.sendDrops,
          },
        ];
      }),
      problems: [...this.#problems],
      problemCounts: { ...this.#problemCounts },
    };
  }

  /** Leaves for good: the lobby frees the seat at once and tells the others. */
  leave(): void {
    this.#world?.stop();
    this.room.leave();
  }

  /** Steers, then runs the simulation steps since the last tick, pushed out of the others. */
  #move(nowMs: number): void {
    const elapsedMs = this.#lastMoveMs === null ? 0 : nowMs - this.#lastMoveMs;
    this.#lastMoveMs = nowMs;
    const view = this.#world?.view(nowMs) ?? null;
    const state = this.player.state;
    this.player.setInput(steer(state, nearestPickup(state, view), this.#circle, nowMs));
    const others = this.room.peers.flatMap((id) => {
      const sample = this.avatar.sample(id, nowMs);
      return sample === null ? [] : [{ id, x: sample.x, y: sample.y }];
    });
    this.player.advance(elapsedMs, { selfId: this.room.selfId ?? "", others });
  }

  #problem(problem: Problem): void {
    const peer = problem.peerId === undefined ? "" : ` (${problem.peerId})`;
    const detail = problem.detail === undefined ? "" : `: ${problem.detail}`;
    this.#problems.push(`${problem.code}${peer}${detail}`);
    this.#problemCounts[problem.code] = (this.#problemCounts[problem.code] ?? 0) + 1;
    if (this.#problems.length > PROBLEMS_KEPT) this.#problems.shift();
  }
}

/** Why a stay ended, for a log line. */
export function describeEnd(end: RoomEnd): string {
  return end.reason === "closed"
    ? `the lobby closed the connection (${end.closeCode})`
    : "could not get back into the lobby in time";
}
