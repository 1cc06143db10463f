/**
 * Sends the local avatar to every peer at STATE_HZ on a timer of its own, so the send rate
 * does not follow the display's frame rate (or stop with it).
 */
import { STATE_HZ } from "../../shared/limits.ts";
import { encodeState, type StatePacket } from "../../shared/wire.ts";
import type { AvatarState } from "../sim/avatar.ts";

export interface StateSource {
  readonly state: AvatarState;
  readonly tick: number;
}

export interface StateSink {
  broadcastState(payload: Uint8Array<ArrayBuffer>): number;
}

export class StateBroadcaster {
  readonly #source: StateSource;
  readonly #sink: StateSink;
  #seq = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(source: StateSource, sink: StateSink) {
    this.#source = source;
    this.#sink = sink;
  }

  /** Sequence number of the last packet built (0 before the first). */
  get seq(): number {
    return this.#seq;
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
    this.#seq++;
    const packet: StatePacket = {
      seq: this.#seq,
      tick,
      x: state.x,
      y: state.y,
      vx: state.vx,
      vy: state.vy,
    };
    // Copy out of msgpackr's shared buffer; it is reused by the next encode.
    this.#sink.broadcastState(new Uint8Array(encodeState(packet)));
  }
}
