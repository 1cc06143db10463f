/**
 * Canvas text that stays readable when the arena is drawn small. The arena is 960×540 units
 * scaled to fit its box, so on a phone one unit is less than half a CSS pixel and a 14-unit
 * label would show at 5 px. Text is scaled up by what it takes to show at least
 * `MIN_TEXT_CSS_PX`, and never down. Pure.
 */

/** The smallest text size, in CSS px, the arena shows. */
export const MIN_TEXT_CSS_PX = 11;

/**
 * The factor for text drawn at `fontPx` arena units when one unit shows as `cssPerWorld` CSS px:
 * 1 when it is readable already.
 */
export function readableZoom(fontPx: number, cssPerWorld: number): number {
  if (!(cssPerWorld > 0) || !(fontPx > 0)) return 1;
  return Math.max(1, MIN_TEXT_CSS_PX / (fontPx * cssPerWorld));
}
