/**
 * Whether a peer connection's working path goes through a TURN server, read from
 * `RTCPeerConnection.getStats()`: the selected candidate pair, and the types of its two
 * candidates. A `relay` candidate on either end is a TURN allocation. Pure (it takes the
 * report's values), so it runs in Node tests on hand-made reports.
 */
import { isRecord } from "../../../shared/guards.ts";

export type DirectPath = "direct" | "turn";

/** The values of an RTCStatsReport (`report.values()`), or anything shaped like them. */
export function directPathFromStats(stats: Iterable<unknown>): DirectPath | null {
  const byId = new Map<string, Record<string, unknown>>();
  for (const entry of stats) {
    if (isRecord(entry) && typeof entry["id"] === "string") byId.set(entry["id"], entry);
  }
  const pair = selectedPair(byId);
  if (pair === null) return null;
  const local = byId.get(stringField(pair, "localCandidateId"));
  const remote = byId.get(stringField(pair, "remoteCandidateId"));
  if (local === undefined || remote === undefined) return null;
  const relayed = local["candidateType"] === "relay" || remote["candidateType"] === "relay";
  return relayed ? "turn" : "direct";
}

/**
 * Chromium names the pair in use on the `transport` entry; Firefox marks it `selected` on the
 * pair itself. A nominated, succeeded pair is the last resort.
 */
function selectedPair(
  byId: ReadonlyMap<string, Record<string, unknown>>,
): Record<string, unknown> | null {
  for (const entry of byId.values()) {
    if (entry["type"] !== "transport") continue;
    const pair = byId.get(stringField(entry, "selectedCandidatePairId"));
    if (pair !== undefined) return pair;
  }
  let nominated: Record<string, unknown> | null = null;
  for (const entry of byId.values()) {
    if (entry["type"] !== "candidate-pair") continue;
    if (entry["selected"] === true) return entry;
    if (entry["nominated"] === true && entry["state"] === "succeeded") nominated ??= entry;
  }
  return nominated;
}

function stringField(entry: Record<string, unknown>, key: string): string {
  const value = entry[key];
  return typeof value === "string" ? value : "";
}
