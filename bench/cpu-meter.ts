/**
 * How busy the whole machine was over a stretch of time, from the kernel's counters in
 * /proc/stat (Linux): the share of all cores' time not spent idle or waiting for I/O.
 */
import { readFile } from "node:fs/promises";

export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** The aggregate `cpu` line, in clock ticks since boot. */
export async function readMachineCpu(): Promise<CpuTimes> {
  const text = await readFile("/proc/stat", "utf8");
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (line === undefined) throw new Error("/proc/stat has no aggregate cpu line");
  // user nice system idle iowait irq softirq steal (guest times are already in user and nice).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Percent of all cores' time spent busy between two readings. */
export function busyPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : Number.NaN;
}
