import { describe, expect, it } from "vitest";
import { clockLine, formatClock, shortName } from "../../game/scenes/scoreboard-text.ts";
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
  it("takes whole seconds for the round and the intermission", () => {
    expect(worldConfigFromSearch("?lobby=ABC234&round=6&intermission=4")).toEqual({
      roundMs: 6_000,
      intermissionMs: 4_000,
    });
    expect(worldConfigFromSearch("?intermission=0")).toEqual({ intermissionMs: 0 });
    expect(worldConfigFromSearch("")).toEqual({});
  });

  it("ignores values it cannot use rather than guessing", () => {
    for (const search of ["?round=0", "?round=-5", "?round=1.5", "?round=3601", "?round=x"]) {
      expect(worldConfigFromSearch(search)).toEqual({});
    }
    expect(() => worldConfig(worldConfigFromSearch("?round=3600&intermission=3600"))).not.toThrow();
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

  it("shows the round number, the countdown to the next round, or that the world has not arrived", () => {
    const playing = {
      ready: true,
      round: 2,
      roundRemainingMs: 5_000,
      roundOver: false,
      nextRoundInMs: null,
    };
    expect(clockLine(playing)).toBe("Round 2  0:05");
    expect(clockLine({ ...playing, round: 0 })).toBe("Round  0:05");
    const over = { ...playing, roundRemainingMs: 0, roundOver: true };
    expect(clockLine({ ...over, nextRoundInMs: 4_200 })).toBe("Next round in 5 s");
    expect(clockLine({ ...over, nextRoundInMs: 0 })).toBe("Next round in 0 s");
    expect(clockLine(over)).toBe("Round over");
    expect(clockLine({ ...over, ready: false })).toBe("Waiting for the host…");
  });

  it("cuts long names", () => {
    expect(shortName("Ann")).toBe("Ann");
    expect(shortName("A-very-long-player-name")).toBe("A-very-long-p…");
  });
});
