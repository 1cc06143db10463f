import { describe, expect, it } from "vitest";
import { SpeakingDetector } from "../../game/kit/voice/speaking.ts";
import { VoicePrefs } from "../../game/kit/voice/voice-prefs.ts";

describe("per-player voice settings", () => {
  it("are kept by name, clamped to 0-200%, and a muted player plays at 0", () => {
    const prefs = new VoicePrefs();
    expect(prefs.of("Ana")).toEqual({ volume: 1, muted: false });
    expect(prefs.setVolume("Ana", 1.5).volume).toBe(1.5);
    expect(prefs.setVolume("Bo", 7).volume).toBe(2);
    expect(prefs.setVolume("Cy", -1).volume).toBe(0);
    expect(prefs.setVolume("Di", Number.NaN).volume).toBe(1);
    prefs.setMuted("Ana", true);
    expect(prefs.of("Ana")).toEqual({ volume: 1.5, muted: true });
    expect(prefs.gain("Ana")).toBe(0);
    prefs.setMuted("Ana", false);
    expect(prefs.gain("Ana")).toBe(1.5);
    expect(prefs.gain("Nobody")).toBe(1);
  });
});

describe("the speaking indicator", () => {
  it("turns on at once and off only after a quiet hold", () => {
    const detector = new SpeakingDetector({ onLevel: 0.1, offLevel: 0.02, holdMs: 400 });
    expect(detector.update(0.3, 0, 0)).toBe(true);
    expect(detector.update(0.0, 100, 100)).toBe(true);
    expect(detector.update(0.0, 400, 400)).toBe(true);
    expect(detector.update(0.0, 500, 500)).toBe(false);
  });

  it("does not flicker: softer speech keeps it on, and a short pause does not end it", () => {
    const detector = new SpeakingDetector({ onLevel: 0.1, offLevel: 0.02, holdMs: 400 });
    const levels = [0.3, 0.01, 0.01, 0.05, 0.01, 0.06, 0.2, 0.01];
    const shown = levels.map((level, i) => detector.update(level, i * 100, i * 100));
    expect(shown.every(Boolean)).toBe(true);
  });

  it("softer sound alone does not start it", () => {
    const detector = new SpeakingDetector({ onLevel: 0.1, offLevel: 0.02 });
    expect(detector.update(0.05, 0, 0)).toBe(false);
  });

  it("takes a level nobody has played lately as silence (DTX sends nothing in a pause)", () => {
    const detector = new SpeakingDetector({ onLevel: 0.1, holdMs: 400, staleMs: 300 });
    expect(detector.update(0.5, 0, 0)).toBe(true);
    // The last packet's level stays 0.5, but it was played long ago.
    expect(detector.update(0.5, 0, 350)).toBe(true);
    expect(detector.update(0.5, 0, 800)).toBe(false);
    expect(detector.update(null, null, 2000)).toBe(false);
  });
});
