/**
 * Ends a process group once the process that started it is gone. wrangler dev runs in a
 * group of its own (so stop() can end workerd too), which also means a test runner killed
 * by SIGKILL or Ctrl-C never reaches it: without this, a server outlives its test run.
 *
 * Usage: node scripts/orphan-reaper.ts OWNER_PID GROUP_ID
 */
const POLL_MS = 1000;

const [ownerArg, groupArg] = process.argv.slice(2);
const ownerPid = Number(ownerArg);
const groupId = Number(groupArg);
if (!Number.isInteger(ownerPid) || !Number.isInteger(groupId) || ownerPid <= 1 || groupId <= 1) {
  console.error("usage: orphan-reaper.ts OWNER_PID GROUP_ID");
  process.exit(2);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

setInterval(() => {
  if (!isAlive(-groupId)) process.exit(0);
  if (isAlive(ownerPid)) return;
  try {
    process.kill(-groupId, "SIGTERM");
  } catch {
    // the group ended on its own meanwhile
  }
  process.exit(0);
}, POLL_MS);
