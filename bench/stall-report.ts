/** Pools the stall bench's runs per condition (loss level × mode) and prints the table. */
import type { Mode, RunResult } from "./stall-run.ts";
import { quantile } from "./stats.ts";

export interface Pooled {
  readonly mode: Mode;
  readonly loss: number;
  readonly runs: number;
  readonly frames: number;
  readonly unchanged: number;
  readonly notDrawn: number;
  readonly framePercentiles: readonly [p50: number, p99: number];
  readonly stalls: number;
  readonly openStalls: number;
  readonly stallPercentiles: readonly [p50: number, p99: number, max: number];
  readonly over100: number;
  readonly minSpeedSent: number;
  /** A's interval between state sends: p99 and max. */
  readonly sendPercentiles: readonly [p99: number, max: number];
  readonly delayMs: number;
  /** Median 1-minute load average at the end of the windows. */
  readonly load: number;
  readonly stateLoss: number;
}

const LABELS: Record<Mode, string> = {
  unreliable: "edgeplay: `state` (unordered, 0 retransmits) + interpolation",
  reliable: "`events` (reliable, ordered), `?state=reliable`",
};

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function sum(runs: readonly RunResult[], field: (r: RunResult) => number): number {
  return runs.reduce((total, r) => total + field(r), 0);
}

export function pool(runs: readonly RunResult[], mode: Mode, loss: number): Pooled | null {
  const mine = runs.filter((r) => r.mode === mode && r.loss === loss);
  if (mine.length === 0) return null;
  const stalls = sorted(mine.flatMap((r) => r.stallsMs));
  const intervals = sorted(mine.flatMap((r) => r.frameIntervalsMs));
  const sendIntervals = sorted(mine.flatMap((r) => r.sendIntervalsMs));
  const sent = sum(mine, (r) => r.statesSent);
  return {
    mode,
    loss,
    runs: mine.length,
    frames: sum(mine, (r) => r.frames),
    unchanged: sum(mine, (r) => r.unchanged),
    notDrawn: sum(mine, (r) => r.notDrawn),
    framePercentiles: [quantile(intervals, 0.5), quantile(intervals, 0.99)],
    stalls: stalls.length,
    openStalls: sum(mine, (r) => r.openStalls),
    stallPercentiles: [quantile(stalls, 0.5), quantile(stalls, 0.99), stalls.at(-1) ?? 0],
    over100: stalls.filter((s) => s > 100).length,
    minSpeedSent: Math.min(...mine.map((r) => r.minSpeedSent)),
    sendPercentiles: [quantile(sendIntervals, 0.99), sendIntervals.at(-1) ?? Number.NaN],
    delayMs: quantile(sorted(mine.map((r) => r.delayMs)), 0.5),
    load: quantile(sorted(mine.map((r) => r.load)), 0.5),
    stateLoss: sent > 0 ? 1 - sum(mine, (r) => r.statesReceived) / sent : Number.NaN,
  };
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : "–");

export function formatRun(r: RunResult): string {
  const stalls = sorted(r.stallsMs);
  return `${r.loss}% ${r.mode}: ${r.frames} frames (${r.moved} moved, ${r.unchanged} unchanged, ${r.notDrawn} not drawn), ${stalls.length} stalls, max ${ms(stalls.at(-1) ?? 0)} ms, state loss ${((1 - r.statesReceived / r.statesSent) * 100).toFixed(1)}%, A's slowest sent speed ${r.minSpeedSent.toFixed(0)}/s, A's longest send gap ${ms(Math.max(...r.sendIntervalsMs))} ms, delay ${ms(r.delayMs)} ms, load ${r.load.toFixed(2)}`;
}

export function formatTable(rows: readonly Pooled[]): string {
  const header = [
    "| loss at B | state sent over | windows | frames drawn | frames A unchanged | B frame interval p50 / p99 ms | stalls | stall p50 ms | stall p99 ms | longest stall ms | stalls > 100 ms | B's interpolation delay ms | A's send interval p99 / max ms | state loss (seq) | load |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const lines = rows.map((p) => {
    const [f50, f99] = p.framePercentiles;
    const [s50, s99, sMax] = p.stallPercentiles;
    // Percentiles of no stalls at all would read as 0 ms stalls.
    const stallColumns =
      p.stalls === 0 ? "none | none | none" : `${ms(s50)} | ${ms(s99)} | ${ms(sMax)}`;
    return `| ${p.loss}% | ${LABELS[p.mode]} | ${p.runs} | ${p.frames} | ${p.unchanged} | ${ms(f50)} / ${ms(f99)} | ${p.stalls} | ${stallColumns} | ${p.over100} | ${ms(p.delayMs)} | ${ms(p.sendPercentiles[0])} / ${ms(p.sendPercentiles[1])} | ${(p.stateLoss * 100).toFixed(1)}% | ${p.load.toFixed(1)} |`;
  });
  return [...header, ...lines].join("\n");
}

/** reliable beside edgeplay per loss level: stalls, and what the playout delay paid for them. */
export function formatComparison(rows: readonly Pooled[]): string {
  const lines: string[] = [];
  for (const u of rows.filter((r) => r.mode === "unreliable")) {
    const rel = rows.find((r) => r.mode === "reliable" && r.loss === u.loss);
    if (!rel) continue;
    const stalls = (p: Pooled): string =>
      p.stalls === 0
        ? "no stalls"
        : `${p.stalls} stalls (p50 ${ms(p.stallPercentiles[0])}, longest ${ms(p.stallPercentiles[2])} ms, ${p.over100} > 100 ms, ${p.openStalls} cut at a window edge)`;
    lines.push(
      `${u.loss}%: edgeplay ${stalls(u)}; reliable ${stalls(rel)}; interpolation delay reliable / edgeplay ${(rel.delayMs / u.delayMs).toFixed(2)}x; A's slowest sent speed ${Math.min(u.minSpeedSent, rel.minSpeedSent).toFixed(0)} units/s`,
    );
  }
  return lines.join("\n");
}
