/**
 * The bot fleet: a child process that joins COUNT bots (bot.ts) to one lobby, where they play
 * until told to stop. It runs apart from the bench driver so the bots' event loop and
 * libdatachannel threads never share the driver's. Started by `bot-fleet-process.ts` as
 * `node bench/bot-fleet.ts ORIGIN CODE COUNT` with an IPC channel.
 */

import { cleanup } from "node-datachannel";
import * as v from "valibot";
import { Bot } from "./bot.ts";
import { FleetCommandSchema, type FleetMessage } from "./bot-fleet-messages.ts";

const [origin, code, countText] = process.argv.slice(2);
const count = Number(countText);
if (origin === undefined || code === undefined || !Number.isInteger(count) || count < 1) {
  throw new Error("usage: bot-fleet.ts ORIGIN LOBBY_CODE COUNT (with an IPC channel)");
}

function tell(message: FleetMessage): void {
  process.send?.(message);
}

const bots: Bot[] = [];
try {
  // One after another, as players arrive: the lobby's signaling stays calm.
  for (let index = 0; index < count; index++) {
    bots.push(await Bot.join({ server: origin, code, name: `bot ${index + 1}`, index, count }));
  }
} catch (error) {
  tell({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  for (const bot of bots) bot.leave();
  cleanup();
  process.exit(1);
}
tell({ type: "ready", peerIds: bots.map((bot) => bot.room.selfId ?? "") });

process.on("message", (raw) => {
  const parsed = v.safeParse(FleetCommandSchema, raw);
  if (!parsed.success) return;
  const command = parsed.output;
  switch (command.type) {
    case "report":
      tell({ type: "report", bots: bots.map((bot) => bot.report()) });
      return;
    case "cpu": {
      const usage = process.cpuUsage();
      tell({ type: "cpu", userMicros: usage.user, systemMicros: usage.system });
      return;
    }
    case "stop":
      for (const bot of bots) bot.leave();
      // The leave frames need a moment on their sockets; libdatachannel's threads keep the
      // process alive until cleaned up.
      setTimeout(() => {
        cleanup();
        tell({ type: "stopped" });
        process.disconnect?.();
      }, 200);
      return;
    default:
      command satisfies never;
  }
});
