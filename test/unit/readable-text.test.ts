/**
 * Names, lobby names and chat: what a person can read, and nothing that storage would change
 * (a lone surrogate comes back from SQLite as replacement characters, longer than it went in).
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { MAX_NAME_CHARS } from "../../shared/limits.ts";
import { ClientChatSchema, LobbyNameSchema, PlayerNameSchema } from "../../shared/protocol.ts";

const issue = (schema: v.GenericSchema, input: unknown): string | undefined => {
  const result = v.safeParse(schema, input);
  return result.success ? undefined : result.issues[0]?.message;
};

describe("readable text", () => {
  it.each([
    ["Ana"],
    ["Zoë"],
    ["Jose\u0301"], // an accent written as a combining mark
    ["علي"],
    ["李小龍"],
    ["🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}"], // a flag made with tag characters
    ["👩‍👩‍👧"], // joined with zero-width joiners
    ["a".repeat(MAX_NAME_CHARS)],
  ])("accepts %j", (name) => {
    expect(issue(PlayerNameSchema, name)).toBeUndefined();
  });

  it.each([
    ["\ud800", "not well-formed"],
    ["Ana\udc00", "not well-formed"],
    ["\udfff\ud800", "not well-formed"],
    ["\u200b", "no visible character"],
    ["\u200c\u200d\u2060\ufeff", "no visible character"],
    ["\u200e\u200f", "no visible character"],
    ["\u{e0041}\u{e0042}\u{e007f}", "no visible character"],
    ["\u115f\u1160\u3164\uffa0", "no visible character"],
    ["\ufe0f\ufe0e", "no visible character"],
    ["\u0301\u0308", "no visible character"],
    ["\u2800", "no visible character"],
    ["\ue000", "no visible character"],
    ["\u3000", "empty"],
    ["a\u202eb", "control characters"],
    ["a\nb", "control characters"],
  ])("refuses %j (%s)", (name, problem) => {
    expect(issue(PlayerNameSchema, name)).toContain(problem);
    expect(issue(LobbyNameSchema, name)).toContain(problem);
    expect(issue(ClientChatSchema, { type: "chat", text: name })).toContain(problem);
  });

  it("keeps every accepted name the same length after a round trip through UTF-8", () => {
    // What SQLite does to text: a name that passes is stored and read back unchanged.
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    for (const name of ["Zoë", "👩‍👩‍👧", "علي", "a".repeat(MAX_NAME_CHARS)]) {
      const parsed = v.parse(PlayerNameSchema, name);
      expect(decoder.decode(encoder.encode(parsed))).toBe(parsed);
    }
  });
});
