/**
 * A room's streams: state on the unreliable channel, latest wins. Each network tick, every
 * stream that is due reads our value once and encodes it once; the mesh frames it for each
 * peer (their own sequence numbers). Each peer's packets go into a `RemoteStream` per stream,
 * which a game samples, interpolated a little in the past.
 */

import type { Blend } from "../netcode/blend.ts";
import type { OutgoingStream } from "../netcode/peer-netcode.ts";
import { RemoteStream } from "../netcode/remote-stream.ts";
import { errorDetail, type Problem, ProblemCode } from "../problems.ts";
import type { StreamPlayout } from "../stats.ts";
import {
  MAX_COUNTER,
  MAX_HZ,
  MAX_STREAM_DATA_BYTES,
  noDrops,
  type StreamPacket,
} from "../wire/state-channel.ts";
import type { StreamCodec } from "../wire/stream-codec.ts";
import { StreamRegistry, type StreamValue } from "../wire/stream-registry.ts";

/** The sender's simulation clock: the tick a value belongs to, and ticks per second. */
export interface StreamClock {
  readonly tick: () => number;
  readonly hz: number;
}

export interface StreamOptions<T> {
  readonly codec: StreamCodec<T> & Partial<Blend<T>>;
  /** Packets per second to each peer; at most the room's tick rate (the default). */
  readonly hz?: number;
  /** Our value now; null (or no `read`) sends nothing: a stream we only receive. */
  readonly read?: () => T | null;
  /**
   * Which simulation tick the value `read` gives belongs to: the receiver places values on
   * the sender's timeline by it. Default: the stream's own sends, at `hz`.
   */
  readonly clock?: StreamClock;
  /** How to draw between values; default: the codec's own blend if it has one, else steps. */
  readonly blend?: Blend<T>;
  /** How far past the newest value `beyond` may guess before holding, ms (default 120). */
  readonly maxExtrapolationMs?: number;
}

/** One stream as its game sees it. */
export interface Stream<T> {
  readonly name: string;
  /** Values sent so far (each peer's packets carry their own sequence numbers). */
  readonly sent: number;
  /** A peer's value at `nowMs` (platform time), interpolated; null until one arrived. */
  sample(peerId: string, nowMs: number): T | null;
  /** The newest value a peer sent, as it came (no interpolation); null until one arrived. */
  latest(peerId: string): { readonly seq: number; readonly tick: number; readonly value: T } | null;
  /** Packets from a peer this stream accepted (not duplicates, not stale). */
  received(peerId: string): number;
}

const NO_PLAYOUT: StreamPlayout = { interpolationDelayMs: null, arrivalJitterMs: 0 };

/** Who sent a stream packet, and when it arrived. */
interface Arrival {
  readonly peerId: string;
  readonly nowMs: number;
}

/** The type-erased face of a stream, for the set that runs them all. */
interface RunningStream {
  readonly name: string;
  /** This tick's packet, encoded once for every peer; null when not due or nothing to say. */
  due(): OutgoingStream | null;
  playout(peerId: string): StreamPlayout | null;
  forget(peerId: string): void;
  forgetAll(): void;
}

class TypedStream<T> implements Stream<T>, RunningStream {
  readonly name: string;
  readonly tag: number;
  readonly #options: StreamOptions<T>;
  readonly #blend: Blend<T> | undefined;
  readonly #tickHz: number;
  readonly #hz: number;
  readonly #remotes = new Map<string, RemoteStream<T>>();
  /** Sends owed, so a stream slower than the tick spreads its packets evenly. */
  #credit = 0;
  #sent = 0;

