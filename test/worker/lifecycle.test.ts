import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  api,
  createLobby,
  type Joined,
  join,
  lobbyStub,
  names,
  nth,
  storedTables,
} from "./helpers.ts";

async function lobbyOf(count: number): Promise<{ code: string; players: Joined[] }> {
  const code = await createLobby();
  const players: Joined[] = [];
  for (let i = 0; i < count; i++) players.push(await join(code, `P${i + 1}`));
  return { code, players };
}

describe("lobby phases: waiting -> playing -> finished", () => {
  it("starts in waiting and tells everyone each ready flag", async () => {
    const { players } = await lobbyOf(2);
    const [host, guest] = [nth(players, 0), nth(players, 1)];
    expect(guest.welcome.phase).toBe("waiting");
    guest.client.sendJson({ type: "set-ready", ready: true });
    for (const player of [host, guest]) {
      expect(await player.client.next("peer-ready")).toMatchObject({
        peerId: guest.welcome.peerId,
        ready: true,
      });
    }
  });

  it("lets the host start only when every other player is ready", async () => {
    const { players } = await lobbyOf(3);
    const [host, a, b] = [nth(players, 0), nth(players, 1), nth(players, 2)];
    a.client.sendJson({ type: "set-ready", ready: true });
    await host.client.next("peer-ready");
    host.client.sendJson({ type: "set-phase", phase: "playing" });
    const refused = await host.client.next("error");
    expect(refused.code).toBe("not-ready");
    expect(refused.message).toContain("P3");

    b.client.sendJson({ type: "set-ready", ready: true });
    await host.client.next("peer-ready");
    host.client.sendJson({ type: "set-phase", phase: "playing" });
    for (const player of [host, a, b])
      expect((await player.client.next("phase-changed")).phase).toBe("playing");
  });

  it("refuses phase changes from non-hosts and out of order", async () => {
    const { players } = await lobbyOf(2);
    const [host, guest] = [nth(players, 0), nth(players, 1)];
    guest.client.sendJson({ type: "set-phase", phase: "playing" });
    expect((await guest.client.next("error")).code).toBe("not-host");
    host.client.sendJson({ type: "set-phase", phase: "finished" });
    expect((await host.client.next("error")).code).toBe("wrong-phase");
    host.client.sendJson({ type: "set-phase", phase: "waiting" });
    expect((await host.client.next("error")).code).toBe("wrong-phase");
    expect(guest.client.pending("phase-changed")).toEqual([]);
  });

  it("finishes, then reopens with everyone unready", async () => {
    const { code, players } = await lobbyOf(2);
    const [host, guest] = [nth(players, 0), nth(players, 1)];
    guest.client.sendJson({ type: "set-ready", ready: true });
    await host.client.next("peer-ready");
    for (const phase of ["playing", "finished", "waiting"] as const) {
      host.client.sendJson({ type: "set-phase", phase });
      expect((await guest.client.next("phase-changed")).phase).toBe(phase);
    }
    const late = await join(code, "Late");
    expect(late.welcome.phase).toBe("waiting");
    expect(late.welcome.peers.every((peer) => !peer.ready)).toBe(true);
  });

  it("takes ready flags only while waiting", async () => {
    const { players } = await lobbyOf(1);
    const host = nth(players, 0);
    host.client.sendJson({ type: "set-phase", phase: "playing" });
    await host.client.next("phase-changed");
    host.client.sendJson({ type: "set-ready", ready: true });
    expect((await host.client.next("error")).code).toBe("wrong-phase");
  });

  it("lets a player join a game in progress: they arrive in the playing phase", async () => {
    const { code, players } = await lobbyOf(1);
    const host = nth(players, 0);
    host.client.sendJson({ type: "set-phase", phase: "playing" });
    await host.client.next("phase-changed");
    const late = await join(code, "Late");
    expect(late.welcome.phase).toBe("playing");
    expect((await host.client.next("peer-joined")).peer.name).toBe("Late");
  });
});

describe("chat", () => {
  it("delivers a message to everyone, the sender included, stamped by the lobby", async () => {
    const { players } = await lobbyOf(2);
    const [a, b] = [nth(players, 0), nth(players, 1)];
    a.client.sendJson({ type: "chat", text: "  gl hf  " });
    for (const player of [a, b]) {
      const chat = await player.client.next("chat");
      expect(chat).toMatchObject({ from: a.welcome.peerId, text: "gl hf" });
      expect(Math.abs(chat.at - Date.now())).toBeLessThan(60_000);
    }
  });
});

describe("leaving and idle lobbies", () => {
  it("frees the seat at once when a player sends leave", async () => {
    const { code, players } = await lobbyOf(3);
    const [a, b] = [nth(players, 0), nth(players, 1)];
    b.client.sendJson({ type: "leave" });
    expect((await b.client.closed).code).toBe(1000);
    expect(await a.client.next("peer-left")).toMatchObject({
      peerId: b.welcome.peerId,
      reason: "left",
    });
    const d = await join(code, "P4");
    expect(names(d.welcome)).toEqual(["P1", "P3", "P4"]);
  });

  it("deletes an empty lobby and its storage once the idle timeout passes", async () => {
    const { code, players } = await lobbyOf(1);
    nth(players, 0).client.sendJson({ type: "leave" });
    await nth(players, 0).client.closed;
    const stub = lobbyStub(code);
    // Move the moment the lobby emptied far enough into the past, then let the alarm run.
    await runInDurableObject(stub, (_lobby, state) => {
      state.storage.sql.exec("UPDATE lobby SET empty_since = ?", Date.now() - 24 * 3600_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await api(`/api/lobbies/${code}`)).status).toBe(404);
    // Nothing is left behind, not even the empty tables.
    expect(await storedTables(stub)).toEqual([]);
  });

  it("keeps an idle lobby until its timeout, with an alarm set for it", async () => {
    const code = await createLobby();
    const stub = lobbyStub(code);
    const alarm = await runInDurableObject(stub, (_lobby, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 60_000);
    expect((await api(`/api/lobbies/${code}`)).status).toBe(200);
  });
});

describe("directory lease", () => {
  it("renews a public lobby's directory entry from the alarm, even when nothing changed", async () => {
    const code = await createLobby({ visibility: "public" });
    await join(code, "Alice");
    const stub = lobbyStub(code);
    const renewAt = () =>
      runInDurableObject(stub, (_lobby, state) => {
        const row = state.storage.sql.exec("SELECT directory_renew_at AS at FROM lobby").one();
        return Number(row["at"]);
      });
    expect(await renewAt()).toBeGreaterThan(Date.now() + 60_000);
    await runInDurableObject(stub, (_lobby, state) => {
      state.storage.sql.exec("UPDATE lobby SET directory_renew_at = ?", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await renewAt()).toBeGreaterThan(Date.now() + 60_000);
  });

  it("does not list private lobbies", async () => {
    const code = await createLobby({ visibility: "private" });
    await join(code, "Alice");
    const renew = await runInDurableObject(lobbyStub(code), (_lobby, state) =>
      state.storage.sql.exec("SELECT directory_renew_at AS at FROM lobby").one(),
    );
    expect(renew["at"]).toBeNull();
  });
});
