/**
 * Names cut to fit a width: by measured width, not character count, and only between whole
 * grapheme clusters, so an emoji, a flag or a letter with its accents is never split. Pure:
 * the caller measures (a canvas context, Phaser text), tests pass a fake ruler.
 */

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function graphemesOf(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** `text` if it fits in `maxWidth`, else its longest whole-grapheme start that fits with "…". */
export function fitText(text: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const parts = graphemesOf(text);
  // Binary search on the number of graphemes kept: widths grow with the prefix.
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(`${parts.slice(0, mid).join("").trimEnd()}${ELLIPSIS}`) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return `${parts.slice(0, low).join("").trimEnd()}${ELLIPSIS}`;
}
