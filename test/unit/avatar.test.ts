import { describe, expect, it } from "vitest";
import { ARENA_HEIGHT, ARENA_WIDTH, AVATAR_RADIUS } from "../../game/sim/arena.ts";
import {
  inputFromKeys,
  inputTowards,
  MAX_SPEED,
  NO_INPUT,
  spawnAvatar,
  stepAvatar,
} from "../../game/sim/avatar.ts";
import { FixedStepper } from "../../game/sim/fixed-step.ts";
import { LocalPlayer, SIM_HZ } from "../../game/sim/local-player.ts";

const DT = 1 / SIM_HZ;

function run(
  steps: number,
  input = inputFromKeys(false, true, false, false),
  start = spawnAvatar(),
) {
  let state = start;
  for (let i = 0; i < steps; i++) state = stepAvatar(state, input, DT);
  return state;
}

describe("avatar simulation", () => {
  it("accelerates toward top speed in the input direction", () => {
    const state = run(SIM_HZ);
    expect(state.vx).toBeGreaterThan(MAX_SPEED * 0.95);
    expect(state.vx).toBeLessThanOrEqual(MAX_SPEED);
    expect(state.x).toBeGreaterThan(spawnAvatar().x + MAX_SPEED * 0.5);
    expect(state.vy).toBe(0);
  });

  it("does not move faster diagonally", () => {
    const diagonal = inputFromKeys(false, true, false, true);
    expect(Math.hypot(diagonal.x, diagonal.y)).toBeCloseTo(1);
    expect(inputFromKeys(true, true, false, false)).toEqual({ x: 0, y: 0 });
  });

  it("stays inside the arena and stops at walls", () => {
    const state = run(SIM_HZ * 10);
    expect(state.x).toBe(ARENA_WIDTH - AVATAR_RADIUS);
    expect(state.vx).toBe(0);
    const corner = run(SIM_HZ * 10, inputFromKeys(true, false, true, false));
    expect(corner).toEqual({ x: AVATAR_RADIUS, y: AVATAR_RADIUS, vx: 0, vy: 0 });
    expect(corner.y).toBeLessThan(ARENA_HEIGHT);
  });

  it("comes to rest with exactly zero velocity when input stops", () => {
    const moving = run(SIM_HZ);
    const resting = run(SIM_HZ * 2, NO_INPUT, moving);
    expect(resting.vx).toBe(0);
  });

  it("heads for a pointer target and settles on it", () => {
    const start = spawnAvatar(100, 100);
    let state = start;
    for (let i = 0; i < SIM_HZ * 5; i++)
      state = stepAvatar(state, inputTowards(state, 300, 200), DT);
    expect(state.x).toBeCloseTo(300, 0);
    expect(state.y).toBeCloseTo(200, 0);
  });

  it("ignores non-finite input", () => {
    expect(stepAvatar(spawnAvatar(), { x: Number.NaN, y: Number.POSITIVE_INFINITY }, DT)).toEqual(
      spawnAvatar(),
    );
  });
});

describe("fixed-step simulation", () => {
  it("runs whole steps and carries the remainder", () => {
    const stepper = new FixedStepper(60);
    let steps = 0;
    expect(stepper.advance(10, () => steps++)).toBe(0);
    expect(stepper.advance(10, () => steps++)).toBe(1);
    expect(stepper.advance(1000 / 60, () => steps++)).toBe(1);
    expect(steps).toBe(2);
  });

  it("drops the backlog after a long stall instead of fast-forwarding", () => {
    const stepper = new FixedStepper(60, 10);
    expect(stepper.advance(5000, () => {})).toBe(10);
    expect(stepper.advance(1, () => {})).toBe(0);
  });

  it("moves the local player the same whatever the frame rate", () => {
    const fast = new LocalPlayer();
    const slow = new LocalPlayer();
    for (const player of [fast, slow]) player.setInput(inputFromKeys(false, true, false, false));
    for (let i = 0; i < 120; i++) fast.advance(1000 / 120);
    for (let i = 0; i < 30; i++) slow.advance(1000 / 30);
    expect(fast.tick).toBe(slow.tick);
    expect(fast.state.x).toBeCloseTo(slow.state.x, 6);
  });
});
