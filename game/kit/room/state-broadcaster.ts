/**
 * The send tick: STATE_HZ on a timer of its own, so the send rate does not follow the
 * display's frame rate (or stop with it). Each tick takes the local avatar as it is now and
 * hands it to the sink (the mesh), which sends it to every peer, each with its own sequence
 * number, and adds clock-sync pings where due. Times are `performance.now()`.
 */
import { STATE_HZ } from "../../../shared/limits.ts";
import type { AvatarState } from "../../sim/avatar.ts";
import type { OutgoingState } from "../netcode/peer-netcode.ts";

export interface StateSource {
  readonly state: AvatarState;
  readonly tick: number;
}

export interface StateSink {
  broadcastState(state: OutgoingState, nowMs: number): void;
}

export class StateBroadcaster {
  readonly #source: StateSource;
  readonly #sink: StateSink;
  #ticks = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(source: StateSource, sink: StateSink) {
    this.#source = source;
    this.#sink = sink;
  }

  /** Send ticks so far (each peer's own sequence numbers count the packets it was sent). */
  get ticks(): number {
    return this.#ticks;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.sendNow(), 1000 / STATE_HZ);
  }

  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  sendNow(): void {
    const { state, tick } = this.#source;
    this.#ticks++;
    this.#sink.broadcastState(
      { tick, x: state.x, y: state.y, vx: state.vx, vy: state.vy },
      performance.now(),
    );
  }
}
