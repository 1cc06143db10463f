/**
 * The network HUD as lines of monospace text: one row per peer with the path, round trip,
 * jitter, loss, traffic each way, send drops and the interpolation delay; then, once any voice
 * flows, one row per peer with its audio each way, packets lost, jitter-buffer delay and
 * concealment. Pure, so the formatting is unit-tested and the scene only draws strings.
 */

import type { Path } from "edgeplay/client";
import type { PeerNetworkSnapshot } from "../debug.ts";

interface Column {
  readonly title: string;
  readonly width: number;
  /** Names read left-aligned; numbers right-aligned so their digits line up. */
  readonly align: "left" | "right";
  readonly value: (peer: PeerNetworkSnapshot) => string;
}

const PATH_LABELS: Record<Path, string> = {
  direct: "direct",
  turn: "TURN",
  edge: "edge",
  none: "…",
};

const COLUMNS: readonly Column[] = [
  { title: "peer", width: 12, align: "left", value: (p) => p.name },
  { title: "path", width: 6, align: "left", value: (p) => PATH_LABELS[p.path] },
  { title: "rtt ms", width: 6, align: "right", value: (p) => milliseconds(p.rttMs) },
  { title: "jit", width: 5, align: "right", value: (p) => milliseconds(p.jitterMs) },
  { title: "loss", width: 6, align: "right", value: (p) => `${p.lossPercent.toFixed(1)}%` },
  { title: "pkt/s in", width: 8, align: "right", value: (p) => whole(p.packetsPerSecondIn) },
  { title: "out", width: 4, align: "right", value: (p) => whole(p.packetsPerSecondOut) },
  { title: "B/s in", width: 7, align: "right", value: (p) => whole(p.bytesPerSecondIn) },
  { title: "out", width: 6, align: "right", value: (p) => whole(p.bytesPerSecondOut) },
  { title: "drops", width: 5, align: "right", value: (p) => whole(p.sendDrops) },
  { title: "delay", width: 6, align: "right", value: (p) => milliseconds(p.interpolationDelayMs) },
];

/** Voice, per peer: what arrives (in) and what we send them (out), over the last second. */
const VOICE_COLUMNS: readonly Column[] = [
  { title: "voice", width: 12, align: "left", value: (p) => p.name },
  { title: "kbps in", width: 7, align: "right", value: (p) => kbps(p.audio?.inKbps) },
  { title: "out", width: 5, align: "right", value: (p) => kbps(p.audio?.outKbps) },
  { title: "lost", width: 6, align: "right", value: (p) => percent(p.audio?.lostPercent) },
  {
    title: "jb ms",
    width: 5,
    align: "right",
    value: (p) => milliseconds(p.audio?.jitterBufferMs ?? null),
  },
  { title: "conceal", width: 7, align: "right", value: (p) => percent(p.audio?.concealedPercent) },
];

export const NET_HUD_TITLE = "Network  (H hides)";

export function netHudLines(peers: readonly PeerNetworkSnapshot[]): string[] {
  const header = table(COLUMNS, []);
  if (peers.length === 0) return [NET_HUD_TITLE, ...header, "no other players yet"];
  const lines = [NET_HUD_TITLE, ...table(COLUMNS, peers)];
  const voiced = peers.filter((peer) => peer.audio !== null);
  return voiced.length === 0 ? lines : [...lines, "", ...table(VOICE_COLUMNS, voiced)];
}

/** A header line and one line per peer. */
function table(columns: readonly Column[], peers: readonly PeerNetworkSnapshot[]): string[] {
  const line = (cell: (column: Column) => string): string =>
    columns.map((column) => fitCell(cell(column), column)).join(" ");
  return [line((column) => column.title), ...peers.map((peer) => line((c) => c.value(peer)))];
}

function fitCell(text: string, column: Column): string {
  const clipped = text.length > column.width ? `${text.slice(0, column.width - 1)}…` : text;
  return column.align === "left" ? clipped.padEnd(column.width) : clipped.padStart(column.width);
}

/** One decimal below 10 ms (local links are about 1 ms), whole numbers above; – for unknown. */
function milliseconds(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}

function whole(value: number): string {
  return Math.round(value).toString();
}

function kbps(value: number | undefined): string {
  return value === undefined ? "–" : value.toFixed(1);
}

function percent(value: number | undefined): string {
  return value === undefined ? "–" : `${value.toFixed(1)}%`;
}
