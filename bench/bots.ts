/**
 * `npm run bots -- CODE [COUNT] [--server URL]`: COUNT bots (default 1) join lobby CODE and play
 * the arena until Ctrl+C, printing how each is doing every few seconds. The server defaults to
 * a local `npm run dev` (http://127.0.0.1:8787).
 */
import { parseArgs } from "node:util";
import { cleanup } from "node-datachannel";
import { Bot, type BotReport, describeEnd } from "./bot.ts";

const DEFAULT_SERVER = "http://127.0.0.1:8787";
const STATUS_EVERY_MS = 5000;
const USAGE = "usage: npm run bots -- LOBBY_CODE [COUNT] [--server URL]";

const { values, positionals } = parseArgs({
  options: { server: { type: "string", default: DEFAULT_SERVER } },
  allowPositionals: true,
});
const [code, countText = "1"] = positionals;
const count = Number(countText);
if (code === undefined || !Number.isInteger(count) || count < 1 || positionals.length > 2) {
  console.error(USAGE);
  process.exit(2);
}
const server = values.server;

const bots: Bot[] = [];
let stopping = false;

/** Leaves the lobby with every bot, then lets libdatachannel's threads go. */
function stop(exitCode: number): void {
  if (stopping) return;
  stopping = true;
  clearInterval(status);
  for (const bot of bots) bot.leave();
  // The leave frames need a moment on their sockets before the process goes.
  setTimeout(() => {
    cleanup();
    process.exit(exitCode);
  }, 300);
}

const status = setInterval(() => {
  for (const bot of bots) console.log(statusLine(bot.report()));
}, STATUS_EVERY_MS);
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

try {
  // One after another, as players arrive: the lobby's signaling stays calm.
  for (let index = 0; index < count && !stopping; index++) {
    const bot = await Bot.join({ server, code, name: `bot ${index + 1}`, index, count });
    bots.push(bot);
    console.log(`${bot.name} joined ${bot.room.code} as ${bot.room.selfId}`);
    bot.room.on("ended", (end) => {
      console.log(`${bot.name}: ${describeEnd(end)}`);
      if (bots.every((b) => b.room.connection === "closed")) stop(1);
    });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  stop(1);
}

function statusLine(report: BotReport): string {
  const paths = new Map<string, number>();
  for (const peer of report.peers) paths.set(peer.path, (paths.get(peer.path) ?? 0) + 1);
  const links = [...paths].map(([path, n]) => `${n} ${path}`).join(", ") || "no one else";
  const score = report.score === null ? "waiting for the host's world" : `score ${report.score}`;
  const problem = report.problems.at(-1);
  return `${report.name}: ${links}; ${score}${problem === undefined ? "" : `; last problem: ${problem}`}`;
}
