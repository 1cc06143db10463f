/** A QR matrix as SVG path data: one unit square per dark module, so one path draws it all. */

/** `modules[y][x]` is true for a dark module; coordinates are in module units. */
export function qrPathData(modules: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      // Runs of dark modules on a row become one rectangle: about 3x shorter path data.
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join("");
}
