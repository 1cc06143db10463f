/**
 * Clock sync over ping/pong on the state channel, NTP style. A ping carries our send time t0;
 * the pong carries it back with the other side's receive and send times t1, t2; we note the
 * arrival t3. Then
 *
 *   round trip = (t3 − t0) − (t2 − t1)      offset = ((t1 − t0) + (t2 − t3)) / 2
 *
 * where offset is their clock minus ours. The offset is exact when both directions take equally
 * long, and off by half the difference otherwise, so (as NTP's clock filter does) it comes from
 * the recent sample with the lowest round trip: the one least delayed by queues. A late or
 * congested sample never moves it. Round-trip mean and deviation are EWMAs like TCP's SRTT and
 * RTTVAR (RFC 6298); the deviation is the jitter the HUD shows.
 */

/** What the pinging side sends: `sentAt` is its own clock in ms. */
export interface Ping {
  readonly id: number;
  readonly sentAt: number;
}

/** The answer: the ping echoed, plus the answering side's clock at arrival and departure. */
export interface Pong {
  readonly id: number;
  readonly pingSentAt: number;
  readonly receivedAt: number;
  readonly sentAt: number;
}

export interface ClockSample {
  readonly rttMs: number;
  /** Their clock minus ours, by this sample. */
  readonly offsetMs: number;
  /** Our clock when the pong arrived. */
  readonly atMs: number;
}

export interface ClockSyncOptions {
  /** The offset is taken from the lowest-RTT sample among this many recent ones. */
  readonly sampleWindow: number;
  readonly pingIntervalMs: number;
  /** The first few pings go faster, so an estimate exists within a second of connecting. */
  readonly warmupPings: number;
  readonly warmupIntervalMs: number;
  /** A ping unanswered this long is counted lost; a later pong for it is rejected. */
  readonly pongTimeoutMs: number;
}

export const DEFAULT_CLOCK_SYNC: ClockSyncOptions = {
  sampleWindow: 8,
  pingIntervalMs: 1000,
  warmupPings: 4,
  warmupIntervalMs: 200,
  pongTimeoutMs: 3000,
};

export interface ClockSyncCounts {
  readonly pingsSent: number;
  readonly pongsAccepted: number;
  /** Unknown, repeated, expired or impossible pongs. */
  readonly pongsRejected: number;
  /** Pings that timed out unanswered (lost on the unreliable channel, either way). */
  readonly pingsLost: number;
}

/** Ping ids are uint32 on the wire. */
const MAX_PING_ID = 0xffff_ffff;
/** RFC 6298 gains: SRTT moves 1/8 and RTTVAR 1/4 of the way per sample. */
const RTT_GAIN = 1 / 8;
const RTT_VAR_GAIN = 1 / 4;

/** The answer to a ping; `receivedAtMs` and `nowMs` are the answering side's clock. */
export function answerPing(ping: Ping, receivedAtMs: number, nowMs: number): Pong {
  return { id: ping.id, pingSentAt: ping.sentAt, receivedAt: receivedAtMs, sentAt: nowMs };
}

export class ClockSync {
  readonly options: ClockSyncOptions;
  /** Ping id → our send time, for pings not answered yet (insertion order = send order). */
  readonly #outstanding = new Map<number, number>();
  #samples: ClockSample[] = [];
  #nextId = 1;
  #lastPingAtMs: number | null = null;
  #srttMs: number | null = null;
  #rttVarMs: number | null = null;
  #pingsSent = 0;
  #pongsAccepted = 0;
  #pongsRejected = 0;
  #pingsLost = 0;

  constructor(options: Partial<ClockSyncOptions> = {}) {
    this.options = { ...DEFAULT_CLOCK_SYNC, ...options };
  }

  /** Their clock minus ours, ms; null before the first sample. */
  get offsetMs(): number | null {
    return this.#bestSample()?.offsetMs ?? null;
  }

  /** Smoothed round trip (SRTT), ms. */
  get rttMs(): number | null {
    return this.#srttMs;
  }

