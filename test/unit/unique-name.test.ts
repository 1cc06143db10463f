/** Names in a lobby are unique: the lobby numbers a name someone already holds. */
import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { MAX_NAME_CHARS } from "../../shared/limits.ts";
import { PlayerNameSchema } from "../../shared/protocol.ts";
import { nameKey, numbered, shortenTo, uniqueName } from "../../worker/lobby/unique-name.ts";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const clusters = (text: string): string[] => [...graphemes.segment(text)].map((s) => s.segment);

describe("unique names", () => {
  it("keeps a name nobody holds", () => {
    expect(uniqueName("Ana", [])).toBe("Ana");
    expect(uniqueName("Ana", ["Bo", "Anastasia"])).toBe("Ana");
  });

  it("numbers a held name from 2, taking the lowest free number", () => {
    expect(uniqueName("Ana", ["Ana"])).toBe("Ana 2");
    expect(uniqueName("Ana", ["Ana", "Ana 2"])).toBe("Ana 3");
    // "Ana 2" left: the next Ana takes the number back.
    expect(uniqueName("Ana", ["Ana", "Ana 3"])).toBe("Ana 2");
    // A name someone chose that looks numbered is held like any other.
    expect(uniqueName("Ana 2", ["Ana 2"])).toBe("Ana 2 2");
  });

  it("compares names trimmed, without case, and in one Unicode form", () => {
    expect(nameKey("  ANA ")).toBe(nameKey("ana"));
    expect(uniqueName("ana", ["ANA"])).toBe("ana 2");
    expect(uniqueName("ANA", ["ana", "Ana 2"])).toBe("ANA 3");
    // é precomposed (NFC) and e with a combining acute (NFD) are the same name.
    expect(uniqueName("Jos\u00e9", ["Jose\u0301"])).toBe("Jos\u00e9 2");
    expect(uniqueName("Jose\u0301", ["Jos\u00e9"])).toBe("Jose\u0301 2");
  });

  it("shortens a long name by whole characters to fit the number within the limit", () => {
    const long = "x".repeat(MAX_NAME_CHARS);
    const second = uniqueName(long, [long]);
    expect(second).toBe(`${"x".repeat(MAX_NAME_CHARS - 2)} 2`);
    expect(second).toHaveLength(MAX_NAME_CHARS);
    const held = [long, ...Array.from({ length: 8 }, (_, i) => numbered(long, i + 2))];
    expect(uniqueName(long, held)).toBe(`${"x".repeat(MAX_NAME_CHARS - 3)} 10`);
  });

  it("never splits an emoji, a ZWJ sequence or a letter from its accents", () => {
    const family = "👩‍👩‍👧"; // 8 UTF-16 units, one grapheme cluster
    expect(family).toHaveLength(8);
    const name = `${"a".repeat(23)}${family}`; // 31 units: " 2" does not fit after it
    expect(uniqueName(name, [name])).toBe(`${"a".repeat(23)} 2`);
    const fits = `${"a".repeat(22)}${family}`; // 30 units: it does
    expect(uniqueName(fits, [fits])).toBe(`${fits} 2`);
    const accented = `${"b".repeat(29)}e\u0301\u0323`; // 32 units, the last cluster 3 units
    expect(uniqueName(accented, [accented])).toBe(`${"b".repeat(29)} 2`);
    const flags = "🇫🇷".repeat(8); // 32 units, 8 clusters of 4
    expect(uniqueName(flags, [flags])).toBe(`${"🇫🇷".repeat(7)} 2`);
  });

  it("drops the space a shortened name would end with", () => {
    const name = `${"c".repeat(29)} dd`; // cut after the space
    expect(uniqueName(name, [name])).toBe(`${"c".repeat(29)} 2`);
  });

  it("gives back a valid name, unique and within the limit, whatever the names", () => {
    const anyName = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: MAX_NAME_CHARS })
      .filter((name) => v.is(PlayerNameSchema, name));
    fc.assert(
      fc.property(anyName, fc.array(anyName, { maxLength: 7 }), (wanted, taken) => {
        const given = uniqueName(wanted, [...taken, wanted]);
        expect(v.is(PlayerNameSchema, given), JSON.stringify(given)).toBe(true);
        expect(given.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
        expect([...taken, wanted].map(nameKey)).not.toContain(nameKey(given));
        // Only whole clusters of the wanted name: its start, cluster by cluster.
        const base = given.replace(/ \d+$/, "");
        const wantedClusters = clusters(wanted.trim());
        expect(clusters(base)).toEqual(wantedClusters.slice(0, clusters(base).length));
      }),
    );
  });

  it("shortens to a given length without cutting a cluster", () => {
    expect(shortenTo("abc", 5)).toBe("abc");
    expect(shortenTo("ab👍", 3)).toBe("ab");
    expect(shortenTo("👍", 1)).toBe("");
  });
});
