/**
 * A fast, well-mixed 32-bit string hash: FNV-1a, then murmur3's finalizer so every output bit
 * depends on every input character. Not cryptographic. The directory shards lobbies by it, so
 * changing it moves every lobby to another shard (see docs/scaling.md).
 */
export function hashString32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
