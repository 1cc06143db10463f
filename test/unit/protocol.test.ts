import { describe, expect, it } from "vitest";
import { ABNORMAL_CLOSURE, CloseCode, closeAdvice } from "../../shared/codes.ts";
import { MAX_FRAME_CHARS, MAX_SDP_CHARS } from "../../shared/limits.ts";
import { PROTOCOL_VERSION, parseClientMessage, parseServerMessage } from "../../shared/protocol.ts";

const parse = (text: string) => parseClientMessage(text);

describe("client message validation", () => {
  it("accepts hello, signal and leave", () => {
    expect(parse(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: " Ann " }))).toEqual({
      ok: true,
      message: { type: "hello", v: PROTOCOL_VERSION, name: "Ann" },
    });
    const signal = {
      type: "signal",
      to: "peer_1",
      data: { kind: "description", type: "answer", sdp: "v=0" },
    };
    expect(parse(JSON.stringify(signal))).toEqual({ ok: true, message: signal });
    expect(parse('{"type":"leave"}')).toEqual({ ok: true, message: { type: "leave" } });
  });

  it("drops a client-supplied `from` instead of trusting it", () => {
    const result = parse(
      JSON.stringify({
        type: "signal",
        to: "b",
        from: "forged",
        data: { kind: "candidate", candidate: "" },
      }),
    );
    expect(result.ok && result.message).toEqual({
      type: "signal",
      to: "b",
      data: { kind: "candidate", candidate: "" },
    });
  });

  it.each([
    ["", "bad-json"],
    ["{", "bad-json"],
    ["null", "invalid-message"],
    ["42", "invalid-message"],
    ['"hello"', "invalid-message"],
    ["[]", "invalid-message"],
    ["{}", "invalid-message"],
    ['{"type":"hello"}', "invalid-message"],
    ['{"type":"hello","v":"1","name":"x"}', "invalid-message"],
    ['{"type":"hello","v":1,"name":""}', "invalid-message"],
    ['{"type":"hello","v":1,"name":"a\\u0000b"}', "invalid-message"],
    ['{"type":"signal","to":"","data":{"kind":"candidate","candidate":""}}', "invalid-message"],
    ['{"type":"signal","to":"a b","data":{"kind":"candidate","candidate":""}}', "invalid-message"],
    [
      '{"type":"signal","to":"b","data":{"kind":"description","type":"pranswer","sdp":""}}',
      "invalid-message",
    ],
    [
      '{"type":"signal","to":"b","data":{"kind":"candidate","candidate":"","sdpMLineIndex":-1}}',
      "invalid-message",
    ],
    ['{"type":"signal","to":"b","data":{"kind":"telepathy"}}', "invalid-message"],
    ['{"type":"__proto__"}', "invalid-message"],
  ])("rejects %j with %s", (text, code) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it("refuses frames over the limit, and gives oversized SDPs their own code", () => {
    const big = parse(" ".repeat(MAX_FRAME_CHARS + 1));
    expect(!big.ok && big.code).toBe("invalid-message");
    const sdp = JSON.stringify({
      type: "signal",
      to: "b",
      data: { kind: "description", type: "offer", sdp: "x".repeat(MAX_SDP_CHARS + 1) },
    });
    const result = parse(sdp);
    expect(!result.ok && result.code).toBe("sdp-too-large");
  });

  it("says where an invalid message is wrong", () => {
    const result = parse('{"type":"hello","v":1,"name":42}');
    expect(!result.ok && result.detail).toMatch(/^name:/);
  });
});

