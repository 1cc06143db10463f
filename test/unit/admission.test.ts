import { describe, expect, it } from "vitest";
import { MAX_PENDING_SOCKETS, MAX_PENDING_SOCKETS_PER_ADDRESS } from "../../shared/limits.ts";
import { admitPending, type PendingSocket } from "../../worker/lobby/admission.ts";

/** `count` pending sockets from `address`, opened at `from`, `from + 1`, … */
function from(address: string, count: number, start = 0): PendingSocket<string>[] {
  return Array.from({ length: count }, (_, i) => ({
    socket: `${address}#${start + i}`,
    address,
    openedAt: start + i,
  }));
}

describe("admitting a socket while others wait for welcome", () => {
  it("admits while the lobby has room and the address is under its cap", () => {
    expect(admitPending([], "a")).toEqual({ kind: "admit" });
    expect(admitPending(from("a", MAX_PENDING_SOCKETS_PER_ADDRESS - 1), "a")).toEqual({
      kind: "admit",
    });
  });

  it("refuses a further socket from an address at its cap", () => {
    expect(admitPending(from("a", MAX_PENDING_SOCKETS_PER_ADDRESS), "a")).toEqual({
      kind: "refuse",
      reason: "address-busy",
    });
  });

  it("lets a newcomer displace the oldest socket of the busiest address when the lobby is full", () => {
    const pending = [
      ...from("flooder", MAX_PENDING_SOCKETS_PER_ADDRESS, 100),
      ...from("other", MAX_PENDING_SOCKETS - MAX_PENDING_SOCKETS_PER_ADDRESS, 0),
    ];
    expect(pending).toHaveLength(MAX_PENDING_SOCKETS);
    expect(admitPending(pending, "player")).toEqual({
      kind: "admit-displacing",
      socket: "flooder#100",
    });
  });

  it("refuses when displacing would not be fair: nobody holds more than the newcomer would", () => {
    const even = Array.from({ length: MAX_PENDING_SOCKETS }, (_, i) => ({
      socket: `s${i}`,
      address: `address-${i}`,
      openedAt: i,
    }));
    expect(admitPending(even, "newcomer")).toEqual({ kind: "refuse", reason: "lobby-busy" });
    expect(admitPending(even, "address-3")).toEqual({ kind: "refuse", reason: "lobby-busy" });
  });
});
