/**
 * The lobby screens end to end: settings on the create form, the public list, ready and
 * phases, chat, kicking, quick join, reconnection after a real connection drop, and a full
 * lobby. Real worker, real built game, real Chromium pages.
 */
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.ts";
import {
  bothChannelsOpen,
  createLobbyFromMenu,
  joinFromLinkStep,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

/**
 * A TCP hop between one player's browser and the worker that can cut every connection and
 * refuse new ones: a real network drop for that player only. (Playwright's `setOffline` does
 * not close an open WebSocket in Chromium, so it cannot stand in for one.) It reaches the
 * worker from another loopback address, so the lobby sees that player on a network of their
 * own (a kick bars the kicked player's address, docs/protocol.md 7.11).
 */
class DroppableLink {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Connections that still look open at both ends but carry nothing any more. */
  readonly #frozen = new Set<Socket>();
  #cut = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(targetUrl: string): Promise<DroppableLink> {
    const target = new URL(targetUrl);
    const server = createServer();
    const link = new DroppableLink(server);
    server.on("connection", (client) => link.#relay(client, target));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return link;
  }

  get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    return `http://127.0.0.1:${address.port}`;
  }

  /** Cuts every open connection and refuses new ones until `restore`. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#cut = false;
  }

  /**
   * Every open connection goes silent without closing, as when a laptop sleeps or a phone
   * roams (TCP dies, nobody says so); new connections work.
   */
  freezeOpen(): void {
    for (const socket of this.#sockets) this.#frozen.add(socket);
  }

  async close(): Promise<void> {
    this.cut();
    this.#server.close();
    await once(this.#server, "close");
  }

  #relay(client: Socket, target: URL): void {
    if (this.#cut) {
      client.destroy();
      return;
    }
    const upstream = connect({
      port: Number(target.port),
      host: target.hostname,
      localAddress: OTHER_NETWORK,
    });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(from);
      from.on("data", (chunk: Buffer) => {
        if (!this.#frozen.has(from)) to.write(chunk);
      });
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.#sockets.delete(from);
        this.#frozen.delete(from);
        to.destroy();
      });
    }
  }
}

/** Bob's own address as the worker sees it (all of 127.0.0.0/8 is this machine). */
const OTHER_NETWORK = "127.0.0.2";
const PHONE = { width: 390, height: 844 };
/** Chromium reports each refused reconnect attempt on the console; that is expected there. */
const REFUSED_SOCKET = /WebSocket connection to .* failed/;
/** ... and so does a request (the public list) made while the connection is cut. */
const REFUSED_REQUEST = /Failed to load resource: net::ERR_/;

async function rosterRow(page: Page, peerId: string) {
  return page.locator(`#roster li[data-peer-id="${peerId}"]`);
}

