/**
 * The players' palette: eight colours that stay apart for people with common colour-vision
 * deficiencies and from the pickups' gold, and names written in them that people can read on
 * every background they are drawn on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARENA_COLORS } from "../../game/scenes/arena-backdrop.ts";
import { colorForPeer, PEER_PALETTE, peerColor } from "../../game/scenes/peer-color.ts";
import { COLOR_SLOTS } from "../../shared/limits.ts";
import {
  channels,
  contrast,
  deltaE2000,
  lab,
  parseCssColor,
  type Rgb,
  simulate,
  type Vision,
} from "./color-math.ts";

const CSS = readFileSync(join(import.meta.dirname, "../../game/ui/style.css"), "utf8");
const PICKUP_GOLD = 0xffd166;
/** CIEDE2000: about 2 is barely noticed side by side; 10 and more reads as another colour. */
const MIN_DISTANCE = 11;
const MIN_DISTANCE_FROM_GOLD = 15;
const VISIONS: readonly Vision[] = ["normal", "deuteranopia", "protanopia"];

/** A colour the stylesheet sets: a custom property, or a declaration in a rule. */
function cssColor(pattern: RegExp, under?: Rgb): Rgb {
  const text = pattern.exec(CSS)?.[1];
  const color = text === undefined ? null : parseCssColor(text, under);
  if (color === null) throw new Error(`style.css has no colour for ${pattern}`);
  return color;
}

/** Where the game writes names: the panel and what sits on it, and the arena's floor. */
function textBackgrounds(): Record<string, Rgb> {
  const page = cssColor(/--bg:\s*([^;]+);/);
  const panel = cssColor(/--panel:\s*([^;]+);/, page);
  return {
    page,
    panel,
    chat: cssColor(/#chat-log\s*\{[^}]*?background:\s*([^;]+);/, panel),
    roster: cssColor(/\.roster-row\s*\{[^}]*?background:\s*([^;]+);/, panel),
    arena: channels(ARENA_COLORS.floor),
  };
}

function distance(a: number, b: number, vision: Vision): number {
  return deltaE2000(lab(simulate(channels(a), vision)), lab(simulate(channels(b), vision)));
}

describe("the players' palette", () => {
  it("has a colour for every seat a lobby can hand out", () => {
    expect(PEER_PALETTE).toHaveLength(COLOR_SLOTS);
    expect(new Set(PEER_PALETTE.map((color) => color.fill)).size).toBe(COLOR_SLOTS);
  });

  it.each(VISIONS)("keeps the eight colours clearly apart with %s vision", (vision) => {
    for (const [i, a] of PEER_PALETTE.entries()) {
      for (const b of PEER_PALETTE.slice(i + 1)) {
        const apart = distance(a.fill, b.fill, vision);
        expect(apart, `${a.fill.toString(16)} / ${b.fill.toString(16)}`).toBeGreaterThan(
          MIN_DISTANCE,
        );
      }
    }
  });

  it.each(VISIONS)("never looks like the pickups' gold with %s vision", (vision) => {
    for (const { fill } of PEER_PALETTE) {
      expect(distance(fill, PICKUP_GOLD, vision), fill.toString(16)).toBeGreaterThan(
        MIN_DISTANCE_FROM_GOLD,
      );
    }
  });

  it("shows every avatar against the arena floor (3:1, as for any graphic)", () => {
    for (const { fill } of PEER_PALETTE) {
      expect(contrast(channels(fill), channels(ARENA_COLORS.floor))).toBeGreaterThanOrEqual(3);
    }
  });

  it("writes names with at least 4.5:1 contrast on every background they are drawn on", () => {
    const backgrounds = Object.entries(textBackgrounds());
    expect(backgrounds).toHaveLength(5);
    for (const { text } of PEER_PALETTE) {
      for (const [where, background] of backgrounds) {
        const ratio = contrast(channels(text), background);
        expect(ratio, `${text.toString(16)} on the ${where}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it("keeps each name's colour close to its avatar's", () => {
    for (const { fill, text } of PEER_PALETTE) {
      expect(distance(fill, text, "normal"), fill.toString(16)).toBeLessThan(MIN_DISTANCE);
    }
  });

  it("gives a slot the same colour on every page, and an unknown player a neutral one", () => {
    expect(colorForPeer(0)).toBe(0x56b4e9);
    expect(colorForPeer(1)).toBe(0xd55e00);
    expect(peerColor(COLOR_SLOTS)).toEqual(peerColor(0));
    expect(colorForPeer(null)).not.toBeOneOf(PEER_PALETTE.map((color) => color.fill));
    expect(colorForPeer(-1)).toBe(colorForPeer(null));
  });
});

describe("the colour maths the palette is judged by", () => {
  it("matches WCAG's contrast and published CIEDE2000 values", () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([0x77, 0x77, 0x77], [255, 255, 255])).toBeCloseTo(4.48, 2);
    // Sharma, Wu and Dalal (2005), test pairs 1 and 17.
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
  });

  it("simulates dichromacy: red and green meet for a deuteranope, not for everyone", () => {
    const red = 0xd55e00;
    const green = 0x5e8a00;
    expect(distance(red, green, "normal")).toBeGreaterThan(20);
    expect(distance(red, green, "deuteranopia")).toBeLessThan(distance(red, green, "normal") / 2);
  });
});
