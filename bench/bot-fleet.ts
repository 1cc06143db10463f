/**
 * The bot fleet: a child process that joins BOTS bot players to one lobby and drives them at
 * the game's state rate until told to stop. It runs apart from the bench driver so the bots'
 * event loop and libdatachannel threads never share the driver's. Started by
 * `bot-fleet-process.ts` as `node bench/bot-fleet.ts ORIGIN CODE COUNT` with an IPC channel.
 */

import { STATE_HZ } from "edgeplay/protocol";
import { cleanup } from "node-datachannel";
import * as v from "valibot";
import { SIM_HZ } from "../game/sim/local-player.ts";
import { FleetCommandSchema, type FleetMessage } from "./bot-fleet-messages.ts";
import { circleState } from "./bot-motion.ts";
import { BOT_NAME_PREFIX, BotPeer } from "./bot-peer.ts";

const [origin, code, countText] = process.argv.slice(2);
const count = Number(countText);
if (origin === undefined || code === undefined || !Number.isInteger(count) || count < 1) {
  throw new Error("usage: bot-fleet.ts ORIGIN LOBBY_CODE COUNT (with an IPC channel)");
}

const tickMs = 1000 / SIM_HZ;
const ticksPerPacket = Math.round(SIM_HZ / STATE_HZ);
const packetMs = tickMs * ticksPerPacket;

function tell(message: FleetMessage): void {
  process.send?.(message);
}

const bots: BotPeer[] = [];
try {
  // One after another, as players arrive: the lobby's signaling stays calm.
  for (let i = 0; i < count; i++)
    bots.push(await BotPeer.join(origin, code, `${BOT_NAME_PREFIX}${i + 1}`));
} catch (error) {
  tell({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

/**
 * Packets at a steady STATE_HZ: each due time is computed from the start, so a late timer does
 * not shift the ones after it. The sender tick counts SIM_HZ steps, as the game's does.
 */
const startedAt = performance.now();
let packets = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
function sendDue(): void {
  const nowMs = performance.now();
  const due = Math.floor((nowMs - startedAt) / packetMs);
  if (due > packets) {
    packets = due;
    const tick = packets * ticksPerPacket;
    for (const [index, bot] of bots.entries()) {
      bot.tick(circleState(index, bots.length, tick, tickMs), nowMs);
    }
  }
  timer = setTimeout(
    sendDue,
    Math.max(1, startedAt + (packets + 1) * packetMs - performance.now()),
  );
}
sendDue();
tell({ type: "ready", peerIds: bots.map((bot) => bot.peerId) });

process.on("message", (raw) => {
  const parsed = v.safeParse(FleetCommandSchema, raw);
  if (!parsed.success) return;
  const command = parsed.output;
  switch (command.type) {
    case "report": {
      const nowMs = performance.now();
      tell({ type: "report", bots: bots.map((bot) => bot.report(nowMs)), ticks: packets });
      return;
    }
    case "cpu": {
      const usage = process.cpuUsage();
      tell({ type: "cpu", userMicros: usage.user, systemMicros: usage.system });
      return;
    }
    case "stop":
      if (timer !== null) clearTimeout(timer);
      for (const bot of bots) bot.leave();
      // libdatachannel's threads keep the process alive until cleaned up.
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
