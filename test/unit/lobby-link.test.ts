import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LobbyLink, type LobbyLinkEvents } from "../../game/kit/lobby/lobby-link.ts";
import { PING_FRAME, PONG_FRAME } from "../../shared/protocol.ts";
import { installFakeSockets, newestSocket, welcomeFrame } from "./fake-lobby-socket.ts";

const TOKEN = "b".repeat(32);

interface Recorded {
  readonly events: LobbyLinkEvents;
  readonly states: string[];
}

function recordingEvents(link: () => LobbyLink | undefined): Recorded {
  const states: string[] = [];
  return {
    states,
    events: {
      onWelcome: () => undefined,
      onEvent: () => undefined,
      onIceServers: () => undefined,
      onServerError: () => undefined,
      onConnectionChange: () => states.push(link()?.state ?? "?"),
      onNotice: () => undefined,
      onEnded: () => undefined,
    },
  };
}

interface Setup {
  readonly link: LobbyLink;
  readonly states: string[];
  readonly leftByToken: string[];
  answerLobbyCheck(exists: boolean | null): void;
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
function welcomedLink(): Setup {
  let link: LobbyLink | undefined;
  const { events, states } = recordingEvents(() => link);
  const leftByToken: string[] = [];
  let answer: (exists: boolean | null) => void = () => undefined;
  link = new LobbyLink({
    socketUrl: (seat) => `ws://lobby.test/ws${seat ? `?peer=${seat}` : ""}`,
    playerName: "Alice",
    events,
    lobbyExists: () => new Promise((resolve) => (answer = resolve)),
    leaveByToken: (token) => leftByToken.push(token),
  });
  const socket = newestSocket();
  socket.serverOpens();
  socket.serverSends(welcomeFrame({ resumeToken: TOKEN }));
  return { link, states, leftByToken, answerLobbyCheck: (exists) => answer(exists) };
}

describe("LobbyLink after the lobby socket drops", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    installFakeSockets();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
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
    const { link } = welcomedLink();
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
  });

  it("treats a socket whose ping goes unanswered as dropped, and resumes the seat", async () => {
    const { link, answerLobbyCheck } = welcomedLink();
    const socket = newestSocket();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.sentText.at(-1)).toBe(PING_FRAME);
    await vi.advanceTimersByTimeAsync(4000);
    expect(link.state).toBe("open");
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.state).toBe("reconnecting");
    expect(socket.closedWith).toBe(1000);

    answerLobbyCheck(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(newestSocket()).not.toBe(socket);
    expectResumeOfHeldSeat();
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