describe("server message validation (client side)", () => {
  it("accepts a welcome and rejects a signal without `from`", () => {
    const welcome = {
      type: "welcome",
      v: PROTOCOL_VERSION,
      lobby: "ABC123",
      settings: {
        name: "Lobby ABC123",
        maxPlayers: 8,
        visibility: "private",
        mode: "arena",
        rounds: 3,
        voice: "proximity",
      },
      phase: "waiting",
      peerId: "p1",
      resumeToken: "0123456789abcdef0123456789abcdef",
      resumed: false,
      graceMs: 20_000,
      hostId: "p1",
      hostEpoch: 1,
      peers: [{ id: "p1", name: "Ann", color: 0, joinOrder: 1, ready: false, connected: true }],
      iceServers: [{ urls: ["stun:stun.example.com:3478"] }],
      iceServersExpireAt: null,
    };
    expect(parseServerMessage(JSON.stringify(welcome))).toEqual({
      ok: true,
      message: welcome,
    });
    // From a server that predates voice ranges: everyone hears everyone.
    const { voice: _left, ...older } = welcome.settings;
    const parsed = parseServerMessage(JSON.stringify({ ...welcome, settings: older }));
    expect(parsed.ok && parsed.message.type === "welcome" && parsed.message.settings.voice).toBe(
      "everyone",
    );
    const unsigned = { type: "signal", data: { kind: "candidate", candidate: "" } };
    expect(parseServerMessage(JSON.stringify(unsigned)).ok).toBe(false);
  });

  it("rejects a v1 welcome, a host change without an epoch and a peer-left without a reason", () => {
    const frames = [
      { type: "welcome", v: 1, lobby: "ABC123", peerId: "p1", peers: [{ id: "p1", name: "Ann" }] },
      { type: "host-changed", hostId: "p1" },
      { type: "peer-left", peerId: "p1" },
      { type: "peer-left", peerId: "p1", reason: "vanished" },
    ];
    for (const frame of frames) {
      expect(parseServerMessage(JSON.stringify(frame)).ok).toBe(false);
    }
  });

  it("rejects an error frame with an unknown code", () => {
    expect(parseServerMessage('{"type":"error","code":"whatever","message":""}').ok).toBe(false);
  });
});

describe("close codes", () => {
  it("tells a client whether to retry or rejoin (the words are the game's: closeText)", () => {
    expect(closeAdvice(CloseCode.LobbyFull)).toEqual({ retry: false, rejoin: false });
    expect(closeAdvice(CloseCode.SeatExpired)).toEqual({ retry: false, rejoin: true });
    expect(closeAdvice(CloseCode.Kicked)).toEqual({ retry: false, rejoin: false });
    expect(closeAdvice(CloseCode.GoingAway).retry).toBe(true);
    expect(closeAdvice(CloseCode.TooSlow)).toEqual({ retry: true, rejoin: true });
    expect(closeAdvice(ABNORMAL_CLOSURE)).toEqual({ retry: true, rejoin: true });
  });

  it("keeps edgeplay's own codes in the 4000 range, besides standard ones", () => {
    const standard = new Set([1000, 1001, 1009, 1013]);
    for (const code of Object.values(CloseCode)) {
      expect(standard.has(code) || (code >= 4000 && code <= 4999)).toBe(true);
    }
  });

  it("has advice of its own for every close code, and retries unknown ones", () => {
    expect(closeAdvice(4999)).toEqual({ retry: true, rejoin: true });
    // Only a few of edgeplay's codes may be retried: each one that may not is advised apart.
    const final = Object.values(CloseCode).filter((code) => !closeAdvice(code).retry);
    expect(final).toEqual([
      CloseCode.Normal,
      CloseCode.MessageTooBig,
      CloseCode.ProtocolVersion,
      CloseCode.LobbyFull,
      CloseCode.Kicked,
      CloseCode.Replaced,
      CloseCode.SeatExpired,
      CloseCode.TooManyErrors,
      CloseCode.LobbyClosed,
      CloseCode.Flooding,
      CloseCode.AddressLimit,
      CloseCode.LobbyNotFound,
    ]);
    for (const code of Object.values(CloseCode)) {
      const advice = closeAdvice(code);
      // A code that can be retried can always be joined afresh too.
      if (advice.retry) expect(advice.rejoin).toBe(true);
    }
  });
});

describe("lobby messages (protocol 2)", () => {
  it.each([
    ['{"type":"set-ready","ready":"yes"}', "invalid-message"],
    ['{"type":"set-phase","phase":"paused"}', "invalid-message"],
    ['{"type":"kick"}', "invalid-message"],
    ['{"type":"chat","text":"   "}', "invalid-message"],
    ['{"type":"chat","text":"a\\u202eb"}', "invalid-message"],
  ])("rejects %j", (text, code) => {
    const result = parse(text);
    expect(!result.ok && result.code).toBe(code);
  });

  it("accepts set-ready, set-phase, kick and a trimmed chat", () => {
    expect(parse('{"type":"set-ready","ready":true}').ok).toBe(true);
    expect(parse('{"type":"set-phase","phase":"finished"}').ok).toBe(true);
    expect(parse('{"type":"kick","peerId":"abc_1"}').ok).toBe(true);
    const chat = parse('{"type":"chat","text":"  gg  "}');
    expect(chat.ok && chat.message).toEqual({ type: "chat", text: "gg" });
  });
});
