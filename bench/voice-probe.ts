/**
 * The voice benches' page side: an init script that records every RTCPeerConnection a page
 * makes and, for a baseline, changes the kit's Opus settings on the way into WebRTC, and a
 * reading of each connection's RTP audio counters and the settings actually in force.
 *
 * The counters are read straight from `getStats()` (the same `outbound-rtp` / `inbound-rtp`
 * fields as the kit's `room.stats(id).audioIn` / `audioOut`), because the kit refreshes its copy
 * once a second: over a few seconds that granularity would be a large error, while each stats
 * entry carries its own timestamp.
 */
import type { BrowserContext, Page } from "playwright-core";
import * as v from "valibot";

/**
 * What a baseline changes. The kit turns DTX on by writing `usedtx=1` into the Opus `fmtp` of
 * every description it receives before `setRemoteDescription`, and caps each sender with
 * `sendEncodings: [{ maxBitrate }]` in `addTransceiver`; the init script wraps those two
 * methods on the prototype, so it sees exactly what the kit passes and changes only this.
 */
export interface OpusTweaks {
  /** `usedtx=1` → `usedtx=0` in every received description (after the kit added it). */
  readonly dtxOff: boolean;
  /** `useinbandfec=1` → `useinbandfec=0` in every received description. */
  readonly fecOff: boolean;
  /** `maxBitrate` removed from the `sendEncodings` given to `addTransceiver`. */
  readonly uncapped: boolean;
}

export interface VoiceSettings {
  readonly name: string;
  readonly tweaks: OpusTweaks;
  /** What each sending connection must show once live, or the run is not what it says. */
  readonly expect: { readonly usedtx: string; readonly useinbandfec: string };
  readonly maxBitrate: number | null;
}

/** The kit's cap (game/kit/voice/audio-port.ts), checked on every sender, not imported. */
const KIT_MAX_BITRATE = 24_000;

export const EDGEPLAY: VoiceSettings = {
  name: "edgeplay (DTX on, FEC on, 24 kbps cap)",
  tweaks: { dtxOff: false, fecOff: false, uncapped: false },
  expect: { usedtx: "1", useinbandfec: "1" },
  maxBitrate: KIT_MAX_BITRATE,
};

/** Chromium's own Opus: its offers carry `useinbandfec=1` and no `usedtx`, and no cap. */
export const BROWSER_DEFAULT: VoiceSettings = {
  name: "baseline: browser-default Opus (DTX off, FEC on, no cap)",
  tweaks: { dtxOff: true, fecOff: false, uncapped: true },
  expect: { usedtx: "0", useinbandfec: "1" },
  maxBitrate: null,
};

export const FEC_OFF: VoiceSettings = {
  name: "baseline: edgeplay with FEC off (useinbandfec=0)",
  tweaks: { dtxOff: false, fecOff: true, uncapped: false },
  expect: { usedtx: "1", useinbandfec: "0" },
  maxBitrate: KIT_MAX_BITRATE,
};

declare global {
  var edgeplayVoiceProbe: { readonly connections: RTCPeerConnection[] } | undefined;
}

/** For every page of `context`, before any of its scripts run. */
export async function installVoiceProbe(
  context: BrowserContext,
  tweaks: OpusTweaks,
): Promise<void> {
  await context.addInitScript((t: OpusTweaks) => {
    const connections: RTCPeerConnection[] = [];
    globalThis.edgeplayVoiceProbe = { connections };
    const Original = RTCPeerConnection;
    class Recorded extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        connections.push(this);
      }
    }
    globalThis.RTCPeerConnection = Recorded;
    const rewrite = (sdp: string): string => {
      let out = sdp;
      if (t.dtxOff) out = out.replaceAll("usedtx=1", "usedtx=0");
      if (t.fecOff) out = out.replaceAll("useinbandfec=1", "useinbandfec=0");
      return out;
    };
    const setRemote = Original.prototype.setRemoteDescription;
    // Reflect.set: the method is overloaded (legacy callbacks), the kit uses the promise form.
    Reflect.set(
      Original.prototype,
      "setRemoteDescription",
      function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
        const changed =
          description?.sdp === undefined
            ? description
            : { ...description, sdp: rewrite(description.sdp) };
        return Reflect.apply(setRemote, this, [changed]);
      },
    );
    const addTransceiver = Original.prototype.addTransceiver;
    Reflect.set(
      Original.prototype,
      "addTransceiver",
      function (
        this: RTCPeerConnection,
        trackOrKind: MediaStreamTrack | string,
        init?: RTCRtpTransceiverInit,
      ) {
        const changed =
          t.uncapped && init?.sendEncodings !== undefined
            ? {
                ...init,
                sendEncodings: init.sendEncodings.map(({ maxBitrate: _, ...rest }) => rest),
              }
            : init;
        return Reflect.apply(addTransceiver, this, [trackOrKind, changed]);
      },
    );
  }, tweaks);
}

