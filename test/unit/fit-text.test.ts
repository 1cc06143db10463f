import { describe, expect, it } from "vitest";
import { fitText, graphemesOf } from "../../game/scenes/fit-text.ts";

/** A ruler that charges every UTF-16 code unit, so multi-unit graphemes cost more. */
const perCodeUnit = (text: string): number => text.length * 10;

/** `cut` without its "…" is made of the first whole graphemes of `name`. */
function isWholeGraphemePrefix(cut: string, name: string): boolean {
  const kept = graphemesOf(cut.endsWith("…") ? cut.slice(0, -1) : cut);
  const all = graphemesOf(name);
  return kept.every((part, index) => part === all[index]);
}

describe("fitText (names cut to a measured width)", () => {
  it("keeps a name that fits, and cuts one that does not with an ellipsis", () => {
    expect(fitText("Ana", 100, perCodeUnit)).toBe("Ana");
    expect(fitText("Alexandria", 60, perCodeUnit)).toBe("Alexa…");
    expect(perCodeUnit(fitText("Alexandria", 60, perCodeUnit))).toBeLessThanOrEqual(60);
  });

  it("measures widths, not characters: narrow letters fit more than wide ones", () => {
    const narrowI = (text: string): number =>
      [...text].reduce((sum, ch) => sum + (ch === "i" ? 4 : ch === "…" ? 10 : 16), 0);
    expect(fitText("iiiiiiiiiiiiiiii", 50, narrowI)).toBe("iiiiiiiiii…");
    expect(fitText("WWWWWWWWWWWWWWWW", 50, narrowI)).toBe("WW…");
  });

  it("never splits an emoji ZWJ sequence", () => {
    const name = "👩‍👩‍👧‍👦👨‍🚀👩🏽‍💻 team";
    for (let width = 0; width <= perCodeUnit(name); width += 10) {
      const cut = fitText(name, width, perCodeUnit);
      expect(isWholeGraphemePrefix(cut, name)).toBe(true);
    }
    // The family (11 code units) fits in 120 with the ellipsis; half of it never shows.
    expect(fitText(name, 120, perCodeUnit)).toBe("👩‍👩‍👧‍👦…");
    expect(fitText(name, 100, perCodeUnit)).toBe("…");
  });

  it("never splits a flag into its regional indicators", () => {
    const name = "🇫🇷🇩🇪🇯🇵🇧🇷";
    for (let width = 0; width <= perCodeUnit(name); width += 10) {
      const cut = fitText(name, width, perCodeUnit);
      expect(isWholeGraphemePrefix(cut, name)).toBe(true);
      expect(graphemesOf(cut.replace("…", "")).every((flag) => flag.length === 4)).toBe(true);
    }
    expect(fitText(name, 90, perCodeUnit)).toBe("🇫🇷🇩🇪…");
  });

  it("keeps combining marks with their letter", () => {
    // "Zoë" and "José" spelt with combining marks (U+0308, U+0301), then Hangul jamo.
    const name = "Zoe\u0308 Jose\u0301 \u1100\u1161\u11a8";
    for (let width = 0; width <= perCodeUnit(name); width += 10) {
      const cut = fitText(name, width, perCodeUnit);
      expect(isWholeGraphemePrefix(cut, name)).toBe(true);
      expect(cut).not.toMatch(/e…$/);
    }
    // "Zo" fits with the ellipsis in 30, "Zoë" (4 units) does not: the "e" goes with its mark.
    expect(fitText(name, 30, perCodeUnit)).toBe("Zo…");
    expect(fitText(name, 50, perCodeUnit)).toBe("Zoe\u0308…");
  });

  it("drops a trailing space before the ellipsis", () => {
    expect(fitText("Ana Maria", 50, perCodeUnit)).toBe("Ana…");
  });

  it("shows the ellipsis alone when not even one grapheme fits", () => {
    expect(fitText("Bartholomew", 5, perCodeUnit)).toBe("…");
    expect(fitText("", 0, perCodeUnit)).toBe("");
  });
});
