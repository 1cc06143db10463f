/**
 * Reads a QR code from a bitmap, so a test can check what a phone's camera would get from the
 * page. Enough for a code drawn upright and undistorted (a rendering, not a photo): versions
 * 1–10, byte mode, no error correction (a misread module shows up as wrong text, never as the
 * right one). Written from ISO/IEC 18004.
 */

export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** RGBA, row by row (canvas `ImageData.data`). */
  readonly rgba: ArrayLike<number>;
}

/** `modules[y][x]`, true for dark; the symbol only, no quiet zone. */
export type Modules = readonly (readonly boolean[])[];

/** Error correction codewords per block and block count, by level (L, M, Q, H) and version 1–10. */
const ECC_PER_BLOCK = {
  L: [7, 10, 15, 20, 26, 18, 20, 24, 30, 18],
  M: [10, 16, 26, 18, 24, 16, 18, 22, 22, 26],
  Q: [13, 22, 18, 26, 18, 24, 18, 22, 20, 24],
  H: [17, 28, 22, 16, 22, 28, 26, 26, 24, 28],
} as const;
const BLOCKS = {
  L: [1, 1, 1, 1, 1, 2, 2, 2, 2, 4],
  M: [1, 1, 1, 2, 2, 4, 4, 4, 5, 5],
  Q: [1, 1, 2, 2, 4, 4, 6, 6, 8, 8],
  H: [1, 1, 2, 4, 4, 4, 5, 6, 8, 8],
} as const;
/** The format's two level bits, as the symbol stores them. */
const LEVEL_BY_BITS = ["M", "L", "H", "Q"] as const;
type Level = (typeof LEVEL_BY_BITS)[number];

const MASKS: readonly ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** The module grid of the one upright QR code in a bitmap, with light above and beside it. */
export function sampleModules(bitmap: Bitmap): Modules {
  const dark = (x: number, y: number): boolean => {
    const i = (y * bitmap.width + x) * 4;
    const [r = 255, g = 255, b = 255] = [bitmap.rgba[i], bitmap.rgba[i + 1], bitmap.rgba[i + 2]];
    return 0.299 * r + 0.587 * g + 0.114 * b < 128;
  };
  const rowHasDark = (y: number): boolean => {
    for (let x = 0; x < bitmap.width; x++) if (dark(x, y)) return true;
    return false;
  };
  // The symbol's top row starts and ends with its two upper finders' top edges, dark all along:
  // it gives the symbol's place and width (its height is the same; below it may be anything).
  let top = 0;
  while (top < bitmap.height && !rowHasDark(top)) top++;
  if (top === bitmap.height) throw new Error("no dark pixels: no QR code here");
  let left = 0;
  while (!dark(left, top)) left++;
  let right = bitmap.width - 1;
  while (!dark(right, top)) right--;
  // The top-left finder's top edge is 7 modules of dark: it gives the module size.
  let run = 0;
  while (left + run <= right && dark(left + run, top)) run++;
  const estimate = Math.round((right - left + 1) / (run / 7));
  const version = Math.round((estimate - 17) / 4);
  if (version < 1 || version > 40) throw new Error(`no QR code grid here (${estimate} modules?)`);
  const size = 17 + 4 * version;
  const step = (right - left + 1) / size;
  return Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) =>
      dark(Math.floor(left + (x + 0.5) * step), Math.floor(top + (y + 0.5) * step)),
    ),
  );
}

/** The text a QR code holds. */
export function readQrCode(modules: Modules): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 10) {
    throw new Error(`a ${size}×${size} grid is not a QR code of version 1–10`);
  }
  const at = (x: number, y: number): boolean => modules[y]?.[x] === true;
  const { level, mask } = readFormat(at, size);
  const functional = functionModules(version, size);
  const masked = MASKS[mask];
  if (!masked) throw new Error(`no mask ${mask}`);
  const bits: number[] = [];
  // Two-module columns from the right, snaking up and down, skipping the timing column.
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert++) {
      const y = upward ? size - 1 - vert : vert;
      for (const x of [right, right - 1]) {
        if (!functional(x, y)) bits.push(Number(at(x, y) !== masked(x, y)));
      }
    }
  }
  const codewords = Array.from({ length: Math.floor(bits.length / 8) }, (_, i) =>
    bits.slice(i * 8, i * 8 + 8).reduce((byte, bit) => (byte << 1) | bit, 0),
  );
  return parseSegments(deinterleave(codewords, version, level), version);
}

