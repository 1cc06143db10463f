import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { avatarHue, colorForPeer } from "../../game/scenes/peer-color.ts";

describe("avatar colors", () => {
  it("never uses the pickups' gold hues", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (hash) => {
        const hue = avatarHue(hash);
        expect(hue).toBeGreaterThanOrEqual(0);
        expect(hue).toBeLessThan(360);
        expect(hue < 25 || hue >= 65).toBe(true);
      }),
    );
  });

  it("still reaches every other hue", () => {
    const seen = new Set(Array.from({ length: 320 }, (_, hash) => avatarHue(hash)));
    expect(seen.size).toBe(320);
    expect(seen.has(24) && seen.has(65) && seen.has(359)).toBe(true);
  });

  it("gives a peer the same color on every page, whatever build each page runs", () => {
    // Pinned: a change to the hash or the palette would give peers different colors on
    // pages of different versions, and should be made knowingly.
    expect(colorForPeer("peer-abc")).toBe(0xe561e3);
    expect(colorForPeer("peer-abd")).toBe(0x7e61e5);
  });
});
