/** Text widths in CSS px for a font, measured on one shared offscreen canvas. */

let context: CanvasRenderingContext2D | null = null;

/** A measure for `fitText`: `font` is a CSS font shorthand, e.g. `bold 14px system-ui`. */
export function textRuler(font: string): (text: string) => number {
  context ??= document.createElement("canvas").getContext("2d");
  const ctx = context;
  // Without a 2D context (never in a browser) a rough width per character still cuts long names.
  if (ctx === null) return (text) => text.length * 8;
  return (text) => {
    ctx.font = font;
    return ctx.measureText(text).width;
  };
}
