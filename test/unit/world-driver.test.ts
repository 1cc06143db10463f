/**
 * The game's world driver with a stand-in for the mesh: what one peer's packets cost, and that
 * nothing the world does can throw into the mesh's message handler.
 */
import { describe, expect, it } from "vitest";
import { WorldDriver, type WorldMesh } from "../../game/session/world-driver.ts";
import { encodeEvent, type GameEvent } from "../../game/world/events-wire.ts";

/** A mesh with no links that records what is sent and how often the driver looks at links. */
class StandInMesh implements WorldMesh {
  linkReads = 0;
  readonly sent: Uint8Array[] = [];
  failSends = false;

  get links(): WorldMesh["links"] {
    this.linkReads++;
    return [];
  }

  link(): null {
    return null;
  }

  broadcastEvent(packet: Uint8Array<ArrayBuffer>): number {
    if (this.failSends) throw new Error("send failed");
    this.sent.push(packet);
    return 1;
  }

  sendEvent(_peerId: string, packet: Uint8Array<ArrayBuffer>): boolean {
    if (this.failSends) throw new Error("send failed");
    this.sent.push(packet);
    return true;
  }
}

const player = { state: { x: 10, y: 10, vx: 0, vy: 0 }, tick: 0 };

function hostDriver(): { driver: WorldDriver; mesh: StandInMesh } {
  const mesh = new StandInMesh();
  const driver = new WorldDriver("h", player, mesh);
  driver.hostChanged("h", 1);
  return { driver, mesh };
}

describe("the world driver", () => {
  it("does no tick per packet: a flood of claims costs a decode and a queue check each", () => {
    const { driver, mesh } = hostDriver();
    const reads = mesh.linkReads;
    const claim: GameEvent = { type: "claim-pickup", pickupId: 1, tick: 1 };
    for (let i = 0; i < 1_000; i++) driver.receive("p", encodeEvent(claim));
    expect(mesh.linkReads).toBe(reads);
    driver.tick();
    // One queued claim per player and pickup: decided once.
    expect(driver.world.decisions).toHaveLength(1);
    expect(driver.snapshot().counts).toMatchObject({ duplicateClaims: 999 });
  });

  it("counts a failure to send instead of throwing into the mesh's handler or the timer", () => {
    const mesh = new StandInMesh();
    mesh.failSends = true;
    const driver = new WorldDriver("h", player, mesh);
    // Our first world as host, then a refusal of a claim of a pickup that does not exist.
    expect(() => driver.hostChanged("h", 1)).not.toThrow();
    const claim = encodeEvent({ type: "claim-pickup", pickupId: 0xffff, tick: 1 });
    expect(() => driver.receive("p", claim)).not.toThrow();
    expect(() => driver.tick()).not.toThrow();
    expect(driver.snapshot().droppedEvents).toEqual({ failed: 2 });
    expect(driver.world.decisions.map((d) => d.outcome)).toEqual(["unknown"]);
  });

  it("shows the world's counts in its snapshot", () => {
    const mesh = new StandInMesh();
    const driver = new WorldDriver("p", player, mesh);
    driver.hostChanged("h", 1);
    driver.receive("x", encodeEvent({ type: "claim-pickup", pickupId: 1, tick: 1 }));
    const refusal: GameEvent = {
      type: "claim-rejected",
      hostEpoch: 1,
      pickupId: 1,
      reason: "taken",
    };
    driver.receive("x", encodeEvent(refusal));
    driver.receive("h", encodeEvent({ ...refusal, hostEpoch: 3 }));
    expect(driver.snapshot().counts).toMatchObject({ claimsToNonHost: 1, refusalsNotFromHost: 2 });
  });
});
