import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SignalPacer } from "../../game/kit/mesh/signal-pacer.ts";
import type { SignalingChannel } from "../../game/kit/mesh/signaling-channel.ts";
import { SOCKET_FRAME_LIMIT } from "../../shared/limits.ts";
import type { SignalData } from "../../shared/protocol.ts";
import { TokenBucket } from "../../shared/token-bucket.ts";

interface Sent {
  readonly to: string;
  readonly data: SignalData;
  readonly atMs: number;
  /** Whether the lobby's own per-socket bucket would have let the frame through. */
  readonly admitted: boolean;
}

/** A signaling channel that records what reaches the socket and runs the lobby's frame limit. */
function lobbySocket(): SignalingChannel & { readonly sent: Sent[] } {
  const lobbyBucket = new TokenBucket(SOCKET_FRAME_LIMIT, Date.now());
  const sent: Sent[] = [];
  return {
    sent,
    send: (to, data) =>
      sent.push({ to, data, atMs: Date.now(), admitted: lobbyBucket.take(Date.now()) }),
    onSignal: () => () => {},
  };
}

const offer = (n: number): SignalData => ({
  kind: "description",
  type: "offer",
  sdp: `offer ${n}`,
});
const candidate = (n: number): SignalData => ({
  kind: "candidate",
  candidate: `candidate ${n}`,
  sdpMid: "0",
  sdpMLineIndex: 0,
  usernameFragment: null,
});

/** What a newcomer to a full lobby sends at once: an offer and 20 candidates to each of 7 peers. */
function joinBurst(pacer: SignalingChannel): void {
  const peers = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"];
  for (const peer of peers) pacer.send(peer, offer(0));
  for (let n = 0; n < 20; n++) for (const peer of peers) pacer.send(peer, candidate(n));
}

describe("pacing signals under the lobby's frame limit", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gets a burst bigger than the lobby's limit through without one frame refused", () => {
    const socket = lobbySocket();
    const pacer = new SignalPacer(socket, { now: () => Date.now() });
    joinBurst(pacer);
    // Twice over: a mass ICE restart right after the join.
    joinBurst(pacer);
    expect(pacer.queued).toBeGreaterThan(0);
    vi.advanceTimersByTime(20_000);
    expect(socket.sent).toHaveLength(2 * 7 * 21);
    expect(socket.sent.filter((frame) => !frame.admitted)).toEqual([]);
    expect(pacer.queued).toBe(0);
  });

  it("keeps each peer's signals in order, and sends a description before other peers' candidates", () => {
    const socket = lobbySocket();
    const pacer = new SignalPacer(socket, {
      limit: { capacity: 2, refillPerSecond: 10 },
      now: () => Date.now(),
    });
    pacer.send("a", offer(1));
    pacer.send("a", candidate(1));
    pacer.send("a", candidate(2));
    pacer.send("b", candidate(1));
    pacer.send("b", offer(2));
    pacer.send("c", offer(3));
    pacer.send("a", offer(4));
    vi.advanceTimersByTime(2000);
    const order = socket.sent.map(({ to, data }) =>
      data.kind === "description" ? `${to}:${data.sdp}` : `${to}:${data.candidate}`,
    );
    expect(order).toEqual([
      "a:offer 1",
      "a:candidate 1",
      // c's offer passes the candidates queued for others before it, but never b's own
      // candidate, which b must get before its offer.
      "c:offer 3",
      "a:candidate 2",
      // a's next offer had to wait for a's own candidate only.
      "a:offer 4",
      "b:candidate 1",
      "b:offer 2",
    ]);
  });

  it("sends at once while under the limit", () => {
    const socket = lobbySocket();
    const pacer = new SignalPacer(socket, { now: () => Date.now() });
    pacer.send("a", offer(1));
    expect(socket.sent).toHaveLength(1);
    expect(pacer.queued).toBe(0);
  });

  it("sends nothing more once closed", () => {
    const socket = lobbySocket();
    const pacer = new SignalPacer(socket, {
      limit: { capacity: 1, refillPerSecond: 10 },
      now: () => Date.now(),
    });
    pacer.send("a", offer(1));
    pacer.send("a", candidate(1));
    pacer.close();
    pacer.send("a", candidate(2));
    vi.advanceTimersByTime(5000);
    expect(socket.sent).toHaveLength(1);
  });
});
