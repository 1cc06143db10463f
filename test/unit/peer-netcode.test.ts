import { describe, expect, it } from "vitest";
import type {
  PacketChannel,
  PacketTransport,
  TransportKind,
} from "../../game/kit/mesh/transport.ts";
import { type OutgoingStream, PeerNetcode } from "../../game/kit/netcode/peer-netcode.ts";
import {
  type Decoded,
  decodeStateChannelPacket,
  encodeActionPacket,
  encodeStateChannelPacket,
  type StateChannelPacket,
  type StreamPacket,
} from "../../game/kit/wire/state-channel.ts";

/** Records what was sent; refuses everything while `usable` is false or `full` is true. */
class FakeTransport implements PacketTransport {
  readonly kind: TransportKind;
  usable = true;
  full = false;
  readonly sent: { channel: PacketChannel; packet: Decoded<StateChannelPacket> }[] = [];
  readonly raw: Uint8Array[] = [];

  constructor(kind: TransportKind) {
    this.kind = kind;
  }

  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>): boolean {
    if (!this.usable || this.full) return false;
    this.raw.push(packet);
    this.sent.push({ channel, packet: decodeStateChannelPacket(packet) });
    return true;
  }

  /** The stream packets sent so far, decoded. */
  streams(): StreamPacket[] {
    const out: StreamPacket[] = [];
    for (const { packet } of this.sent) {
      if (packet.ok && packet.packet.kind === "stream") out.push(packet.packet);
    }
    return out;
  }
}

/** A netcode whose streams are recorded; `accept` says whether the room's streams keep them. */
function recordingNetcode(accept: (packet: StreamPacket) => boolean = () => true) {
  const received: { packet: StreamPacket; nowMs: number }[] = [];
  const netcode = new PeerNetcode(0, {
    onStream(packet, nowMs) {
      received.push({ packet, nowMs });
      return accept(packet);
    },
  });
  return { netcode, received };
}

const outgoing = (tag: number, tick: number, data: number[] = [tick]): OutgoingStream => ({
  tag,
  tick,
  hz: 30,
  data: new Uint8Array(data),
});

const streamPacket = (seq: number, tick: number, stream = 1): Uint8Array =>
  encodeStateChannelPacket({
    kind: "stream",
    stream,
    seq,
    tick,
    hz: 30,
    data: new Uint8Array([tick & 0xff]),
  });

