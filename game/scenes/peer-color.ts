/** A stable color per peer id, so every player sees each avatar in the same color. */
import { hashString32 } from "edgeplay/protocol";

/** Two ids whose hues land close together still differ in brightness. */
const LIGHTNESS_STEPS = [0.5, 0.64, 0.78] as const;
/** Hues left to the pickups (gold, 0xffd166 is ~42°), so no avatar looks like one. */
const PICKUP_HUES = { from: 25, to: 65 } as const;

export function colorForPeer(peerId: string): number {
  const hash = hashString32(peerId);
  const lightness = LIGHTNESS_STEPS[(hash >>> 16) % LIGHTNESS_STEPS.length] ?? 0.64;
  return hslToRgb(avatarHue(hash), 0.72, lightness);
}

/** A hue in [0, 360) outside the pickups' band, spread evenly over the rest of the wheel. */
export function avatarHue(hash: number): number {
  const band = PICKUP_HUES.to - PICKUP_HUES.from;
  const hue = (hash >>> 0) % (360 - band);
  return hue < PICKUP_HUES.from ? hue : hue + band;
}

function hslToRgb(hue: number, saturation: number, lightness: number): number {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number): number => {
    const k = (offset + hue / 30) % 12;
    const value = lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255);
  };
  return (channel(0) << 16) | (channel(8) << 8) | channel(4);
}
