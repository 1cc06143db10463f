/** The upstream voice bench's tables (voice.ts): medians, ratios, and the mesh budget. */

import type { Microphone } from "../scripts/fake-microphone.ts";
import { median } from "./page-probe.ts";
import type { VoiceSettings } from "./voice-probe.ts";
import type { SendRate } from "./voice-rates.ts";

export interface Condition {
  readonly players: number;
  readonly microphone: Microphone;
  readonly settings: VoiceSettings;
  /** The sending player's streams summed, one per window. */
  readonly perPlayer: SendRate[];
  /** One per stream and window. */
  readonly perStream: SendRate[];
  /** Player windows left out of `perPlayer`: not all of the player's streams read at both ends. */
  incomplete: number;
}

const kbps = (value: number): string => value.toFixed(1);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

function medianOf(rates: readonly SendRate[], pick: (rate: SendRate) => number): number {
  return median(rates.map(pick));
}

function find(
  conditions: readonly Condition[],
  players: number,
  microphone: Microphone,
  settings: VoiceSettings,
): Condition | undefined {
  return conditions.find(
    (c) => c.players === players && c.microphone === microphone && c.settings === settings,
  );
}

export function formatUpstream(
  conditions: readonly Condition[],
  order: readonly VoiceSettings[],
): string {
  const header = [
    "| players | microphone | settings | per player kbps | per player wire kbps | per stream kbps | per stream +RTP kbps | per stream wire kbps | packets/s per stream | samples (player / stream windows; player windows left out) |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const sorted = [...conditions].sort(
    (a, b) =>
      a.players - b.players ||
      a.microphone.localeCompare(b.microphone) ||
      order.indexOf(a.settings) - order.indexOf(b.settings),
  );
  const rows = sorted.map((c) => {
    const player = (pick: (rate: SendRate) => number): string => kbps(medianOf(c.perPlayer, pick));
    const stream = (pick: (rate: SendRate) => number): string => kbps(medianOf(c.perStream, pick));
    return `| ${c.players} | ${c.microphone} | ${c.settings.name} | ${player((r) => r.kbps)} | ${player((r) => r.wireKbps)} | ${stream((r) => r.kbps)} | ${stream((r) => r.rtpKbps)} | ${stream((r) => r.wireKbps)} | ${stream((r) => r.packetsPerSecond)} | ${c.perPlayer.length} / ${c.perStream.length}; ${c.incomplete} |`;
  });
  return [...header, ...rows].join("\n");
}

export function formatRatios(
  conditions: readonly Condition[],
  ours: VoiceSettings,
  baseline: VoiceSettings,
): string {
  const header = [
    "| players | microphone | per player kbps: edgeplay / baseline | ratio | per player wire kbps: edgeplay / baseline | ratio | packets/s per stream: edgeplay / baseline | ratio |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
  ];
  const rows: string[] = [];
  for (const c of conditions) {
    if (c.settings !== ours) continue;
    const other = find(conditions, c.players, c.microphone, baseline);
    if (!other) continue;
    const pair = (rates: (c: Condition) => SendRate[], pick: (r: SendRate) => number): string => {
      const a = medianOf(rates(c), pick);
      const b = medianOf(rates(other), pick);
      return `${kbps(a)} / ${kbps(b)} | ${ratio(a, b)}`;
    };
    rows.push(
      `| ${c.players} | ${c.microphone} | ${pair(
        (x) => x.perPlayer,
        (r) => r.kbps,
      )} | ${pair(
        (x) => x.perPlayer,
        (r) => r.wireKbps,
      )} | ${pair(
        (x) => x.perStream,
        (r) => r.packetsPerSecond,
      )} |`,
    );
  }
  return [...header, ...rows].join("\n");
}

/**
 * What one player's link carries in a full mesh of `players`, from the per-stream medians at
 * that size: a talker's stream is the speech figure, everyone else's the silence figure (open
 * mic, nobody speaking; with push-to-talk released they would send nothing at all).
 */
export function formatBudget(
  conditions: readonly Condition[],
  order: readonly VoiceSettings[],
  players: number,
): string {
  const others = players - 1;
  const lines = [
    { who: "one talks: the talker", up: [others, 0], down: [0, others] },
    { who: "one talks: each listener", up: [0, others], down: [1, others - 1] },
    { who: "all talk: each player", up: [others, 0], down: [others, 0] },
  ] as const;
  const perSettings = order.map((settings) => {
    const speech = find(conditions, players, "speech", settings);
    const silence = find(conditions, players, "silence", settings);
    const stream = (c: Condition | undefined, pick: (r: SendRate) => number): number =>
      c ? medianOf(c.perStream, pick) : Number.NaN;
    return {
      settings,
      payload: [stream(speech, (r) => r.kbps), stream(silence, (r) => r.kbps)],
      wire: [stream(speech, (r) => r.wireKbps), stream(silence, (r) => r.wireKbps)],
    };
  });
  const mix = (streams: readonly [number, number], per: readonly number[]): number =>
    streams[0] * (per[0] ?? Number.NaN) + streams[1] * (per[1] ?? Number.NaN);
  const header = [
    `Mesh budget per player at ${players} players, kbps up / down: payload, then on the wire (from the per-stream medians at ${players} players; everyone's mic open)`,
    "",
    `| situation | ${order.map((s) => `${s.name}: payload | wire`).join(" | ")} | wire up: edgeplay / baseline |`,
    `|---|${order.map(() => "---:|---:").join("|")}|---:|`,
  ];
  const rows = lines.map(({ who, up, down }) => {
    const cells = perSettings.map(
      (s) =>
        `${kbps(mix(up, s.payload))} / ${kbps(mix(down, s.payload))} | ${kbps(mix(up, s.wire))} / ${kbps(mix(down, s.wire))}`,
    );
    const [ours, baseline] = perSettings;
    const upRatio = ours && baseline ? ratio(mix(up, ours.wire), mix(up, baseline.wire)) : "–";
    return `| ${who} | ${cells.join(" | ")} | ${upRatio} |`;
  });
  return [...header, ...rows].join("\n");
}