  /** Round-trip mean deviation (RTTVAR), ms: the jitter to show. */
  get jitterMs(): number | null {
    return this.#rttVarMs;
  }

  /** Lowest round trip among recent samples: the path's floor, without queueing. */
  get minRttMs(): number | null {
    return this.#bestSample()?.rttMs ?? null;
  }

  get counts(): ClockSyncCounts {
    return {
      pingsSent: this.#pingsSent,
      pongsAccepted: this.#pongsAccepted,
      pongsRejected: this.#pongsRejected,
      pingsLost: this.#pingsLost,
    };
  }

  /** Their clock reading at the moment our clock reads `localMs`; null before a sample. */
  toRemoteTime(localMs: number): number | null {
    const offset = this.offsetMs;
    return offset === null ? null : localMs + offset;
  }

  toLocalTime(remoteMs: number): number | null {
    const offset = this.offsetMs;
    return offset === null ? null : remoteMs - offset;
  }

  /** Whether it is time to send the next ping. */
  pingDue(nowMs: number): boolean {
    if (this.#lastPingAtMs === null) return true;
    const { warmupPings, warmupIntervalMs, pingIntervalMs } = this.options;
    const interval = this.#pingsSent < warmupPings ? warmupIntervalMs : pingIntervalMs;
    return nowMs - this.#lastPingAtMs >= interval;
  }

  /** A new ping to send now; its pong is expected within the timeout. */
  createPing(nowMs: number): Ping {
    this.#expire(nowMs);
    const id = this.#nextId;
    this.#nextId = id >= MAX_PING_ID ? 1 : id + 1;
    this.#outstanding.set(id, nowMs);
    this.#lastPingAtMs = nowMs;
    this.#pingsSent++;
    return { id, sentAt: nowMs };
  }

  /** Takes a pong that arrived at `nowMs`; returns its sample, or null if it was rejected. */
  onPong(pong: Pong, nowMs: number): ClockSample | null {
    this.#expire(nowMs);
    const sample = this.#sampleFrom(pong, nowMs);
    if (sample === null) {
      this.#pongsRejected++;
      return null;
    }
    this.#outstanding.delete(pong.id);
    this.#pongsAccepted++;
    this.#updateRtt(sample.rttMs);
    this.#samples.push(sample);
    if (this.#samples.length > this.options.sampleWindow) this.#samples.shift();
    return sample;
  }

  #sampleFrom(pong: Pong, nowMs: number): ClockSample | null {
    const sentAt = this.#outstanding.get(pong.id);
    // Unknown, already answered or expired, or not the time we sent: not our ping.
    if (sentAt === undefined || sentAt !== pong.pingSentAt) return null;
    const holdMs = pong.sentAt - pong.receivedAt;
    const rttMs = nowMs - sentAt - holdMs;
    if (!(holdMs >= 0) || !(rttMs >= 0)) return null;
    const offsetMs = (pong.receivedAt - sentAt + (pong.sentAt - nowMs)) / 2;
    return { rttMs, offsetMs, atMs: nowMs };
  }

  #updateRtt(rttMs: number): void {
    if (this.#srttMs === null || this.#rttVarMs === null) {
      this.#srttMs = rttMs;
      this.#rttVarMs = rttMs / 2;
      return;
    }
    // RTTVAR first, with the old SRTT, as RFC 6298 orders it.
    this.#rttVarMs += (Math.abs(this.#srttMs - rttMs) - this.#rttVarMs) * RTT_VAR_GAIN;
    this.#srttMs += (rttMs - this.#srttMs) * RTT_GAIN;
  }

  #bestSample(): ClockSample | null {
    let best: ClockSample | null = null;
    for (const sample of this.#samples) {
      if (best === null || sample.rttMs < best.rttMs) best = sample;
    }
    return best;
  }

  #expire(nowMs: number): void {
    for (const [id, sentAt] of this.#outstanding) {
      if (nowMs - sentAt < this.options.pongTimeoutMs) break;
      this.#outstanding.delete(id);
      this.#pingsLost++;
    }
  }
}
