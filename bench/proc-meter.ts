/**
 * CPU time and resident memory of single processes (Linux /proc), so a server's cost can be
 * read apart from the clients' in the same run: utime + stime from /proc/PID/stat, VmRSS from
 * /proc/PID/status.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux this runs on. */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name is in parentheses and may hold spaces: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

/** Resident memory of the process, in KiB. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

export interface ProcessInfo {
  readonly pid: number;
  /** The command line. */
  readonly args: string;
}

/** The processes of one process group (a server started detached is its own group). */
export function groupProcesses(groupId: number): ProcessInfo[] {
  const out = execFileSync("ps", ["-o", "pid=,args=", "-g", String(groupId)], {
    encoding: "utf8",
  });
  return out
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\S.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] ?? "" }));
}
