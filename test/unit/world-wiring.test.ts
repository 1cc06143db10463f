import { describe, expect, it } from "vitest";
import { fitText } from "../../game/scenes/fit-text.ts";
import {
  clockLine,
  formatClock,
  type MatchState,
  ordinal,
  placings,
} from "../../game/scenes/scoreboard-text.ts";
import { EventsPathWatch } from "../../game/session/events-path-watch.ts";
import { worldConfigFromSearch } from "../../game/session/world-dev-config.ts";
import { AVATAR_RADIUS } from "../../game/sim/arena.ts";
import { LocalPlayer } from "../../game/sim/local-player.ts";
import { CONTACT_DISTANCE } from "../../game/world/overlap.ts";
import { worldConfig } from "../../game/world/world-config.ts";

describe("LocalPlayer with obstacles", () => {
  it("never walks into another avatar it draws", () => {
    const player = new LocalPlayer({ x: 100, y: 200, vx: 0, vy: 0 });
    player.setInput({ x: 1, y: 0 });
    const others = [{ id: "b", x: 100 + 4 * AVATAR_RADIUS, y: 200 }];
    for (let i = 0; i < 120; i++) {
      player.advance(1000 / 60, { selfId: "a", others });
      const { x, y } = player.state;
      expect(Math.hypot(x - 172, y - 200)).toBeGreaterThanOrEqual(CONTACT_DISTANCE - 1e-6);
    }
    expect(player.state.vx).toBeLessThanOrEqual(1e-9);
  });

  it("moves freely without obstacles", () => {
    const player = new LocalPlayer({ x: 100, y: 200, vx: 0, vy: 0 });
    player.setInput({ x: 1, y: 0 });
    for (let i = 0; i < 60; i++) player.advance(1000 / 60);
    expect(player.state.x).toBeGreaterThan(200);
  });
});

describe("EventsPathWatch", () => {
  it("reports a peer when its path first becomes usable, switches, or comes back", () => {
    const watch = new EventsPathWatch();
    expect(watch.update([{ id: "b", reachable: false, route: "none" }])).toEqual([]);
    expect(watch.update([{ id: "b", reachable: true, route: "direct" }])).toEqual(["b"]);
    expect(watch.update([{ id: "b", reachable: true, route: "direct" }])).toEqual([]);
    expect(watch.update([{ id: "b", reachable: true, route: "edge" }])).toEqual(["b"]);
    expect(watch.update([{ id: "b", reachable: false, route: "edge" }])).toEqual([]);
    expect(watch.update([{ id: "b", reachable: true, route: "edge" }])).toEqual(["b"]);
  });

  it("forgets a peer whose link is gone, so a new link counts as new", () => {
    const watch = new EventsPathWatch();
    watch.update([{ id: "b", reachable: true, route: "direct" }]);
    expect(watch.update([])).toEqual([]);
    expect(watch.update([{ id: "b", reachable: true, route: "direct" }])).toEqual(["b"]);
  });
});

describe("world timing switches in the address", () => {
  it("takes whole seconds for the countdown, the round and the results", () => {
    expect(worldConfigFromSearch("?lobby=ABC234&countdown=1&round=6&results=4")).toEqual({
      countdownMs: 1_000,
      roundMs: 6_000,
      resultsMs: 4_000,
    });
    expect(worldConfigFromSearch("?countdown=0&results=0")).toEqual({
      countdownMs: 0,
      resultsMs: 0,
    });
    expect(worldConfigFromSearch("")).toEqual({});
  });

  it("ignores values it cannot use rather than guessing", () => {
    for (const search of ["?round=0", "?round=-5", "?round=1.5", "?round=3601", "?round=x"]) {
      expect(worldConfigFromSearch(search)).toEqual({});
    }
    expect(worldConfigFromSearch("?countdown=-1&results=3601")).toEqual({});
    expect(() =>
      worldConfig(worldConfigFromSearch("?countdown=3600&round=3600&results=3600")),
    ).not.toThrow();
  });
});

describe("scoreboard text", () => {
  it("shows the clock in minutes and seconds, rounded up", () => {
    expect(formatClock(90_000)).toBe("1:30");
    expect(formatClock(65_001)).toBe("1:06");
    expect(formatClock(1)).toBe("0:01");
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(-5)).toBe("0:00");
  });

  it("shows where the match is, or that the world has not arrived", () => {
    const playing: MatchState = {
      ready: true,
      stage: "round",
      round: 2,
      rounds: 3,
      stageRemainingMs: 5_000,
    };
    expect(clockLine(playing)).toBe("Round 2/3  0:05");
    expect(clockLine({ ...playing, stage: "countdown", stageRemainingMs: 2_100 })).toBe(
      "Round 2 of 3 in 3",
    );
    const results = { ...playing, stage: "results", stageRemainingMs: 4_200 } as const;
    expect(clockLine(results)).toBe("Next round in 5 s");
    expect(clockLine({ ...results, stageRemainingMs: 0 })).toBe("Next round in 0 s");
    expect(clockLine({ ...results, round: 3 })).toBe("Final results in 5 s");
    expect(clockLine({ ...playing, stage: "podium", stageRemainingMs: null })).toBe("Match over");
    const warmup = { ...playing, stage: "warmup", round: 0, stageRemainingMs: null } as const;
    expect(clockLine(warmup)).toBe("Warm-up");
    expect(clockLine({ ...warmup, ready: false })).toBe("Waiting for the host…");
  });

  it("places players by round or by match, sharing a place on equal points", () => {
    const scores = [
      { peerId: "a", score: 2, total: 5 },
      { peerId: "b", score: 4, total: 5 },
      { peerId: "c", score: 4, total: 4 },
    ];
    expect(placings(scores, "score").map(({ peerId, place }) => [peerId, place])).toEqual([
      ["b", 1],
      ["c", 1],
      ["a", 3],
    ]);
    expect(placings(scores, "total").map(({ peerId, place }) => [peerId, place])).toEqual([
      ["b", 1],
      ["a", 1],
      ["c", 3],
    ]);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "111th",
    ]);
  });

  it("cuts long names to a width, never inside a character a reader sees as one", () => {
    // A stand-in ruler: 10 units a character, whatever its size in code units.
    const measure = (text: string): number => 10 * [...new Intl.Segmenter().segment(text)].length;
    expect(fitText("Ann", 140, measure)).toBe("Ann");
    expect(fitText("A-very-long-player-name", 140, measure)).toBe("A-very-long-p…");
    // A family emoji (seven code points) and a flag stay whole or go whole.
    expect(fitText("ab👨‍👩‍👧‍👦🇫🇷cd", 50, measure)).toBe("ab👨‍👩‍👧‍👦🇫🇷…");
    expect(fitText("ab👨‍👩‍👧‍👦🇫🇷cd", 40, measure)).toBe("ab👨‍👩‍👧‍👦…");
    // No trailing space before the ellipsis.
    expect(fitText("Ann Smith-Jones", 50, measure)).toBe("Ann…");
  });
});
