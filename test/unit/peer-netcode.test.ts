import { describe, expect, it } from "vitest";
import type {
  PacketChannel,
  PacketTransport,
  TransportKind,
} from "../../game/kit/mesh/transport.ts";
import { type OutgoingState, PeerNetcode } from "../../game/kit/netcode/peer-netcode.ts";
import {
  decodeStateChannelPacket,
  encodeStateChannelPacket,
  type StateChannelPacket,
} from "../../game/kit/wire/state-channel.ts";

const TICK_MS = 1000 / 60;

/** Records what was sent; refuses everything while `usable` is false or `full` is true. */
class FakeTransport implements PacketTransport {
  readonly kind: TransportKind;
  usable = true;
  full = false;
  readonly sent: { channel: PacketChannel; packet: StateChannelPacket | null }[] = [];

  constructor(kind: TransportKind) {
    this.kind = kind;
  }

  send(channel: PacketChannel, packet: Uint8Array<ArrayBuffer>): boolean {
    if (!this.usable || this.full) return false;
    this.sent.push({ channel, packet: decodeStateChannelPacket(packet) });
    return true;
  }
}

const at = (tick: number, x = 100): OutgoingState => ({ tick, x, y: 200, vx: 60, vy: 0 });

const statePacket = (seq: number, tick: number, x: number): Uint8Array =>
  encodeStateChannelPacket({ kind: "state", seq, tick, x, y: 200, vx: 60, vy: 0 });

describe("one pair's netcode", () => {
  it("numbers state packets per peer and counts refused ones as drops", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const direct = new FakeTransport("direct");
    expect(netcode.sendState(at(2), direct, 0)).toBe(true);
    direct.full = true;
    expect(netcode.sendState(at(4), direct, 33)).toBe(false);
    direct.full = false;
    expect(netcode.sendState(at(6), direct, 66)).toBe(true);
    expect(direct.sent.map((s) => s.packet?.kind === "state" && s.packet.seq)).toEqual([1, 3]);
    const report = netcode.report(100);
    expect(report.sendDrops).toBe(1);
    expect(report.stateSendDrops).toBe(1);
  });

  it("builds nothing while no path exists (no seq spent, no drop counted)", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    expect(netcode.sendState(at(2), null, 0)).toBe(false);
    expect(netcode.seq).toBe(0);
    expect(netcode.report(10).sendDrops).toBe(0);
  });

  it("feeds state into the remote avatar and samples it between snapshots", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const relay = new FakeTransport("relay");
    // 30 Hz: every second tick, 2 units further each time; arriving 20 ms after "sending".
    for (let seq = 1; seq <= 30; seq++) {
      const tick = seq * 2;
      netcode.receiveState(statePacket(seq, tick, 100 + seq * 2), relay, tick * TICK_MS + 20);
    }
    const report = netcode.report(1020);
    expect(report.statePacketsReceived).toBe(30);
    expect(report.relayPacketsIn).toBe(30);
    expect(report.lossPercent).toBe(0);
    expect(report.interpolationDelayMs).toBeGreaterThan(40);
    const sample = netcode.sample(1020);
    expect(sample?.mode).toBe("interpolated");
    expect(sample?.x).toBeGreaterThan(100);
    expect(sample?.x).toBeLessThan(160);
  });

  it("answers a ping at once, on the transport it came by", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const direct = new FakeTransport("direct");
    const relay = new FakeTransport("relay");
    const ping = encodeStateChannelPacket({ kind: "ping", id: 7, sentAt: 1234.5 });
    netcode.receiveState(ping, relay, 500);
    expect(direct.sent).toHaveLength(0);
    expect(relay.sent).toEqual([
      {
        channel: "state",
        packet: { kind: "pong", id: 7, pingSentAt: 1234.5, receivedAt: 500, sentAt: 500 },
      },
    ]);
    expect(netcode.report(600).relayPacketsOut).toBe(1);
  });

  it("pings when due over a usable path and turns the pong into a round trip", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const direct = new FakeTransport("direct");
    direct.usable = false;
    netcode.pingIfDue(direct, 0);
    netcode.pingIfDue(null, 0);
    expect(direct.sent).toHaveLength(0);
    direct.usable = true;
    netcode.pingIfDue(direct, 10);
    const [sent] = direct.sent;
    if (sent?.packet?.kind !== "ping") throw new Error("expected a ping");
    const { id, sentAt } = sent.packet;
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
  });

  it("counts junk without letting it near the avatar", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const direct = new FakeTransport("direct");
    netcode.receiveState(new Uint8Array([0x40, 0xff, 0x00]), direct, 0);
    netcode.receiveState(new Uint8Array([]), direct, 0);
    const report = netcode.report(10);
    expect(report.junkPackets).toBe(2);
    expect(report.statePacketsReceived).toBe(0);
    expect(netcode.sample(10)).toBeNull();
  });

  it("sees loss from sequence gaps", () => {
    const netcode = new PeerNetcode(0, TICK_MS);
    const direct = new FakeTransport("direct");
    for (let seq = 1; seq <= 100; seq++) {
      if (seq % 10 === 0) continue;
      netcode.receiveState(statePacket(seq, seq * 2, 100), direct, seq * 33);
    }
    expect(netcode.report(3400).lossPercent).toBeGreaterThan(5);
    expect(netcode.report(3400).lossPercent).toBeLessThan(15);
  });
});
