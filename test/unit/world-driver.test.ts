/**
 * The game's world driver on a stand-in room: what one peer's packets cost, that nothing the
 * world does can throw into the room's tick or an action listener, that its sends go out as the
 * world action, and that the host's match follows the lobby's phase.
 */
import type {
  Action,
  ActionSchema,
  DropReason,
  Motion,
  Path,
  PeerStats,
  RoomEvents,
  SendOptions,
} from "edgeplay/client";
import { DEFAULT_ROUNDS, type LobbyPhase } from "edgeplay/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Emitter } from "../../game/kit/room/emitter.ts";
import {
  WORLD_ACTION,
  type WorldAction,
  WorldDriver,
  type WorldRoom,
} from "../../game/session/world-driver.ts";
import { type GameEvent, GameEventSchema } from "../../game/world/events-wire.ts";
import { DEFAULT_WORLD_CONFIG } from "../../game/world/world-config.ts";

const NO_DROPS: Readonly<Record<DropReason, number>> = {
  "too-large": 0,
  junk: 0,
  "unknown-stream": 0,
  "unknown-action": 0,
  invalid: 0,
};

/**
 * A room whose peers, paths, phase and ticks the test sets; it counts how often `peers` is read
 * and records the phases asked of the lobby (which answers, if at all, as news: `phase`).
 */
class StandInRoom implements WorldRoom {
  peerReads = 0;
  others: string[] = [];
  phase: LobbyPhase = "waiting";
  readonly settings = null;
  readonly phasesAsked: LobbyPhase[] = [];
  readonly paths = new Map<string, Path>();
  reliableDrops: Record<DropReason, number> = { ...NO_DROPS };
  /** Errors that escaped a listener into the room (there must be none). */
  readonly escaped: unknown[] = [];
  readonly #events = new Emitter<RoomEvents>((_event, error) => this.escaped.push(error));

  get peers(): readonly string[] {
    this.peerReads++;
    return this.others;
  }

  on<K extends keyof RoomEvents>(event: K, listener: RoomEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  reachable(peerId: string): boolean {
    const path = this.paths.get(peerId);
    return path !== undefined && path !== "none";
  }

  stats(peerId: string): PeerStats | null {
    const path = this.paths.get(peerId);
    return path === undefined ? null : statsWith(peerId, path);
  }

  get drops(): WorldRoom["drops"] {
    return { stream: NO_DROPS, reliable: { ...this.reliableDrops } };
  }

  setPhase(phase: LobbyPhase): boolean {
    this.phasesAsked.push(phase);
    return true;
  }

  /** One network tick, as the room runs it. */
  tick(nowMs = performance.now()): void {
    this.#events.emit("tick", nowMs);
  }
}

/** The world action: records sends (or throws, to stand for a bug), delivers from peers. */
class StandInAction implements WorldAction {
  readonly name = WORLD_ACTION;
  failSends = false;
  readonly sent: { event: GameEvent; to: string | undefined }[] = [];
  readonly listeners = new Set<(message: GameEvent, from: string) => void>();

  send(message: GameEvent, options: SendOptions = {}): number {
    if (this.failSends) throw new Error("send failed");
    this.sent.push({ event: message, to: options.to });
    return 1;
  }

