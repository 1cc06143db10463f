/** The voice loss bench's table (voice-loss.ts): windows pooled by loss level and settings. */
import { median } from "./page-probe.ts";
import type { VoiceSettings } from "./voice-probe.ts";
import type { ReceiveWindow, SendRate } from "./voice-rates.ts";

export interface LossWindow {
  readonly loss: number;
  readonly settings: VoiceSettings;
  /** What the listener's jitter buffer did with the talker's stream. */
  readonly received: ReceiveWindow;
  /** What the talker sent to the listener in the same window. */
  readonly sent: SendRate;
}

interface Row {
  readonly loss: number;
  readonly settings: VoiceSettings;
  readonly windows: number;
  readonly lostPackets: number;
  readonly duePackets: number;
  readonly lostPercent: number;
  readonly jitterBufferMs: number;
  readonly concealedPercent: number;
  readonly sentKbps: number;
  readonly sentPacketsPerSecond: number;
}

function pool(windows: readonly LossWindow[], loss: number, settings: VoiceSettings): Row | null {
  const own = windows.filter((w) => w.loss === loss && w.settings === settings);
  if (own.length === 0) return null;
  const lost = own.reduce((sum, w) => sum + w.received.packetsLost, 0);
  const received = own.reduce((sum, w) => sum + w.received.packetsReceived, 0);
  return {
    loss,
    settings,
    windows: own.length,
    lostPackets: lost,
    duePackets: lost + received,
    lostPercent: (lost / (lost + received)) * 100,
    jitterBufferMs: median(own.map((w) => w.received.jitterBufferMs)),
    concealedPercent: median(own.map((w) => w.received.concealedPercent)),
    sentKbps: median(own.map((w) => w.sent.kbps)),
    sentPacketsPerSecond: median(own.map((w) => w.sent.packetsPerSecond)),
  };
}

export function formatLossTable(
  windows: readonly LossWindow[],
  losses: readonly number[],
  order: readonly VoiceSettings[],
): string {
  const rows = losses.flatMap((loss) =>
    order.map((settings) => pool(windows, loss, settings)).filter((r): r is Row => r !== null),
  );
  const table = [
    "| UDP loss at the listener | settings | windows | packets lost / due (sums) | lost % (measured) | jitter buffer delay ms (median) | concealed % (median) | talker's payload kbps / packets/s (medians) |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.loss}% | ${r.settings.name} | ${r.windows} | ${r.lostPackets} / ${r.duePackets} | ${r.lostPercent.toFixed(1)}% | ${r.jitterBufferMs.toFixed(1)} | ${r.concealedPercent.toFixed(2)}% | ${r.sentKbps.toFixed(1)} / ${r.sentPacketsPerSecond.toFixed(1)} |`,
    ),
  ];
  const [ours, baseline] = order;
  if (!ours || !baseline) return table.join("\n");
  const ratios = losses.flatMap((loss) => {
    const a = rows.find((r) => r.loss === loss && r.settings === ours);
    const b = rows.find((r) => r.loss === loss && r.settings === baseline);
    if (!a || !b) return [];
    return [
      `| ${loss}% | ${a.concealedPercent.toFixed(2)}% / ${b.concealedPercent.toFixed(2)}% | ${b.concealedPercent > 0 ? `${(a.concealedPercent / b.concealedPercent).toFixed(2)}x` : "–"} | ${a.jitterBufferMs.toFixed(1)} / ${b.jitterBufferMs.toFixed(1)} | ${(a.jitterBufferMs / b.jitterBufferMs).toFixed(2)}x |`,
    ];
  });
  return [
    ...table,
    "",
    "| loss | concealed: edgeplay / baseline | ratio | jitter buffer ms: edgeplay / baseline | ratio |",
    "|---:|---:|---:|---:|---:|",
    ...ratios,
  ].join("\n");
}
