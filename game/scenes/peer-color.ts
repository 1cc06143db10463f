/** A stable color per peer id, so every player sees each avatar in the same color. */

/** Two ids whose hues land close together still differ in brightness. */
const LIGHTNESS_STEPS = [0.5, 0.64, 0.78] as const;

export function colorForPeer(peerId: string): number {
  const hash = hashId(peerId);
  const lightness = LIGHTNESS_STEPS[(hash >>> 16) % LIGHTNESS_STEPS.length] ?? 0.64;
  return hslToRgb(hash % 360, 0.72, lightness);
}

/** FNV-1a, then a murmur3-style finalizer so that every bit depends on every character. */
function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
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
