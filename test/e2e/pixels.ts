/** What a screenshot shows, pixel by pixel: PNGs decoded by the browser itself. */
import type { Page } from "playwright-core";
import type { Bitmap } from "./qr-reader.ts";

/** RGBA pixels of a PNG, decoded by the browser in a blank page of the same context. */
export async function decodePng(page: Page, png: Buffer): Promise<Bitmap> {
  const scratch = await page.context().newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2D canvas");
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      return { width: image.width, height: image.height, rgba: [...data] };
    }, png.toString("base64"));
  } finally {
    await scratch.close();
  }
}

/** How many pixels are within `tolerance` of `rgb` on every channel. */
export function countColor(bitmap: Bitmap, rgb: number, tolerance: number): number {
  const want = [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff];
  let count = 0;
  for (let i = 0; i + 3 < bitmap.rgba.length; i += 4) {
    const near = want.every((value, channel) => {
      const got = bitmap.rgba[i + channel] ?? -1000;
      return Math.abs(got - value) <= tolerance;
    });
    if (near) count++;
  }
  return count;
}
