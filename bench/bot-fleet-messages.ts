/**
 * The IPC between the bench driver and the bot fleet's child process. Both ends validate what
 * they receive: IPC messages are structured clones from another process, not typed values.
 */
import * as v from "valibot";

export const FleetCommandSchema = v.variant("type", [
  v.object({ type: v.literal("report") }),
  v.object({ type: v.literal("cpu") }),
  v.object({ type: v.literal("stop") }),
]);
export type FleetCommand = v.InferOutput<typeof FleetCommandSchema>;

/** `BotPeerReport` (bot.ts). */
const BotPeerReportSchema = v.object({
  peerId: v.string(),
  name: v.string(),
  path: v.string(),
  channelsOpen: v.boolean(),
  avatarPackets: v.number(),
  packetsPerSecondIn: v.number(),
  packetsPerSecondOut: v.number(),
  rttMs: v.nullable(v.number()),
  sendDrops: v.number(),
});

/** `BotReport` (bot.ts). */
export const BotReportSchema = v.object({
  name: v.string(),
  peerId: v.string(),
  avatarSent: v.number(),
  score: v.nullable(v.number()),
  peers: v.pipe(v.array(BotPeerReportSchema), v.readonly()),
  problems: v.pipe(v.array(v.string()), v.readonly()),
  problemCounts: v.record(v.string(), v.number()),
});

export const FleetMessageSchema = v.variant("type", [
  v.object({ type: v.literal("ready"), peerIds: v.pipe(v.array(v.string()), v.readonly()) }),
  v.object({ type: v.literal("failed"), message: v.string() }),
  v.object({ type: v.literal("report"), bots: v.pipe(v.array(BotReportSchema), v.readonly()) }),
  /** process.cpuUsage() of the whole fleet process (every thread, libdatachannel's too). */
  v.object({ type: v.literal("cpu"), userMicros: v.number(), systemMicros: v.number() }),
  v.object({ type: v.literal("stopped") }),
]);
export type FleetMessage = v.InferOutput<typeof FleetMessageSchema>;
