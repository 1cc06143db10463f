import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReconnectPlanner } from "../../game/kit/lobby/reconnect-planner.ts";
import { type LinkEnd, ReconnectingLobby } from "../../game/kit/lobby/reconnecting-lobby.ts";
import type { Problem } from "../../game/kit/problems.ts";
import { CloseCode } from "../../shared/codes.ts";
import { PING_FRAME, PONG_FRAME } from "../../shared/protocol.ts";
import {
  type FakeSocketPlatform,
  fakeSocketPlatform,
  newestSocket,
  resetFakeSockets,
  welcomeFrame,
} from "./fake-lobby-socket.ts";

const TOKEN = "b".repeat(32);

interface Setup {
  readonly link: ReconnectingLobby;
  readonly fake: FakeSocketPlatform;
  /** The link's state at each onConnectionChange. */
  readonly states: string[];
  readonly problems: Problem[];
  readonly ends: LinkEnd[];
  readonly leftByToken: string[];
  /** How many times the link asked whether the lobby still exists. */
  readonly lobbyChecks: () => number;
  answerLobbyCheck(exists: boolean | null): void;
}

interface SetupOptions {
  readonly fake?: FakeSocketPlatform;
  readonly planner?: ReconnectPlanner;
}

/** The new socket names the held seat in its URL and proves it with the token in `hello`. */
function expectResumeOfHeldSeat(): void {
  const socket = newestSocket();
  expect(socket.url).toContain("peer=alice");
  expect(socket.url).not.toContain(TOKEN);
  socket.serverOpens();
  expect(socket.sentText[0]).toContain(`"resume":"${TOKEN}"`);
}

/** A link that got its welcome; its lobby check waits until the test answers it. */
function welcomedLink(options: SetupOptions = {}): Setup {
  const fake = options.fake ?? fakeSocketPlatform();
  const states: string[] = [];
  const problems: Problem[] = [];
  const ends: LinkEnd[] = [];
  const leftByToken: string[] = [];
  let checks = 0;
  let answer: (exists: boolean | null) => void = () => undefined;
  const link: ReconnectingLobby = new ReconnectingLobby({
    platform: fake.platform,
    socketUrl: (seat) => `ws://lobby.test/ws${seat ? `?peer=${seat}` : ""}`,
    playerName: "Alice",
    ...(options.planner === undefined ? {} : { planner: options.planner }),
    events: {
      onWelcome: () => undefined,
      onEvent: () => undefined,
      onIceServers: () => undefined,
      onServerError: () => undefined,
      onConnectionChange: () => states.push(link.state),
      onProblem: (problem) => problems.push(problem),
      onEnded: (end) => ends.push(end),
    },
    lobbyExists: () => {
      checks++;
      return new Promise((resolve) => {
        answer = resolve;
      });
    },
    leaveByToken: (token) => leftByToken.push(token),
  });
  const socket = newestSocket();
  socket.serverOpens();
  socket.serverSends(welcomeFrame({ resumeToken: TOKEN }));
  return {
    link,
    fake,
    states,
    problems,
    ends,
    leftByToken,
    lobbyChecks: () => checks,
    answerLobbyCheck: (exists) => answer(exists),
  };
}

