import { describe, expect, it } from "vitest";
import type { PeerNetworkSnapshot } from "../../game/debug.ts";
import { NET_HUD_TITLE, netHudLines } from "../../game/scenes/net-hud-text.ts";

const bob: PeerNetworkSnapshot = {
  id: "b",
  name: "Bob",
  path: "direct",
  rttMs: 1.234,
  jitterMs: 0.5,
  lossPercent: 0,
  packetsPerSecondIn: 31.4,
  packetsPerSecondOut: 30.6,
  bytesPerSecondIn: 560.2,
  bytesPerSecondOut: 548,
  sendDrops: 0,
  streamSendDrops: 0,
  receiveDrops: 0,
  edgePacketsIn: 0,
  edgePacketsOut: 0,
  interpolationDelayMs: 101.7,
  arrivalJitterMs: 2,
  connectionState: "connected",
  polite: true,
  channels: [],
  channelsOpenAt: 1_700_000_000_000,
  audioIn: null,
  audioOut: null,
  audio: null,
};

describe("the network HUD's text", () => {
  it("has a title, a header and one aligned row per peer", () => {
    const carol: PeerNetworkSnapshot = {
      ...bob,
      id: "c",
      name: "Carol with a very long name",
      path: "edge",
      rttMs: 48.6,
      lossPercent: 12.5,
      sendDrops: 3,
    };
    const lines = netHudLines([bob, carol]);
    expect(lines[0]).toBe(NET_HUD_TITLE);
    expect(lines).toHaveLength(4);
    const [, header, bobRow, carolRow] = lines;
    expect(header).toMatch(/peer\s+path\s+rtt ms\s+jit\s+loss\s+pkt\/s in\s+out/);
    expect(bobRow?.length).toBe(header?.length);
    expect(carolRow?.length).toBe(header?.length);
    expect(bobRow).toMatch(/^Bob\s+direct\s+1\.2\s+0\.5\s+0\.0%\s+31\s+31\s+560\s+548\s+0\s+102$/);
    expect(carolRow).toMatch(/^Carol with …\s+edge\s+49\s+0\.5\s+12\.5%/);
  });

  it("shows unknown figures as a dash and names TURN and pending paths", () => {
    const waiting: PeerNetworkSnapshot = {
      ...bob,
      path: "none",
      rttMs: null,
      jitterMs: null,
      interpolationDelayMs: null,
    };
    const [, , row] = netHudLines([waiting]);
    expect(row).toMatch(/^Bob\s+…\s+–\s+–/);
    expect(row).toMatch(/–$/);
    expect(netHudLines([{ ...bob, path: "turn" }])[2]).toMatch(/^Bob\s+TURN\s/);
  });

  it("adds a voice table once any voice flows, for the peers it flows with", () => {
    const talking: PeerNetworkSnapshot = {
      ...bob,
      audio: {
        inKbps: 31.25,
        outKbps: 0,
        lostPercent: 9.8,
        jitterBufferMs: 62.4,
        concealedPercent: 4.05,
      },
    };
    const silent: PeerNetworkSnapshot = { ...bob, id: "c", name: "Carol" };
    const lines = netHudLines([talking, silent]);
    expect(lines).toHaveLength(7);
    const [voiceHeader, voiceRow] = lines.slice(5);
    expect(lines[4]).toBe("");
    expect(voiceHeader).toMatch(/^voice\s+kbps in\s+out\s+lost\s+jb ms\s+conceal$/);
    expect(voiceRow).toMatch(/^Bob\s+31\.3\s+0\.0\s+9\.8%\s+62\s+4\.0%$/);
    expect(voiceRow?.length).toBe(voiceHeader?.length);
    expect(netHudLines([bob, silent])).toHaveLength(4);
  });

  it("says so when nobody else is there", () => {
    expect(netHudLines([]).at(-1)).toBe("no other players yet");
  });
});
