import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/codes.ts";
import {
  connect,
  crash,
  createLobby,
  freshAddress,
  GRACE_MS,
  hello,
  type Joined,
  join,
  names,
} from "./helpers.ts";

/** The close code a fresh join gets, for a join the lobby is expected to refuse. */
async function refusedCode(code: string, name: string, address: string): Promise<number> {
  const client = await connect(code, { address });
  hello(client, name);
  const closed = await client.closed;
  expect(client.pending("welcome")).toEqual([]);
  return closed.code;
}

async function trio(): Promise<{ code: string; host: Joined; second: Joined; third: Joined }> {
  const code = await createLobby();
  const host = await join(code, "Host");
  const second = await join(code, "Second");
  const third = await join(code, "Third");
  return { code, host, second, third };
}

describe("host", () => {
  it("is the first player to join, at epoch 1", async () => {
    const { host, third } = await trio();
    expect(host.welcome.hostId).toBe(host.welcome.peerId);
    expect(host.welcome.hostEpoch).toBe(1);
    expect(third.welcome.hostId).toBe(host.welcome.peerId);
    expect(third.welcome.hostEpoch).toBe(1);
  });

  it("passes to the next player when the host leaves, with a higher epoch, for everyone", async () => {
    const { code, host, second, third } = await trio();
    host.client.sendJson({ type: "leave" });
    for (const player of [second, third]) {
      const changed = await player.client.next("host-changed");
      expect(changed).toEqual({
        type: "host-changed",
        hostId: second.welcome.peerId,
        hostEpoch: 2,
      });
    }
    second.client.sendJson({ type: "leave" });
    expect(await third.client.next("host-changed")).toMatchObject({
      hostId: third.welcome.peerId,
      hostEpoch: 3,
    });
    const late = await join(code, "Late");
    expect(late.welcome).toMatchObject({ hostId: third.welcome.peerId, hostEpoch: 3 });
  });

  it("stays host while disconnected within the grace window, and passes on when it runs out", async () => {
    const { host, second } = await trio();
    host.client.ws.close(4100, "network went away");
    expect((await second.client.next("peer-disconnected")).peerId).toBe(host.welcome.peerId);
    expect(second.client.pending("host-changed")).toEqual([]);
    const changed = await second.client.next("host-changed", GRACE_MS + 5000);
    expect(changed).toMatchObject({ hostId: second.welcome.peerId, hostEpoch: 2 });
    expect(await second.client.next("peer-left")).toMatchObject({
      peerId: host.welcome.peerId,
      reason: "timed-out",
    });
  });
});

describe("kick", () => {
  it("removes a player: they get the kicked close code, the others a peer-left", async () => {
    const { host, second, third } = await trio();
    host.client.sendJson({ type: "kick", peerId: second.welcome.peerId });
    expect((await second.client.closed).code).toBe(CloseCode.Kicked);
    for (const player of [host, third]) {
      expect(await player.client.next("peer-left")).toMatchObject({
        peerId: second.welcome.peerId,
        reason: "kicked",
      });
    }
  });

  it("keeps the kicked player out for the lobby's lifetime: seat, address and name", async () => {
    const code = await createLobby();
    const host = await join(code, "Host");
    const kickedAddress = freshAddress();
    const kicked = await join(code, "Mallory", { address: kickedAddress });
    host.client.sendJson({ type: "kick", peerId: kicked.welcome.peerId });
    expect((await kicked.client.closed).code).toBe(CloseCode.Kicked);

    // Not by resume: the seat and its token are gone.
    const resumed = await connect(code, { seat: kicked.welcome.peerId });
    expect((await resumed.closed).code).toBe(CloseCode.Kicked);
    // Not by a fresh hello from the same address, under any name.
    expect(await refusedCode(code, "Someone new", kickedAddress)).toBe(CloseCode.Kicked);
    // Not under the same name from elsewhere (compared as the lobby compares names).
    expect(await refusedCode(code, " MALLORY ", freshAddress())).toBe(CloseCode.Kicked);
    // Not after the lobby restarts.
    await crash(code);
    const hostBack = await join(code, "Host", { resume: host.welcome });
    expect(await refusedCode(code, "Trudy", kickedAddress)).toBe(CloseCode.Kicked);
    expect(await refusedCode(code, "Mallory", freshAddress())).toBe(CloseCode.Kicked);

    // Anyone else still gets in.
    const other = await join(code, "Carol", { address: freshAddress() });
    expect(names(other.welcome)).toEqual(["Host", "Carol"]);
    expect((await hostBack.client.next("peer-joined")).peer.name).toBe("Carol");
  });

  it("is for the host only, and not for kicking yourself or strangers", async () => {
    const { host, second, third } = await trio();
    second.client.sendJson({ type: "kick", peerId: third.welcome.peerId });
    expect((await second.client.next("error")).code).toBe("not-host");
    host.client.sendJson({ type: "kick", peerId: host.welcome.peerId });
    expect((await host.client.next("error")).code).toBe("unknown-peer");
    host.client.sendJson({ type: "kick", peerId: "stranger" });
    expect((await host.client.next("error")).code).toBe("unknown-peer");
    expect(third.client.pending("peer-left")).toEqual([]);
  });
});