  constructor(
    name: string,
    options: StreamOptions<T>,
    tickHz: number,
    registry: StreamRegistry<Arrival>,
  ) {
    this.name = name;
    this.#options = options;
    this.#tickHz = tickHz;
    this.#hz = options.hz ?? tickHz;
    if (!(this.#hz > 0 && this.#hz <= tickHz)) {
      throw new RangeError(`stream ${name}: hz must be in (0, ${tickHz}], the room's tick rate`);
    }
    const clockHz = options.clock?.hz ?? this.#hz;
    if (!(Number.isInteger(clockHz) && clockHz >= 1 && clockHz <= MAX_HZ)) {
      // The sender's tick rate travels in every packet, as a whole number.
      const which = options.clock ? "clock.hz" : "hz";
      throw new RangeError(`stream ${name}: ${which} must be a whole number in [1, ${MAX_HZ}]`);
    }
    this.#blend = options.blend ?? blendOf(options.codec);
    this.tag = registry.add(name, options.codec, (value, arrival) => this.#receive(value, arrival));
  }

  get sent(): number {
    return this.#sent;
  }

  sample(peerId: string, nowMs: number): T | null {
    return this.#remotes.get(peerId)?.sample(nowMs)?.value ?? null;
  }

  latest(
    peerId: string,
  ): { readonly seq: number; readonly tick: number; readonly value: T } | null {
    return this.#remotes.get(peerId)?.newest ?? null;
  }

  received(peerId: string): number {
    return this.#remotes.get(peerId)?.stats.accepted ?? 0;
  }

  due(): OutgoingStream | null {
    const read = this.#options.read;
    if (read === undefined) return null;
    this.#credit += this.#hz / this.#tickHz;
    // The tolerance keeps thirds that add up to 0.999… from skipping a tick.
    if (this.#credit < 1 - 1e-9) return null;
    this.#credit = Math.max(0, this.#credit - 1);
    const value = read();
    if (value === null) return null;
    const data = this.#options.codec.encode(value);
    if (data.byteLength > MAX_STREAM_DATA_BYTES) {
      throw new RangeError(`${data.byteLength} bytes of data, over ${MAX_STREAM_DATA_BYTES}`);
    }
    const clock = this.#options.clock;
    const tick = clock ? clock.tick() : this.#sent + 1;
    // Checked here, where the game's clock answers: later, per peer, it would stop the tick.
    if (!(Number.isInteger(tick) && tick >= 0 && tick <= MAX_COUNTER)) {
      throw new RangeError(`tick ${tick} is not a whole number in [0, ${MAX_COUNTER}]`);
    }
    this.#sent++;
    return { tag: this.tag, tick, hz: clock ? clock.hz : this.#hz, data };
  }

  #receive(received: StreamValue<T>, { peerId, nowMs }: Arrival): void {
    let remote = this.#remotes.get(peerId);
    if (!remote) {
      remote = new RemoteStream<T>({
        blend: this.#blend,
        ...(this.#options.maxExtrapolationMs === undefined
          ? {}
          : { maxExtrapolationMs: this.#options.maxExtrapolationMs }),
      });
      this.#remotes.set(peerId, remote);
    }
    remote.receive(received, received.hz, nowMs);
  }

  playout(peerId: string): StreamPlayout | null {
    const remote = this.#remotes.get(peerId);
    if (!remote) return null;
    const { delayMs, jitterMs } = remote.stats;
    return { interpolationDelayMs: delayMs, arrivalJitterMs: jitterMs };
  }

  forget(peerId: string): void {
    this.#remotes.delete(peerId);
  }

  forgetAll(): void {
    this.#remotes.clear();
  }
}

/** The codec's own blend, when it is one (a motion codec interpolates motion). */
function blendOf<T>(codec: StreamCodec<T> & Partial<Blend<T>>): Blend<T> | undefined {
  const { between, beyond } = codec;
  if (between === undefined) return undefined;
  return beyond === undefined
    ? { between: between.bind(codec) }
    : { between: between.bind(codec), beyond: beyond.bind(codec) };
}

export class StreamSet {
  readonly #tickHz: number;
  readonly #registry = new StreamRegistry<Arrival>();
  readonly #streams: RunningStream[] = [];
  /** Stream packets dropped by reason: a tag no stream has (another build), undecodable data. */
  readonly drops = noDrops();

  constructor(tickHz: number) {
    this.#tickHz = tickHz;
  }

  /** Throws a RangeError for a name already taken, or options that cannot work. */
  add<T>(name: string, options: StreamOptions<T>): Stream<T> {
    const stream = new TypedStream(name, options, this.#tickHz, this.#registry);
    this.#streams.push(stream);
    return stream;
  }

  /**
   * This tick's packets, one per due stream. A stream whose `read` or codec throws (the game's
   * code) sends nothing this tick and is reported; the other streams and the tick go on.
   */
  due(report: (problem: Problem) => void): OutgoingStream[] {
    const out: OutgoingStream[] = [];
    for (const stream of this.#streams) {
      try {
        const packet = stream.due();
        if (packet !== null) out.push(packet);
      } catch (error) {
        report({
          code: ProblemCode.ListenerFailed,
          detail: `stream ${stream.name}: ${errorDetail(error)}`,
        });
      }
    }
    return out;
  }

  /** One stream packet from a peer; false when it was dropped (and counted). */
  receive(peerId: string, packet: StreamPacket, nowMs: number): boolean {
    const received = this.#registry.receive(packet, { peerId, nowMs });
    if (received.ok) return true;
    this.drops[received.reason]++;
    return false;
  }

  /** The first stream's playout for a peer (the room's stats show one delay per peer). */
  playout(peerId: string): StreamPlayout {
    for (const stream of this.#streams) {
      const playout = stream.playout(peerId);
      if (playout !== null) return playout;
    }
    return NO_PLAYOUT;
  }

  forget(peerId: string): void {
    for (const stream of this.#streams) stream.forget(peerId);
  }

  forgetAll(): void {
    for (const stream of this.#streams) stream.forgetAll();
  }
}