/** Level and mask from the format bits beside the top-left finder (the nearest valid code). */
function readFormat(
  at: (x: number, y: number) => boolean,
  size: number,
): { level: Level; mask: number } {
  const positions = [
    ...[0, 1, 2, 3, 4, 5, 7, 8].map((y) => [8, y] as const),
    [7, 8] as const,
    ...[5, 4, 3, 2, 1, 0].map((x) => [x, 8] as const),
  ];
  const read = positions.reduce((word, [x, y], i) => word | (Number(at(x, y)) << i), 0);
  let best = { distance: 16, data: 0 };
  for (let data = 0; data < 32; data++) {
    let remainder = data;
    for (let i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
    const word = ((data << 10) | remainder) ^ 0x5412;
    const distance = [...(word ^ read).toString(2)].filter((bit) => bit === "1").length;
    if (distance < best.distance) best = { distance, data };
  }
  if (best.distance > 3) throw new Error(`unreadable format bits (${size}×${size})`);
  return { level: LEVEL_BY_BITS[best.data >> 3] ?? "M", mask: best.data & 7 };
}

/**
 * Finders with separators and format areas, timing lines, alignment patterns, version areas:
 * `(x, y) => true` where a module carries no data.
 */
function functionModules(version: number, size: number): (x: number, y: number) => boolean {
  const grid = new Uint8Array(size * size);
  const mark = (x0: number, y0: number, w: number, h: number): void => {
    for (let y = y0; y < y0 + h; y++) grid.fill(1, y * size + x0, y * size + x0 + w);
  };
  mark(0, 0, 9, 9);
  mark(size - 8, 0, 8, 9);
  mark(0, size - 8, 9, 8);
  mark(6, 0, 1, size);
  mark(0, 6, size, 1);
  const centers = alignmentCenters(version, size);
  for (const cy of centers) {
    for (const cx of centers) {
      const inFinder = (cx === 6 && (cy === 6 || cy === size - 7)) || (cx === size - 7 && cy === 6);
      if (!inFinder) mark(cx - 2, cy - 2, 5, 5);
    }
  }
  if (version >= 7) {
    mark(size - 11, 0, 3, 6);
    mark(0, size - 11, 6, 3);
  }
  return (x, y) => grid[y * size + x] === 1;
}

function alignmentCenters(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const centers = [6];
  for (let pos = size - 7; centers.length < count; pos -= step) centers.splice(1, 0, pos);
  return centers;
}

/** The data codewords, blocks put back in order; error correction codewords are dropped. */
function deinterleave(codewords: readonly number[], version: number, level: Level): number[] {
  const blockCount = BLOCKS[level][version - 1] ?? 1;
  const eccPerBlock = ECC_PER_BLOCK[level][version - 1] ?? 0;
  const shortBlocks = blockCount - (codewords.length % blockCount);
  const shortData = Math.floor(codewords.length / blockCount) - eccPerBlock;
  const blocks: number[][] = Array.from({ length: blockCount }, () => []);
  let next = 0;
  for (let i = 0; i <= shortData; i++) {
    blocks.forEach((block, b) => {
      if (i < shortData || b >= shortBlocks) block.push(codewords[next++] ?? 0);
    });
  }
  return blocks.flat();
}

/** Byte-mode segments up to the terminator, as UTF-8. */
function parseSegments(data: readonly number[], version: number): string {
  let position = 0;
  const take = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++, position++) {
      value = (value << 1) | (((data[position >> 3] ?? 0) >> (7 - (position & 7))) & 1);
    }
    return value;
  };
  const bytes: number[] = [];
  while (position + 4 <= data.length * 8) {
    const mode = take(4);
    if (mode === 0) break;
    if (mode !== 0b0100) throw new Error(`segment mode ${mode} is not byte mode`);
    const length = take(version <= 9 ? 8 : 16);
    for (let i = 0; i < length; i++) bytes.push(take(8));
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
}
