import { describe, expect, it } from "vitest";
import { MAX_PAN, proximityMix } from "../../game/kit/voice/proximity.ts";

const OPTIONS = { fullWithin: 100, silentBeyond: 500, panWidth: 200 };
const HERE = { x: 1000, y: 1000 };

describe("proximityMix", () => {
  it("plays a speaker nearby at full volume, centred when straight above or below", () => {
    expect(proximityMix(HERE, HERE, OPTIONS)).toEqual({ gain: 1, pan: 0 });
    expect(proximityMix(HERE, { x: 1000, y: 1090 }, OPTIONS)).toEqual({ gain: 1, pan: 0 });
  });

  it("fades linearly between the two distances and is silent beyond", () => {
    expect(proximityMix(HERE, { x: 1000, y: 1300 }, OPTIONS).gain).toBeCloseTo(0.5);
    expect(proximityMix(HERE, { x: 1000, y: 500 }, OPTIONS).gain).toBe(0);
    expect(proximityMix(HERE, { x: 1000, y: 1000 + 5000 }, OPTIONS).gain).toBe(0);
  });

  it("pans by how far to the side the speaker is, never fully into one ear", () => {
    expect(proximityMix(HERE, { x: 1100, y: 1000 }, OPTIONS).pan).toBeCloseTo(MAX_PAN / 2);
    expect(proximityMix(HERE, { x: 900, y: 1000 }, OPTIONS).pan).toBeCloseTo(-MAX_PAN / 2);
    expect(proximityMix(HERE, { x: 1400, y: 1000 }, OPTIONS).pan).toBe(MAX_PAN);
    expect(proximityMix(HERE, { x: 600, y: 1000 }, OPTIONS).pan).toBe(-MAX_PAN);
  });

  it("takes degenerate options as a hard edge and a hard pan", () => {
    const edge = { fullWithin: 300, silentBeyond: 300, panWidth: 0 };
    expect(proximityMix(HERE, { x: 1299, y: 1000 }, edge)).toEqual({ gain: 1, pan: MAX_PAN });
    expect(proximityMix(HERE, { x: 700, y: 1000 }, edge)).toEqual({ gain: 0, pan: -MAX_PAN });
  });
});