const Outbound = v.object({
  /** Stats timestamp, ms. */
  timestamp: v.number(),
  bytesSent: v.number(),
  headerBytesSent: v.number(),
  packetsSent: v.number(),
});
const Inbound = v.object({
  timestamp: v.number(),
  packetsReceived: v.number(),
  packetsLost: v.number(),
  jitterBufferDelay: v.number(),
  jitterBufferEmittedCount: v.number(),
  concealedSamples: v.number(),
  totalSamplesReceived: v.number(),
});
const ConnectionReading = v.object({
  /** Parameters of the Opus `fmtp` line of the description applied as remote. */
  opus: v.record(v.string(), v.string()),
  /** `maxBitrate` of our audio sender's encoding; null: none set (or no audio sender). */
  maxBitrate: v.nullable(v.number()),
  /** The transport's SRTP cipher, for the per-packet authentication tag. */
  srtpCipher: v.nullable(v.string()),
  outbound: v.nullable(Outbound),
  inbound: v.nullable(Inbound),
});
/** Null for a closed connection, so the indexes of the others stay the same across readings. */
const PageReading = v.array(v.nullable(ConnectionReading));

export type OutboundRtp = v.InferOutput<typeof Outbound>;
export type InboundRtp = v.InferOutput<typeof Inbound>;
export type ConnectionVoice = v.InferOutput<typeof ConnectionReading>;
export type PageVoice = v.InferOutput<typeof PageReading>;

/** Every connection of the page, in the order the page made them. */
export async function readVoice(page: Page): Promise<PageVoice> {
  const raw = await page.evaluate(async () => {
    const pick = (entry: object, keys: readonly string[]): Record<string, unknown> =>
      Object.fromEntries(keys.map((key) => [key, Reflect.get(entry, key)]));
    const readings: unknown[] = [];
    for (const pc of globalThis.edgeplayVoiceProbe?.connections ?? []) {
      if (pc.connectionState === "closed") {
        readings.push(null);
        continue;
      }
      let outbound: unknown = null;
      let inbound: unknown = null;
      let srtpCipher: unknown = null;
      (await pc.getStats()).forEach((entry: unknown) => {
        if (typeof entry !== "object" || entry === null) return;
        const type: unknown = Reflect.get(entry, "type");
        const audio = Reflect.get(entry, "kind") === "audio";
        if (type === "outbound-rtp" && audio) {
          outbound = pick(entry, ["timestamp", "bytesSent", "headerBytesSent", "packetsSent"]);
        } else if (type === "inbound-rtp" && audio) {
          inbound = pick(entry, [
            "timestamp",
            "packetsReceived",
            "packetsLost",
            "jitterBufferDelay",
            "jitterBufferEmittedCount",
            "concealedSamples",
            "totalSamplesReceived",
          ]);
        } else if (type === "transport") {
          srtpCipher = Reflect.get(entry, "srtpCipher") ?? null;
        }
      });
      const sdp = pc.remoteDescription?.sdp ?? "";
      const payload = /^a=rtpmap:(\d+) opus\/48000\/2\r?$/im.exec(sdp)?.[1];
      const fmtp = new RegExp(`^a=fmtp:${payload} (.*?)\\r?$`, "m").exec(sdp)?.[1] ?? "";
      const opus = Object.fromEntries(
        fmtp
          .split(";")
          .map((pair) => pair.trim().split("="))
          .filter((pair) => pair.length === 2),
      );
      const sender = pc.getSenders().find((s) => s.track?.kind === "audio");
      const maxBitrate = sender?.getParameters().encodings[0]?.maxBitrate ?? null;
      readings.push({ opus, maxBitrate, srtpCipher, outbound, inbound });
    }
    return readings;
  });
  return v.parse(PageReading, raw);
}

/**
 * Throws unless every connection that sends audio runs `settings`: the Opus parameters the
 * encoder follows (from the remote description) and the sender's cap.
 */
export function checkSettings(reading: PageVoice, settings: VoiceSettings): void {
  for (const connection of reading) {
    if (connection?.outbound == null) continue;
    const { usedtx = "absent", useinbandfec = "absent" } = connection.opus;
    const seen = { usedtx, useinbandfec, maxBitrate: connection.maxBitrate };
    const wanted = { ...settings.expect, maxBitrate: settings.maxBitrate };
    if (JSON.stringify(seen) !== JSON.stringify(wanted)) {
      throw new Error(
        `${settings.name}: a sender runs ${JSON.stringify(seen)}, not ${JSON.stringify(wanted)}`,
      );
    }
  }
}

/** SRTP's authentication tag per packet, by cipher (RFC 3711, RFC 7714). */
export function srtpTagBytes(cipher: string | null): number {
  if (cipher === null) return Number.NaN;
  if (cipher.startsWith("AEAD_AES")) return 16;
  if (cipher.endsWith("_32")) return 4;
  return 10;
}