describe("one pair's netcode", () => {
  it("numbers stream packets per peer, across all streams, and counts refused ones as drops", () => {
    const { netcode } = recordingNetcode();
    const direct = new FakeTransport("direct");
    netcode.sendStreams([outgoing(1, 2), outgoing(2, 2)], direct, 0);
    direct.full = true;
    netcode.sendStreams([outgoing(1, 4)], direct, 33);
    direct.full = false;
    netcode.sendStreams([outgoing(1, 6), outgoing(2, 6)], direct, 66);
    expect(direct.streams().map((p) => [p.stream, p.seq, p.tick])).toEqual([
      [1, 1, 2],
      [2, 2, 2],
      [1, 4, 6],
      [2, 5, 6],
    ]);
    expect(direct.sent.every((s) => s.channel === "state")).toBe(true);
    const report = netcode.report(100);
    expect(report.sendDrops).toBe(1);
    expect(report.streamSendDrops).toBe(1);
  });

  it("frames each stream's tag, tick, rate and bytes as they were given", () => {
    const { netcode } = recordingNetcode();
    const direct = new FakeTransport("direct");
    netcode.sendStreams(
      [{ tag: 700, tick: 12_345, hz: 60, data: new Uint8Array([9, 8, 7]) }],
      direct,
      0,
    );
    expect(direct.streams()).toEqual([
      {
        kind: "stream",
        stream: 700,
        seq: 1,
        tick: 12_345,
        hz: 60,
        data: new Uint8Array([9, 8, 7]),
      },
    ]);
  });

  it("builds nothing while no path exists (no seq spent, no drop counted)", () => {
    const { netcode } = recordingNetcode();
    netcode.sendStreams([outgoing(1, 2), outgoing(2, 2)], null, 0);
    expect(netcode.report(10).sendDrops).toBe(0);
    expect(netcode.report(10).streamSendDrops).toBe(0);
    const direct = new FakeTransport("direct");
    netcode.sendStreams([outgoing(1, 4)], direct, 20);
    expect(direct.streams().map((p) => p.seq)).toEqual([1]);
  });

  it("hands each stream packet to the room's streams with its arrival time, and counts it", () => {
    const { netcode, received } = recordingNetcode();
    const relay = new FakeTransport("edge");
    for (let seq = 1; seq <= 30; seq++) {
      netcode.receiveState(streamPacket(seq, seq * 2), relay, seq * 33 + 20);
    }
    expect(received).toHaveLength(30);
    expect(received[0]?.nowMs).toBe(53);
    expect(received[29]?.packet).toMatchObject({ kind: "stream", stream: 1, seq: 30, tick: 60 });
    const report = netcode.report(1020);
    expect(report.edgePacketsIn).toBe(30);
    expect(report.edgePacketsOut).toBe(0);
    expect(report.receiveDrops).toBe(0);
    expect(report.lossPercent).toBe(0);
    expect(report.packetsPerSecondIn).toBeGreaterThan(0);
  });

  it("counts a stream packet the room's streams refused as a receive drop", () => {
    const { netcode, received } = recordingNetcode((packet) => packet.stream === 1);
    const direct = new FakeTransport("direct");
    netcode.receiveState(streamPacket(1, 2, 1), direct, 10);
    netcode.receiveState(streamPacket(2, 4, 99), direct, 20);
    expect(received).toHaveLength(2);
    expect(netcode.report(30).receiveDrops).toBe(1);
    expect(netcode.report(30).edgePacketsIn).toBe(0);
  });

  it("answers a ping at once, on the transport it came by", () => {
    const { netcode } = recordingNetcode();
    const direct = new FakeTransport("direct");
    const relay = new FakeTransport("edge");
    const ping = encodeStateChannelPacket({ kind: "ping", id: 7, sentAt: 1234.5 });
    netcode.receiveState(ping, relay, 500);
    expect(direct.sent).toHaveLength(0);
    expect(relay.sent).toEqual([
      {
        channel: "state",
        packet: {
          ok: true,
          packet: { kind: "pong", id: 7, pingSentAt: 1234.5, receivedAt: 500, sentAt: 500 },
        },
      },
    ]);
    expect(netcode.report(600).edgePacketsOut).toBe(1);
  });

  it("pings when due over a usable path and turns the pong into a round trip", () => {
    const { netcode, received } = recordingNetcode();
    const direct = new FakeTransport("direct");
    direct.usable = false;
    netcode.pingIfDue(direct, 0);
    netcode.pingIfDue(null, 0);
    expect(direct.sent).toHaveLength(0);
    expect(netcode.report(0).sendDrops).toBe(0);
    direct.usable = true;
    netcode.pingIfDue(direct, 10);
    const [sent] = direct.sent;
    if (!sent?.packet.ok || sent.packet.packet.kind !== "ping") throw new Error("expected a ping");
    const { id, sentAt } = sent.packet.packet;
    // The other side holds it 1 ms; the whole trip takes 9 ms.
    const pong = encodeStateChannelPacket({
      kind: "pong",
      id,
      pingSentAt: sentAt,
      receivedAt: 5000,
      sentAt: 5001,
    });
    netcode.receiveState(pong, direct, 19);
    expect(netcode.report(20).rttMs).toBe(8);
    expect(netcode.clock.counts.pongsAccepted).toBe(1);
    expect(received).toHaveLength(0);
  });

  it("sends reliable packets on the events channel and counts a refused one as a drop", () => {
    const { netcode } = recordingNetcode();
    const relay = new FakeTransport("edge");
    const action = encodeActionPacket({ kind: "action", action: 3, body: new Uint8Array([0xc0]) });
    expect(netcode.sendReliable(action, relay, 0)).toBe(true);
    expect(relay.sent.map((s) => s.channel)).toEqual(["events"]);
    expect(relay.raw[0]).toEqual(action);
    relay.usable = false;
    expect(netcode.sendReliable(action, relay, 10)).toBe(false);
    expect(netcode.sendReliable(action, null, 20)).toBe(false);
    const report = netcode.report(30);
    expect(report.sendDrops).toBe(2);
    expect(report.streamSendDrops).toBe(0);
    expect(report.edgePacketsOut).toBe(1);
  });

  it("counts reliable packets that arrived by the path they took", () => {
    const { netcode } = recordingNetcode();
    const action = encodeActionPacket({ kind: "action", action: 3, body: new Uint8Array([0xc0]) });
    netcode.receivedReliable(action, new FakeTransport("edge"), 0);
    netcode.receivedReliable(action, new FakeTransport("direct"), 5);
    // Rates count whole 100 ms buckets: by 150 ms the first one is complete.
    const report = netcode.report(150);
    expect(report.edgePacketsIn).toBe(1);
    expect(report.packetsPerSecondIn).toBe(20);
    expect(report.receiveDrops).toBe(0);
  });

  it("counts junk without letting it near the streams, and never throws on it", () => {
    const { netcode, received } = recordingNetcode();
    const direct = new FakeTransport("direct");
    const junk = [
      new Uint8Array([0x40, 0xff, 0x00]),
      new Uint8Array([]),
      new Uint8Array(1000),
      encodeActionPacket({ kind: "action", action: 1, body: new Uint8Array([0xc0]) }),
    ];
    for (const bytes of junk) expect(() => netcode.receiveState(bytes, direct, 0)).not.toThrow();
    const report = netcode.report(10);
    expect(report.receiveDrops).toBe(junk.length);
    expect(received).toHaveLength(0);
    expect(direct.sent).toHaveLength(0);
  });

  it("sees loss from sequence gaps", () => {
    const { netcode } = recordingNetcode();
    const direct = new FakeTransport("direct");
    for (let seq = 1; seq <= 100; seq++) {
      if (seq % 10 === 0) continue;
      netcode.receiveState(streamPacket(seq, seq * 2), direct, seq * 33);
    }
    expect(netcode.report(3400).lossPercent).toBeGreaterThan(5);
    expect(netcode.report(3400).lossPercent).toBeLessThan(15);
  });
});
