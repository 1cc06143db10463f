import { describe, expect, it } from "vitest";
import { PathPlanner } from "../../game/kit/mesh/path-planner.ts";

const START = 1000;

describe("the path planner's ladder", () => {
  it("waits for the direct path, then relays if it has not opened by the deadline", () => {
    const planner = new PathPlanner(START, { openDeadlineMs: 5000 });
    planner.observe(false, START + 4999);
    expect(planner.route(START + 4999)).toBe("none");
    planner.observe(false, START + 5000);
    expect(planner.route(START + 5000)).toBe("edge");
  });

  it("goes direct as soon as the direct path works, even after relaying", () => {
    const planner = new PathPlanner(START);
    planner.observe(true, START + 40);
    expect(planner.route(START + 40)).toBe("direct");

    const late = new PathPlanner(START);
    planner.observe(false, START + 6000);
    late.observe(false, START + 6000);
    expect(late.route(START + 6000)).toBe("edge");
    late.observe(true, START + 9000);
    expect(late.route(START + 9000)).toBe("direct");
  });

  it("gives a path that worked the shorter recovery deadline, counted from when it went down", () => {
    const planner = new PathPlanner(START, { openDeadlineMs: 5000, recoverDeadlineMs: 3000 });
    planner.observe(true, START + 100);
    planner.observe(false, START + 60_000);
    planner.observe(false, START + 62_999);
    expect(planner.route(START + 62_999)).toBe("none");
    planner.observe(false, START + 63_000);
    expect(planner.route(START + 63_000)).toBe("edge");
  });

  it("relays at once when ICE fails again after a restart, until direct works again", () => {
    const planner = new PathPlanner(START);
    planner.observe(true, START + 100);
    planner.observe(false, START + 10_000);
    planner.iceFailedAfterRestart(START + 10_500);
    expect(planner.route(START + 10_500)).toBe("edge");
    planner.observe(true, START + 30_000);
    expect(planner.route(START + 30_000)).toBe("direct");
    // A fresh drop gets its grace period again.
    planner.observe(false, START + 40_000);
    expect(planner.route(START + 40_000)).toBe("none");
  });

  it("always relays when forced (?transport=edge), whatever the direct path does", () => {
    const planner = new PathPlanner(START, { edgeOnly: true });
    expect(planner.route(START)).toBe("edge");
    planner.observe(true, START + 10);
    expect(planner.route(START + 10)).toBe("edge");
  });
});