  on(listener: (message: GameEvent, from: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A validated message from a peer, as the room's actions hand it over. */
  deliver(message: GameEvent, from: string): void {
    for (const listener of [...this.listeners]) listener(message, from);
  }
}

function statsWith(id: string, path: Path): PeerStats {
  return {
    id,
    path,
    rttMs: 20,
    jitterMs: 1,
    lossPercent: 0,
    packetsPerSecondIn: 0,
    packetsPerSecondOut: 0,
    bytesPerSecondIn: 0,
    bytesPerSecondOut: 0,
    sendDrops: 0,
    streamSendDrops: 0,
    receiveDrops: 0,
    edgePacketsIn: 0,
    edgePacketsOut: 0,
    interpolationDelayMs: null,
    arrivalJitterMs: 0,
    connectionState: "none",
    polite: false,
    channels: [],
    channelsOpenAt: null,
    audioIn: null,
    audioOut: null,
    audio: null,
  };
}

/** Nobody's avatar has arrived: counts how often the driver samples. */
function standInMotion() {
  const motion = {
    samples: 0,
    sample(_peerId: string, _nowMs: number): Motion | null {
      motion.samples++;
      return null;
    },
  };
  return motion;
}

const player = { state: { x: 10, y: 10, vx: 0, vy: 0 }, tick: 0 };

function driverFor(selfId: string) {
  const room = new StandInRoom();
  const action = new StandInAction();
  const motion = standInMotion();
  const driver = new WorldDriver(selfId, player, room, motion, action);
  return { driver, room, action, motion };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the world driver", () => {
  it("does no tick per packet: a flood of claims costs a decode and a queue check each", () => {
    const { driver, room, action, motion } = driverFor("h");
    driver.hostChanged("h", 1);
    const reads = room.peerReads;
    const claim: GameEvent = { type: "claim-pickup", pickupId: 1, tick: 1 };
    for (let i = 0; i < 1_000; i++) action.deliver(claim, "p");
    expect(room.peerReads).toBe(reads);
    expect(motion.samples).toBe(0);
    room.tick();
    expect(room.peerReads).toBe(reads + 1);
    // One queued claim per player and pickup: decided once.
    expect(driver.world.decisions).toHaveLength(1);
    expect(driver.snapshot().counts).toMatchObject({ duplicateClaims: 999 });
    expect(room.escaped).toEqual([]);
  });

  it("counts a failure to send instead of throwing into the room's tick or an action listener", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { driver, room, action } = driverFor("h");
    action.failSends = true;
    // Our first world as host, then a refusal of a claim (in the warm-up no round runs).
    expect(() => driver.hostChanged("h", 1)).not.toThrow();
    expect(() =>
      action.deliver({ type: "claim-pickup", pickupId: 0xffff, tick: 1 }, "p"),
    ).not.toThrow();
    expect(() => room.tick()).not.toThrow();
    expect(room.escaped).toEqual([]);
    expect(driver.snapshot().droppedEvents).toEqual({ ...NO_DROPS, failed: 2 });
    expect(driver.world.decisions.map((d) => d.outcome)).toEqual(["no-round"]);
    // The first failure is logged; later ones are most likely the same bug again.
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it("sends the world to everyone and a refusal to its claimant alone, as the world action", () => {
    const { driver, room, action } = driverFor("h");
    driver.hostChanged("h", 1);
    action.deliver({ type: "claim-pickup", pickupId: 0xffff, tick: 1 }, "p");
    // Claims are decided on the tick, all at once.
    expect(action.sent).toHaveLength(1);
    room.tick();
    expect(action.sent.map(({ event, to }) => [event.type, to])).toEqual([
      ["world", undefined],
      ["claim-rejected", "p"],
    ]);
  });

  it("sends a peer the world when its path opens, and again when it moves to another path", () => {
    const { driver, room, action } = driverFor("h");
    driver.hostChanged("h", 1);
    const before = action.sent.length;
    room.others = ["p"];
    room.paths.set("p", "none");
    room.tick();
    expect(action.sent.slice(before).filter(({ to }) => to === "p")).toEqual([]);
    room.paths.set("p", "edge");
    room.tick();
    room.tick();
    room.paths.set("p", "direct");
    room.tick();
    const toP = action.sent.slice(before).filter(({ to }) => to === "p");
    expect(toP.map(({ event }) => event.type)).toEqual(["world", "world"]);
  });

  it("shows the world's counts in its snapshot", () => {
    const { driver, action } = driverFor("p");
    driver.hostChanged("h", 1);
    action.deliver({ type: "claim-pickup", pickupId: 1, tick: 1 }, "x");
    const refusal: GameEvent = {
      type: "claim-rejected",
      hostEpoch: 1,
      pickupId: 1,
      reason: "taken",
    };
    action.deliver(refusal, "x");
    action.deliver({ ...refusal, hostEpoch: 3 }, "h");
    expect(driver.snapshot().counts).toMatchObject({ claimsToNonHost: 1, refusalsNotFromHost: 2 });
  });

  it("shows the room's reliable drops beside its own failures", () => {
    const { driver, room } = driverFor("p");
    room.reliableDrops["unknown-action"] = 2;
    room.reliableDrops.invalid = 1;
    expect(driver.snapshot().droppedEvents).toEqual({
      ...NO_DROPS,
      "unknown-action": 2,
      invalid: 1,
    });
  });

  it("hears nothing more once stopped", () => {
    const { driver, room, action } = driverFor("h");
    driver.hostChanged("h", 1);
    driver.stop();
    expect(action.listeners.size).toBe(0);
    const reads = room.peerReads;
    action.deliver({ type: "claim-pickup", pickupId: 1, tick: 1 }, "p");
    room.tick();
    expect(room.peerReads).toBe(reads);
    expect(driver.world.decisions).toEqual([]);
  });

  it("runs the host's match as the lobby's phase says, and asks once to finish a match that ended", () => {
    const { driver, room } = driverFor("h");
    driver.hostChanged("h", 1);
    // Whole milliseconds: the test adds up stage lengths the world adds one by one, which agree
    // exactly only for integers (a fractional start failed about one run in seven).
    const start = Math.ceil(performance.now());
    room.tick(start);
    expect(driver.view(start)).toMatchObject({ isHost: true, stage: "warmup", scoring: false });
    room.phase = "playing";
    room.tick(start + 10);
    expect(driver.view(start + 10)).toMatchObject({
      stage: "countdown",
      round: 1,
      rounds: DEFAULT_ROUNDS,
    });
    // Every round with its countdown and results, late ticks included: the match ends itself.
    const { countdownMs, roundMs, resultsMs } = DEFAULT_WORLD_CONFIG;
    const matchEnd = start + 10 + DEFAULT_ROUNDS * (countdownMs + roundMs + resultsMs);
    room.tick(matchEnd - resultsMs - 1);
    expect(driver.view(matchEnd - resultsMs - 1)).toMatchObject({ stage: "round", round: 3 });
    room.tick(matchEnd);
    expect(driver.view(matchEnd).stage).toBe("podium");
    // The lobby still says playing: it is asked to finish, once, however many ticks pass.
    for (let i = 1; i <= 5; i++) room.tick(matchEnd + i);
    expect(room.phasesAsked).toEqual(["finished"]);
    room.phase = "finished";
    room.tick(matchEnd + 10);
    expect(room.phasesAsked).toEqual(["finished"]);
    expect(driver.view(matchEnd + 10).stage).toBe("podium");
    // Play again: the lobby reopens and the world goes back to the warm-up.
    room.phase = "waiting";
    room.tick(matchEnd + 20);
    expect(driver.view(matchEnd + 20)).toMatchObject({ stage: "warmup", round: 0 });
  });

  it("ends the running round on the host's command, and only the host's", () => {
    const host = driverFor("h");
    host.room.phase = "playing";
    host.driver.hostChanged("h", 1);
    const start = performance.now();
    host.room.tick(start);
    host.room.tick(start + DEFAULT_WORLD_CONFIG.countdownMs);
    expect(host.driver.view(start + DEFAULT_WORLD_CONFIG.countdownMs).stage).toBe("round");
    const before = host.action.sent.length;
    expect(host.driver.endRound()).toBe(true);
    const sent = host.action.sent.slice(before).map(({ event }) => event);
    expect(sent).toMatchObject([{ type: "world", stage: "results", round: 1 }]);

    const player = driverFor("p");
    player.driver.hostChanged("h", 1);
    expect(player.driver.endRound()).toBe(false);
    expect(player.action.sent).toEqual([]);
  });

  it("declares the world action under its versioned name, checked by the events schema", () => {
    const declared: { name: string; schema: unknown }[] = [];
    const action = WorldDriver.actionOn({
      action<T>(name: string, schema: ActionSchema<T>): Action<T> {
        declared.push({ name, schema });
        return { name, send: () => 0, on: () => () => undefined };
      },
    });
    expect(action.name).toBe(WORLD_ACTION);
    expect(declared).toEqual([{ name: WORLD_ACTION, schema: GameEventSchema }]);
  });
});
