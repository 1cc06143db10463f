import { describe, expect, it } from "vitest";
import { diffRoster } from "../../game/kit/room/roster-diff.ts";
import type { PeerInfo } from "../../shared/protocol.ts";

const peer = (id: string, joinOrder: number): PeerInfo => ({
  id,
  name: `name-${id}`,
  color: joinOrder - 1,
  joinOrder,
  ready: false,
  connected: true,
});

describe("roster reconciliation after a reconnect", () => {
  it("finds who joined and who left meanwhile, ignoring ourselves", () => {
    const diff = diffRoster(["me", "a", "b"], [peer("me", 1), peer("b", 3), peer("c", 4)], "me");
    expect(diff.added.map((p) => p.id)).toEqual(["c"]);
    expect(diff.removed).toEqual(["a"]);
  });

  it("finds nothing when nothing changed", () => {
    expect(diffRoster(["a"], [peer("me", 1), peer("a", 2)], "me")).toEqual({
      added: [],
      removed: [],
    });
  });

  it("keeps the new roster's order for additions", () => {
    const diff = diffRoster([], [peer("z", 2), peer("me", 1), peer("y", 3)], "me");
    expect(diff.added.map((p) => p.id)).toEqual(["z", "y"]);
  });
});