describe("ReconnectingLobby after the lobby socket drops", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    resetFakeSockets();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says reconnecting at once, while it still asks whether the lobby exists", async () => {
    const { link, states, answerLobbyCheck } = welcomedLink();
    expect(link.state).toBe("open");
    newestSocket().drops(1006);
    // No socket exists now: nothing may treat the link as open during the check.
    expect(link.state).toBe("reconnecting");
    expect(link.ready).toBe(false);
    expect(link.sendMessage({ type: "set-ready", ready: true })).toBe(false);
    expect(states.at(-1)).toBe("reconnecting");

    answerLobbyCheck(true);
    await vi.advanceTimersByTimeAsync(1000);
    expectResumeOfHeldSeat();
  });

  it("pings the lobby and stays open while the pongs come back", async () => {
    const { link, problems } = welcomedLink();
    const socket = newestSocket();
    const pings = (): number => socket.sentText.filter((frame) => frame === PING_FRAME).length;
    let answered = 0;
    for (let second = 0; second < 60; second++) {
      await vi.advanceTimersByTimeAsync(1000);
      if (pings() > answered) {
        answered = pings();
        socket.serverSends(PONG_FRAME);
      }
    }
    expect(answered).toBe(6);
    expect(link.state).toBe("open");
    expect(newestSocket()).toBe(socket);
    expect(problems).toEqual([]);
  });

  it("treats a socket whose ping goes unanswered as dropped, and resumes the seat", async () => {
    const { link, problems, answerLobbyCheck } = welcomedLink();
    const socket = newestSocket();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.sentText.at(-1)).toBe(PING_FRAME);
    await vi.advanceTimersByTimeAsync(4000);
    expect(link.state).toBe("open");
    expect(problems).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.state).toBe("reconnecting");
    expect(socket.closedWith).toBe(1000);
    expect(problems).toEqual([{ code: "lobby-silent", retry: true }]);

    answerLobbyCheck(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(newestSocket()).not.toBe(socket);
    expectResumeOfHeldSeat();
  });

  it("tries again at once when the device is back online, instead of waiting out the delay", async () => {
    // The longest first delay the backoff allows (just under 500 ms).
    const planner = new ReconnectPlanner({ random: () => 0.99 });
    const { fake, answerLobbyCheck } = welcomedLink({ planner });
    const dropped = newestSocket();
    dropped.drops(1006);
    answerLobbyCheck(true);
    // Lets the check's answer arrive; the retry now waits on its timer.
    await vi.advanceTimersByTimeAsync(0);
    expect(newestSocket()).toBe(dropped);
    fake.goOnline();
    expect(newestSocket()).not.toBe(dropped);
    expectResumeOfHeldSeat();
  });

  it("ignores the online signal while connected, and stops listening once it is closed", () => {
    const { link, fake } = welcomedLink();
    const socket = newestSocket();
    expect(fake.onlineListeners).toBe(1);
    fake.goOnline();
    expect(newestSocket()).toBe(socket);
    link.close();
    expect(fake.onlineListeners).toBe(0);
  });

  it("reports an expired seat as a problem and joins again as a new player", () => {
    const { link, problems, states, lobbyChecks } = welcomedLink();
    const old = newestSocket();
    old.drops(CloseCode.SeatExpired);
    expect(problems).toEqual([{ code: "seat-expired", retry: true }]);
    expect(states.at(-1)).toBe("reconnecting");
    expect(lobbyChecks()).toBe(0);
    const fresh = newestSocket();
    expect(fresh).not.toBe(old);
    expect(fresh.url).not.toContain("peer=");
    fresh.serverOpens();
    expect(fresh.sentText[0]).not.toContain("resume");
    fresh.serverSends(welcomeFrame({ peerId: "alice2", resumeToken: "c".repeat(32) }));
    expect(link.state).toBe("open");
  });

  it("ends, without asking the lobby, when it closes the socket for good", () => {
    const { link, ends, states, lobbyChecks } = welcomedLink();
    newestSocket().drops(CloseCode.Kicked);
    expect(ends).toEqual([{ reason: "closed", closeCode: CloseCode.Kicked, rejoin: false }]);
    expect(link.state).toBe("closed");
    expect(states.at(-1)).toBe("closed");
    expect(lobbyChecks()).toBe(0);
  });

  it("ends a first join at once when the socket says there is no such lobby", () => {
    const ends: LinkEnd[] = [];
    let checks = 0;
    const link = new ReconnectingLobby({
      platform: fakeSocketPlatform().platform,
      socketUrl: () => "ws://lobby.test/ws",
      playerName: "Alice",
      events: {
        onWelcome: () => undefined,
        onEvent: () => undefined,
        onIceServers: () => undefined,
        onServerError: () => undefined,
        onConnectionChange: () => undefined,
        onProblem: () => undefined,
        onEnded: (end) => ends.push(end),
      },
      lobbyExists: () => {
        checks++;
        return Promise.resolve(false);
      },
    });
    const socket = newestSocket();
    socket.serverOpens();
    socket.drops(CloseCode.LobbyNotFound);
    expect(ends).toEqual([{ reason: "closed", closeCode: CloseCode.LobbyNotFound, rejoin: false }]);
    expect(link.state).toBe("closed");
    expect(checks).toBe(0);
    expect(newestSocket()).toBe(socket);
  });

  it("ends as closed when the check says the lobby is gone, opening no new socket", async () => {
    const { link, ends, answerLobbyCheck } = welcomedLink();
    const socket = newestSocket();
    socket.drops(1006);
    expect(ends).toEqual([]);
    answerLobbyCheck(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ends).toEqual([{ reason: "closed", closeCode: CloseCode.LobbyClosed, rejoin: false }]);
    expect(link.state).toBe("closed");
    expect(newestSocket()).toBe(socket);
  });

  it("times out on the platform's clock once the seat's grace window has surely passed", async () => {
    let nowMs = 0;
    const { ends, answerLobbyCheck } = welcomedLink({ fake: fakeSocketPlatform(() => nowMs) });
    newestSocket().drops(1006);
    answerLobbyCheck(true);
    await vi.advanceTimersByTimeAsync(1000);
    const resuming = newestSocket();
    resuming.serverOpens();
    // Only the platform's clock moves: the welcome's grace window (20 s) plus the margin.
    nowMs = 60_000;
    resuming.drops(1006);
    expect(ends).toEqual([{ reason: "timed-out", graceMs: 20_000, rejoin: true }]);
  });

  it("reports a frame that does not validate as a problem and stays open", () => {
    const { link, problems } = welcomedLink();
    newestSocket().serverSends('{"type":"welcome","v":"nonsense"}');
    expect(problems).toEqual([{ code: "invalid-frame", detail: expect.any(String) }]);
    expect(link.state).toBe("open");
  });

  it("leaves through the HTTP API with the resume token while reconnecting", () => {
    const { link, leftByToken } = welcomedLink();
    newestSocket().drops(1006);
    link.leave();
    expect(leftByToken).toEqual([TOKEN]);
    expect(link.state).toBe("closed");
  });

  it("leaves through the HTTP API when the resumed socket is open but not welcomed yet", async () => {
    const { link, leftByToken, answerLobbyCheck } = welcomedLink();
    newestSocket().drops(1006);
    answerLobbyCheck(true);
    await vi.advanceTimersByTimeAsync(1000);
    const resuming = newestSocket();
    resuming.serverOpens();
    link.leave();
    expect(leftByToken).toEqual([TOKEN]);
    expect(resuming.closedWith).toBe(1000);
  });

  it("leaves on the open socket when it can, without the HTTP call", () => {
    const { link, leftByToken } = welcomedLink();
    const socket = newestSocket();
    link.leave();
    expect(socket.sentText.at(-1)).toBe(JSON.stringify({ type: "leave" }));
    expect(socket.closedWith).toBe(1000);
    expect(leftByToken).toEqual([]);
  });
});