describe("lobby screens: settings, public list, ready, chat, kick, reconnect", () => {
  let stage: Stage;
  let link: DroppableLink;
  let alice: Page;
  let bob: Page;
  let code = "";
  let aliceId = "";
  let bobId = "";
  const pages: Page[] = [];

  beforeAll(async () => {
    stage = await startStage();
    link = await DroppableLink.start(stage.server.url);
  });

  afterAll(async () => {
    await link?.close();
    await stage?.stop();
  });

  it("creates a named public lobby with a seat limit from the form", async () => {
    alice = await openPlayer(stage);
    pages.push(alice);
    await alice.fill("#player-name", "Alice");
    await alice.fill("#lobby-name", "Friday arena");
    await alice.selectOption("#max-players", "4");
    await alice.selectOption("#visibility", "public");
    await alice.selectOption("#game-mode", "arena");
    await alice.click("#create-lobby");
    const joined = await waitForSnapshot(alice, (s) => s.connection === "open", "Alice in a lobby");
    code = joined.lobby ?? "";
    aliceId = joined.peerId ?? "";
    expect(joined.settings).toEqual({
      name: "Friday arena",
      maxPlayers: 4,
      visibility: "public",
      mode: "arena",
      rounds: 3,
      voice: "everyone",
    });
    expect(joined.hostId).toBe(aliceId);
    expect(joined.phase).toBe("waiting");
    await expect.poll(() => alice.locator("#lobby-title").textContent()).toBe("Friday arena");
    await expect.poll(() => alice.locator("#phase").textContent()).toBe("Warm-up");
    // Served on 127.0.0.1 without a LAN address: no QR code a phone could not use, a note instead.
    await expect.poll(() => alice.locator("#share-note").textContent()).toContain("start:lan");
    expect(await alice.locator("#qr-code").isHidden()).toBe(true);
  });

  it("lists it for another player, who joins by clicking it", async () => {
    // Bob reaches the worker through a link this test can cut (see the reconnect test).
    bob = await openPlayer(stage, "/");
    pages.push(bob);
    await bob.goto(`${link.url}/`);
    await bob.fill("#player-name", "Bob");
    const entry = bob.locator(`#public-lobbies button[data-code="${code}"]`);
    await expect
      .poll(
        async () => {
          // The listing is cached for a few seconds; ask again until it shows the new lobby.
          await bob.click("#refresh-lobbies", { timeout: 1000 }).catch(() => undefined);
          return entry.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    await expect.poll(() => entry.textContent()).toMatch(/Friday arena.*Arena.*Warm-up.*1\/4/);
    await screenshot(bob, "lobby-menu-public-list");

    await entry.click();
    const joined = await waitForSnapshot(
      bob,
      (s) => s.lobby === code && s.peers.some(bothChannelsOpen),
      "Bob in Alice's lobby, linked to her",
    );
    bobId = joined.peerId ?? "";
    expect(joined.roster.map((p) => p.name)).toEqual(["Alice", "Bob"]);
    await waitForSnapshot(alice, (s) => s.peers.some(bothChannelsOpen), "Alice linked to Bob");
    await expect.poll(async () => (await rosterRow(alice, bobId)).count()).toBe(1);
  });

  it("starts the game once Bob is ready (the host counts as ready); both see the phase change", async () => {
    await expect.poll(() => bob.locator("#start-game").isVisible()).toBe(false);
    await expect.poll(() => alice.locator("#ready-toggle").isVisible()).toBe(false);
    await bob.click("#ready-toggle");
    await waitForSnapshot(
      alice,
      (s) => s.roster.length === 2 && s.roster.some((p) => p.id === bobId && p.ready),
      "Alice to see Bob ready",
    );
    await expect.poll(() => alice.locator("#start-game").isEnabled()).toBe(true);
    await expect
      .poll(() => bob.locator(`#roster li[data-peer-id="${aliceId}"]`).getAttribute("data-ready"))
      .toBe("true");
    await alice.click("#start-game");
    for (const page of [alice, bob]) {
      await waitForSnapshot(page, (s) => s.phase === "playing", "phase playing");
      await expect.poll(() => page.locator("#phase").textContent()).toBe("Playing");
    }
    await expect.poll(() => alice.locator("#finish-game").isVisible()).toBe(true);
    await expect.poll(() => bob.locator("#ready-toggle").isVisible()).toBe(false);
  });

  it("carries chat between the pages and caps a player who sends too fast", async () => {
    await bob.fill("#chat-input", "hello from Bob");
    await bob.press("#chat-input", "Enter");
    await expect.poll(() => alice.locator("#chat-log").textContent()).toContain("hello from Bob");
    const seen = await waitForSnapshot(alice, (s) => s.chat.length > 0, "Alice to get the chat");
    expect(seen.chat.at(-1)).toMatchObject({ from: bobId, name: "Bob", text: "hello from Bob" });
    expect(await bob.locator("#chat-input").inputValue()).toBe("");
    expect(await bob.locator("#chat-input").getAttribute("maxlength")).toBe("280");

    await alice.fill("#chat-input", "hi Bob! welcome to the arena");
    await alice.press("#chat-input", "Enter");
    await expect
      .poll(() => bob.locator("#chat-log").textContent())
      .toContain("welcome to the arena");

    // The lobby allows a burst of 5, then one every 2 s: sending on quickly must hit the cap
    // (a slow machine may earn a token back meanwhile, so keep going until it shows).
    let refused = "";
    for (let i = 1; i <= 12 && !refused; i++) {
      await bob.fill("#chat-input", `spam ${i}`);
      await bob.press("#chat-input", "Enter");
      if (await bob.locator("#chat-error").isVisible()) refused = `spam ${i}`;
    }
    expect(refused).not.toBe("");
    await expect.poll(() => bob.locator("#chat-error").textContent()).toMatch(/too fast/);
    // The refused line stays in the input to send later, and never reached Alice.
    expect(await bob.locator("#chat-input").inputValue()).toBe(refused);
    await expect.poll(() => alice.locator("#chat-log").textContent()).toContain("spam 1");
    expect((await snapshot(alice)).chat.map((line) => line.text)).not.toContain(refused);
    await screenshot(alice, "lobby-panel-alice");
  });

  it("keeps a dropped player's seat and links, and brings them back with the same id", async () => {
    const before = await snapshot(bob);
    const packetsBefore = before.peers[0]?.statePacketsReceived ?? 0;
    link.cut();

    await waitForSnapshot(bob, (s) => s.connection === "reconnecting", "Bob reconnecting");
    await expect
      .poll(() => bob.locator("#status").textContent())
      .toMatch(/Reconnecting… \(attempt [1-9]\d*\)/);
    await waitForSnapshot(
      alice,
      (s) => s.roster.some((p) => p.id === bobId && !p.connected),
      "Alice to see Bob disconnected",
    );
    const row = await rosterRow(alice, bobId);
    await expect.poll(() => row.getAttribute("data-connected")).toBe("false");
    await expect.poll(() => row.textContent()).toContain("reconnecting…");
    await waitForSnapshot(bob, (s) => s.reconnectAttempt >= 2, "a second attempt");
    await screenshot(bob, "reconnecting-bob");
    await screenshot(alice, "reconnecting-seen-by-alice");

    // The peer-to-peer link does not need the lobby socket: state keeps flowing meanwhile.
    await waitForSnapshot(
      bob,
      (s) => (s.peers[0]?.statePacketsReceived ?? 0) > packetsBefore + 15,
      "state from Alice during the drop",
    );

    link.restore();
    const back = await waitForSnapshot(
      bob,
      (s) => s.connection === "open" && s.reconnects === 1,
      "Bob back in the lobby",
    );
    expect(back.peerId).toBe(bobId);
    expect(back.roster.map((p) => p.id)).toEqual([aliceId, bobId]);
    expect(back.phase).toBe("playing");
    await waitForSnapshot(
      alice,
      (s) => s.roster.some((p) => p.id === bobId && p.connected),
      "Alice to see Bob reconnected",
    );
    await expect.poll(() => row.getAttribute("data-connected")).toBe("true");
    const aliceView = await snapshot(alice);
    expect(aliceView.notices).toContain("Bob is back");
    expect(aliceView.peers.find((p) => p.id === bobId)).toSatisfy(bothChannelsOpen);
    await expect.poll(() => bob.locator("#status").textContent()).toMatch(/Connected to 1 player/);
  });

  it("notices a connection that died without a close, and resumes the seat", async () => {
    const before = await snapshot(bob);
    link.freezeOpen();
    // The heartbeat: a ping every 10 s, and no answer within 5 s means the socket is dead.
    await waitForSnapshot(bob, (s) => s.connection !== "open", "Bob to notice", 20_000);
    await expect.poll(() => bob.locator("#status").getAttribute("data-tone")).toBe("warning");
    const back = await waitForSnapshot(
      bob,
      (s) => s.connection === "open" && s.reconnects === before.reconnects + 1,
      "Bob back on a fresh socket",
    );
    expect(back.peerId).toBe(bobId);
    expect(back.notices).toContain("Lost the connection to the lobby; reconnecting…");
    expect(back.notices.at(-1)).toBe("Reconnected to the lobby");
    await expect.poll(() => bob.locator("#status").textContent()).toMatch(/Connected to 1 player/);
    await screenshot(bob, "heartbeat-resumed-bob");
    // The lobby kept Bob's seat and links: Alice still has him, with the same id.
    await waitForSnapshot(
      alice,
      (s) => s.roster.some((p) => p.id === bobId && p.connected),
      "Alice to still have Bob",
    );
  });

  it("lets the host remove a player, who lands on the menu with the reason", async () => {
    const kick = alice.locator(`#roster li[data-peer-id="${bobId}"] .kick`);
    await kick.click();
    await expect.poll(() => kick.textContent()).toBe("Sure?");
    await kick.click();
    await expect
      .poll(() => bob.locator("#error").textContent())
      .toContain("The host removed you from this lobby.");
    await expect.poll(() => bob.locator("#lobby-menu").isVisible()).toBe(true);
    await waitForSnapshot(bob, (s) => s.lobby === null && s.connection === "closed", "Bob out");
    expect(new URL(bob.url()).searchParams.get("lobby")).toBeNull();
    await waitForSnapshot(
      alice,
      (s) => s.notices.includes("Bob was removed by the host") && s.peers.length === 0,
      "Alice to see Bob removed",
    );
    await screenshot(bob, "kicked-bob");
  });

  it("quick join puts a fresh player into a public lobby, even one already playing", async () => {
    const carol = await openPlayer(stage);
    pages.push(carol);
    await carol.fill("#player-name", "Carol");
    await carol.click("#quick-join");
    const joined = await waitForSnapshot(carol, (s) => s.connection === "open", "Carol joined");
    expect(joined.settings?.visibility).toBe("public");
    // Alice's lobby is the only public one with a seat: Carol drops into the running game.
    expect(joined.lobby).toBe(code);
    expect(joined.phase).toBe("playing");
    await waitForSnapshot(carol, (s) => s.peers.some(bothChannelsOpen), "Carol linked");

    await carol.setViewportSize(PHONE);
    await carol.waitForTimeout(700);
    await screenshot(carol, "phone-lobby-carol");
    await carol.click("#leave-lobby");
    await waitForSnapshot(carol, (s) => s.lobby === null, "Carol back on the menu");
    await screenshot(carol, "phone-menu-carol");
  });

  it("tells a third player that a two-seat lobby is full", async () => {
    const dave = await openPlayer(stage);
    const erin = await openPlayer(stage);
    pages.push(dave, erin);
    await dave.fill("#player-name", "Dave");
    await dave.selectOption("#max-players", "2");
    await dave.click("#create-lobby");
    const duo = await waitForSnapshot(dave, (s) => s.connection === "open", "Dave's lobby");
    expect(duo.settings?.maxPlayers).toBe(2);
    expect(duo.settings?.visibility).toBe("private");
    // Erin also tries the developer switch that allows relayed (TURN) paths only.
    await erin.goto(`${stage.server.url}/?lobby=${duo.lobby}&ice=relay`);
    await joinFromLinkStep(erin);
    const erinView = await waitForSnapshot(erin, (s) => s.connection === "open", "Erin joined");
    expect(erinView.ice?.transportPolicy).toBe("relay");
    expect(duo.ice?.transportPolicy).toBe("all");

    const frank = await openPlayer(stage, `/?lobby=${duo.lobby}`);
    pages.push(frank);
    await expect.poll(() => frank.locator("#error").textContent()).toContain("That lobby is full.");
    expect((await snapshot(frank)).lobby).toBeNull();
    await screenshot(frank, "lobby-full");
  });

  it("produced no page errors", () => {
    for (const page of pages) {
      const problems = problemsOf(page).filter(
        // Bob's connection was cut on purpose: his socket and the lobby check behind it fail.
        (problem) =>
          !(page === bob && (REFUSED_SOCKET.test(problem) || REFUSED_REQUEST.test(problem))),
      );
      expect(problems).toEqual([]);
    }
  });
});

/** Like startStage, with a short reconnection grace so a seat can expire within a test. */
describe("when a dropped player's seat expires", () => {
  const GRACE_MS = 4000;
  let stage: Stage;
  let link: DroppableLink;
  let alice: Page;
  let bob: Page;
  let oldBobId = "";

  beforeAll(async () => {
    stage = await startStage({ RECONNECT_GRACE_MS: String(GRACE_MS) });
    link = await DroppableLink.start(stage.server.url);
  });

  afterAll(async () => {
    await link?.close();
    await stage?.stop();
  });

  it("rejoins once as a new player and says so", async () => {
    alice = await openPlayer(stage);
    await alice.fill("#player-name", "Alice");
    await alice.click("#create-lobby");
    const created = await waitForSnapshot(alice, (s) => s.connection === "open", "Alice's lobby");
    bob = await openPlayer(stage, "/");
    await bob.goto(`${link.url}/?lobby=${created.lobby}`);
    await joinFromLinkStep(bob);
    const joined = await waitForSnapshot(bob, (s) => s.peers.some(bothChannelsOpen), "Bob in");
    oldBobId = joined.peerId ?? "";

    link.cut();
    await waitForSnapshot(
      alice,
      (s) => s.notices.some((n) => n.endsWith("timed out")),
      "Alice to see Bob's seat expire",
      GRACE_MS + 10_000,
    );
    // Back before Bob's own patience (grace + margin) runs out: the lobby refuses the old seat.
    link.restore();
    const rejoined = await waitForSnapshot(
      bob,
      (s) => s.connection === "open" && s.peerId !== oldBobId,
      "Bob back with a new seat",
    );
    expect(rejoined.errors.at(-1)).toMatch(/lost your seat\. Joining again as a new player/);
    await expect.poll(() => bob.locator("#error").textContent()).toMatch(/lost your seat/);
    await waitForSnapshot(
      alice,
      (s) => s.roster.some((p) => p.id === rejoined.peerId) && s.peers.some(bothChannelsOpen),
      "Alice linked to Bob's new seat",
    );
  });

  it("gives up after the grace window when the lobby stays out of reach, and says why", async () => {
    link.cut();
    await waitForSnapshot(bob, (s) => s.connection === "reconnecting", "Bob reconnecting");
    const ended = await waitForSnapshot(
      bob,
      (s) => s.connection === "closed" && s.lobby === null,
      "Bob to give up",
      GRACE_MS + 10_000,
    );
    expect(ended.errors.at(-1)).toMatch(/could not get back in within 4 s/);
    await expect.poll(() => bob.locator("#lobby-menu").isVisible()).toBe(true);
    await expect.poll(() => bob.locator("#error").textContent()).toMatch(/Press Join to try again/);
    await screenshot(bob, "gave-up-bob");
  });

  it("produced no page errors besides refused connections", () => {
    expect(problemsOf(alice)).toEqual([]);
    const unexpected = problemsOf(bob).filter(
      (problem) => !REFUSED_SOCKET.test(problem) && !REFUSED_REQUEST.test(problem),
    );
    expect(unexpected).toEqual([]);
  });
});

describe("back to a page the browser kept (back/forward cache)", () => {
  let stage: Stage;
  let cachingBrowser: Browser;

  beforeAll(async () => {
    stage = await startStage();
    // Playwright turns the back/forward cache off by default; players have it on.
    cachingBrowser = await launchChromium({ ignoreDefaultArgs: ["--disable-back-forward-cache"] });
  });

  afterAll(async () => {
    await cachingBrowser?.close();
    await stage?.stop();
  });

  it("shows the menu with a way back in, not a dead arena", async () => {
    const { page: alice, code } = await createLobbyFromMenu(stage, "Alice");
    const bob = await (
      await cachingBrowser.newContext({ viewport: { width: 1024, height: 640 } })
    ).newPage();
    const bobProblems: string[] = [];
    bob.on("pageerror", (error) => bobProblems.push(`pageerror: ${error.message}`));
    bob.on("console", (message) => {
      if (message.type() === "error") bobProblems.push(`console: ${message.text()}`);
    });
    await bob.addInitScript(() => {
      addEventListener("pageshow", (event) => {
        if (event.persisted) document.documentElement.dataset["restored"] = "true";
      });
    });
    await bob.goto(`${stage.server.url}/`);
    await bob.fill("#player-name", "Bob");
    await bob.goto(`${stage.server.url}/?lobby=${code}`);
    await joinFromLinkStep(bob);
    const joined = await waitForSnapshot(bob, (s) => s.connection === "open", "Bob in the lobby");
    await waitForSnapshot(alice, (s) => s.roster.length === 2, "Alice to see Bob");

    await bob.goto(`${stage.server.url}/api/lobbies/${code}`);
    // Leaving the page is leaving the lobby: Alice sees it at once, not a held seat.
    await waitForSnapshot(
      alice,
      (s) => s.notices.some((notice) => notice.endsWith(" left")) && s.roster.length === 1,
      "Alice to see Bob leave",
    );

    await bob.goBack({ waitUntil: "commit" });
    await expect
      .poll(() => bob.evaluate(() => document.documentElement.dataset["restored"]))
      .toBe("true");
    await expect.poll(() => bob.locator("#lobby-menu").isVisible()).toBe(true);
    await expect
      .poll(() => bob.locator("#status").textContent())
      .toBe(
        `You left lobby ${code} when you navigated away. Join again? Press Join (the code is filled in).`,
      );
    expect(await bob.locator("#join-code").inputValue()).toBe(code);
    const restored = await snapshot(bob);
    expect(restored.lobby).toBeNull();
    expect(restored.connection).toBe("closed");
    await screenshot(bob, "bfcache-restored-bob");

    await bob.click("#join-lobby");
    const again = await waitForSnapshot(bob, (s) => s.connection === "open", "Bob back in");
    expect(again.peerId).not.toBe(joined.peerId);
    await waitForSnapshot(alice, (s) => s.roster.length === 2, "Alice to see Bob again");
    // The JSON page Bob visited in between answers 404 on purpose; nothing else may go wrong.
    expect(bobProblems.filter((problem) => !REFUSED_REQUEST.test(problem))).toEqual([]);
    expect(problemsOf(alice)).toEqual([]);
  });
});

describe("a public lobby that everyone left", () => {
  let stage: Stage;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("leaves the public list, and quick join does not pick it", async () => {
    const alice = await openPlayer(stage);
    await alice.fill("#player-name", "Alice");
    await alice.selectOption("#visibility", "public");
    await alice.click("#create-lobby");
    const code = (await waitForSnapshot(alice, (s) => s.connection === "open", "Alice in")).lobby;

    const bob = await openPlayer(stage);
    await bob.fill("#player-name", "Bob");
    const entry = bob.locator(`#public-lobbies button[data-code="${code}"]`);
    // Listings are served from a cache for up to 2 s: ask again until the news shows.
    const listedCount = async (): Promise<number> => {
      await bob.click("#refresh-lobbies", { timeout: 1000 }).catch(() => undefined);
      return entry.count();
    };
    await expect.poll(listedCount, { timeout: 30_000, interval: 1000 }).toBe(1);

    await alice.click("#leave-lobby");
    await waitForSnapshot(alice, (s) => s.lobby === null, "Alice back on the menu");
    await expect.poll(listedCount, { timeout: 30_000, interval: 1000 }).toBe(0);
    await screenshot(bob, "public-list-after-leave");

    await bob.click("#quick-join");
    const joined = await waitForSnapshot(bob, (s) => s.connection === "open", "Bob quick-joined");
    expect(joined.lobby).not.toBe(code);
    expect(joined.roster.map((peer) => peer.name)).toEqual(["Bob"]);
    expect(problemsOf(alice)).toEqual([]);
    expect(problemsOf(bob)).toEqual([]);
  });
});
