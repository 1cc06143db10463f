/**
 * Names unique within a lobby: a joiner whose name a seat already holds gets the lowest free
 * number after it ("Ana 2", "Ana 3", ...), so players can always tell each other apart. Pure.
 */
import { MAX_NAME_CHARS } from "../../shared/limits.ts";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * What makes two names the same name: trimmed, in Unicode NFC (so "José" typed with a
 * combining accent is the same as with a precomposed é), without case.
 */
export function nameKey(name: string): string {
  return name.trim().normalize("NFC").toLowerCase();
}

/**
 * `wanted` when no name in `taken` is the same name, else `wanted` numbered from 2 with the
 * lowest number that makes it unique. A numbered name that would pass MAX_NAME_CHARS keeps
 * fewer of `wanted`'s characters, dropping whole grapheme clusters (an emoji, a letter with
 * its accents) from the end, never half of one.
 */
export function uniqueName(wanted: string, taken: Iterable<string>): string {
  const held = new Set([...taken].map(nameKey));
  if (!held.has(nameKey(wanted))) return wanted;
  for (let number = 2; ; number++) {
    const candidate = numbered(wanted, number);
    if (!held.has(nameKey(candidate))) return candidate;
  }
}

/** `base` and ` number`, within MAX_NAME_CHARS. */
export function numbered(base: string, number: number): string {
  const suffix = ` ${number}`;
  return `${shortenTo(base, MAX_NAME_CHARS - suffix.length).trimEnd()}${suffix}`.trimStart();
}

/** The longest start of `text` that fits in `maxChars` UTF-16 units, in whole grapheme clusters. */
export function shortenTo(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > maxChars) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
