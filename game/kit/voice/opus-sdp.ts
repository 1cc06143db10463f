/**
 * Opus settings that are only reachable through SDP. Discontinuous transmission (DTX: almost
 * no packets while the talker is silent) has no API; an Opus encoder follows the `fmtp` line
 * of the description it receives, so adding `usedtx=1` to the peer's description before it is
 * applied makes our own sender use DTX, whatever the peer's build asked for. In-band FEC
 * (`useinbandfec=1`) is on in Chromium's offers already; it is kept as it is.
 */

const OPUS_RTPMAP = /^a=rtpmap:(\d+) opus\/48000\/2\r?$/gim;

/** `sdp` with `usedtx=1` on every Opus payload's `fmtp` (added if missing, kept if present). */
export function withOpusDtx(sdp: string): string {
  const payloads = new Set([...sdp.matchAll(OPUS_RTPMAP)].map((match) => match[1] ?? ""));
  if (payloads.size === 0) return sdp;
  const eol = sdp.includes("\r\n") ? "\r\n" : "\n";
  const lines = sdp.split(eol);
  const withFmtp = new Set<string>();
  const out = lines.map((line) => {
    const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!fmtp || !payloads.has(fmtp[1] ?? "")) return line;
    withFmtp.add(fmtp[1] ?? "");
    const params = fmtp[2] ?? "";
    if (/(^|;)\s*usedtx=/.test(params)) return line.replace(/usedtx=\d/, "usedtx=1");
    return `${line};usedtx=1`;
  });
  // A payload without an fmtp line gets one, right after its rtpmap.
  return out
    .flatMap((line) => {
      const rtpmap = /^a=rtpmap:(\d+) opus\/48000\/2$/i.exec(line);
      const payload = rtpmap?.[1];
      if (payload === undefined || withFmtp.has(payload)) return [line];
      return [line, `a=fmtp:${payload} usedtx=1`];
    })
    .join(eol);
}

/** The parameters of the first Opus `fmtp` line, as a map (for checks and the HUD). */
export function opusParameters(sdp: string): ReadonlyMap<string, string> {
  const payload = [...sdp.matchAll(OPUS_RTPMAP)][0]?.[1];
  if (payload === undefined) return new Map();
  const line = sdp.split(/\r?\n/).find((l) => l.startsWith(`a=fmtp:${payload} `));
  const params = line?.slice(`a=fmtp:${payload} `.length) ?? "";
  return new Map(
    params
      .split(";")
      .map((pair) => pair.trim().split("="))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== "")
      .map(([key, value]) => [key, value]),
  );
}
