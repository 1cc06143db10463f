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

const BotLinkReportSchema = v.object({
  remoteId: v.string(),
  connectionState: v.string(),
  open: v.boolean(),
  remoteCandidateType: v.nullable(v.string()),
  statePacketsReceived: v.number(),
  eventPacketsReceived: v.number(),
  packetsPerSecondIn: v.number(),
  packetsPerSecondOut: v.number(),
  stateSendDrops: v.number(),
  rttMs: v.nullable(v.number()),
});

export const BotReportSchema = v.object({
  name: v.string(),
  peerId: v.string(),
  links: v.pipe(v.array(BotLinkReportSchema), v.readonly()),
  problems: v.pipe(v.array(v.string()), v.readonly()),
});

export const FleetMessageSchema = v.variant("type", [
  v.object({ type: v.literal("ready"), peerIds: v.pipe(v.array(v.string()), v.readonly()) }),
  v.object({ type: v.literal("failed"), message: v.string() }),
  v.object({
    type: v.literal("report"),
    bots: v.pipe(v.array(BotReportSchema), v.readonly()),
    ticks: v.number(),
  }),
  /** process.cpuUsage() of the whole fleet process (every thread, libdatachannel's too). */
  v.object({ type: v.literal("cpu"), userMicros: v.number(), systemMicros: v.number() }),
  v.object({ type: v.literal("stopped") }),
]);
export type FleetMessage = v.InferOutput<typeof FleetMessageSchema>;
