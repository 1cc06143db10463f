/**
 * Paces outgoing signals under the lobby's per-socket frame limit. Joining a full lobby (an
 * offer and a dozen ICE candidates for each of 7 peers) or a mass ICE restart can burst past
 * it; the lobby then drops frames with `rate-limited` (perhaps an offer) and counts strikes
 * against the socket. Signals wait in one queue shared by every link instead: none is dropped,
 * and per peer they leave in the order they were given, because a peer must get a
 * description before the candidates that follow it. A description may pass other peers'
 * candidates, so a newcomer's offers all go out before the candidate flood.
 */
import { SOCKET_FRAME_LIMIT, type TokenBucketLimit } from "../../../shared/limits.ts";
import type { SignalData } from "../../../shared/protocol.ts";
import { TokenBucket } from "../../../shared/token-bucket.ts";
import type { SignalHandler, SignalingChannel } from "./signaling-channel.ts";

/** Headroom under the lobby's limit for the socket's other frames (hello, chat, ready, ...). */
export const SIGNAL_PACE: TokenBucketLimit = {
  capacity: SOCKET_FRAME_LIMIT.capacity - 20,
  refillPerSecond: SOCKET_FRAME_LIMIT.refillPerSecond - 10,
};

export interface SignalPacerOptions {
  readonly limit?: TokenBucketLimit;
  /** Monotonic ms (the platform's clock). */
  readonly now: () => number;
}

interface QueuedSignal {
  readonly to: string;
  readonly data: SignalData;
}

export class SignalPacer implements SignalingChannel {
  readonly #inner: SignalingChannel;
  readonly #limit: TokenBucketLimit;
  readonly #now: () => number;
  readonly #bucket: TokenBucket;
  readonly #queue: QueuedSignal[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(inner: SignalingChannel, options: SignalPacerOptions) {
    this.#inner = inner;
    this.#limit = options.limit ?? SIGNAL_PACE;
    this.#now = options.now;
    this.#bucket = new TokenBucket(this.#limit, this.#now());
  }

  /** Signals waiting for their turn. */
  get queued(): number {
    return this.#queue.length;
  }

  send(to: string, data: SignalData): void {
    if (this.#closed) return;
    this.#queue.push({ to, data });
    this.#flush();
  }

  onSignal(handler: SignalHandler): () => void {
    return this.#inner.onSignal(handler);
  }

  /** The session ended: what still waits has nobody to go to. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.#bucket.take(this.#now())) {
      const [next] = this.#queue.splice(this.#nextIndex(), 1);
      if (next) this.#inner.send(next.to, next.data);
    }
    if (this.#queue.length === 0 || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#closed) this.#flush();
    }, 1000 / this.#limit.refillPerSecond);
  }

  /** The first description with nothing queued before it for the same peer, else the oldest. */
  #nextIndex(): number {
    const waiting = new Set<string>();
    for (const [index, signal] of this.#queue.entries()) {
      if (signal.data.kind === "description" && !waiting.has(signal.to)) return index;
      waiting.add(signal.to);
    }
    return 0;
  }
}
