import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { qrPathData } from "../../game/ui/qr-path.ts";

describe("QR modules as SVG path data", () => {
  it("draws one rectangle per run of dark modules", () => {
    const modules = [
      [true, true, false],
      [false, true, false],
      [true, false, true],
    ];
    expect(qrPathData(modules)).toBe("M0 0h2v1h-2zM1 1h1v1h-1zM0 2h1v1h-1zM2 2h1v1h-1z");
  });

  it("draws nothing for an all-light matrix", () => {
    expect(qrPathData([[false, false]])).toBe("");
  });

  it("covers exactly the dark modules of a real code", () => {
    const { data } = encode("http://127.0.0.1:8787/?lobby=7KX2QM", { border: 2 });
    const covered = data.map((row) => row.map(() => false));
    for (const match of qrPathData(data).matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      const [x, y, width] = [Number(match[1]), Number(match[2]), Number(match[3])];
      for (let i = 0; i < width; i++) {
        const row = covered[y];
        if (row) row[x + i] = true;
      }
    }
    expect(covered).toEqual(data);
  });
});
