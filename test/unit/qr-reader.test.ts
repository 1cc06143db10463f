/** The e2e tests' QR reader against codes uqr (the game's encoder) makes, as matrices and as pixels. */
import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { type Bitmap, type Modules, readQrCode, sampleModules } from "../e2e/qr-reader.ts";

const LEVELS = ["L", "M", "Q", "H"] as const;

/** Draws modules as a rendering would: `scale` pixels each (edges rounded), light around. */
function render(
  modules: Modules,
  scale: number,
  quiet: number,
): Bitmap & { rgba: Uint8ClampedArray } {
  const width = Math.round((modules.length + 2 * quiet) * scale);
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  modules.forEach((row, my) => {
    row.forEach((isDark, mx) => {
      if (!isDark) return;
      const [x0, x1] = [Math.round((mx + quiet) * scale), Math.round((mx + quiet + 1) * scale)];
      const [y0, y1] = [Math.round((my + quiet) * scale), Math.round((my + quiet + 1) * scale)];
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) rgba.set([11, 14, 26], (y * width + x) * 4);
      }
    });
  });
  return { width, height: width, rgba };
}

/** The longest text a symbol of this level and version holds: every data block full. */
function fullestText(ecc: (typeof LEVELS)[number], version: number): string {
  const text = (length: number): string =>
    `é${Array.from({ length }, (_, i) => String.fromCharCode(97 + (i % 26))).join("")}`;
  const fits = (length: number): boolean => {
    try {
      encode(text(length), { ecc, minVersion: version, maxVersion: version, maskPattern: 0 });
      return true;
    } catch {
      return false;
    }
  };
  let [low, high] = [0, 400];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return text(low);
}

describe("the QR reader", () => {
  it("reads every level, mask and version 1–10 back to the text", () => {
    let checked = 0;
    for (const ecc of LEVELS) {
      for (let version = 1; version <= 10; version++) {
        const text = fullestText(ecc, version);
        const maskPattern = checked % 8;
        const qr = encode(text, { ecc, minVersion: version, maskPattern, border: 0 });
        expect([qr.version, qr.maskPattern]).toEqual([version, maskPattern]);
        expect(readQrCode(qr.data), `${ecc} v${version}`).toBe(text);
        checked++;
      }
    }
  });

  it("finds the grid in pixels at the sizes the panel draws (a few pixels a module)", () => {
    const qr = encode("http://192.168.1.20:8787/?lobby=7KX2QM", { ecc: "M", border: 0 });
    for (const scale of [1.94, 2.55, 3, 7.3]) {
      const bitmap = render(qr.data, scale, 2);
      // A screenshot's last row may show what lies below the element.
      bitmap.rgba.fill(0, (bitmap.height - 1) * bitmap.width * 4);
      expect(sampleModules(bitmap), `${scale} px`).toEqual(qr.data);
    }
  });

  it("refuses what is no QR code", () => {
    expect(() => readQrCode([[true]])).toThrow(/not a QR code/);
    const blank = { width: 4, height: 4, rgba: new Uint8ClampedArray(64).fill(255) };
    expect(() => sampleModules(blank)).toThrow(/no dark pixels/);
  });
});
