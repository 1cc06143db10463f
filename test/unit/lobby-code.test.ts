import { describe, expect, it } from "vitest";
import {
  isLobbyCode,
  LOBBY_CODE_ALPHABET,
  LOBBY_CODE_LENGTH,
  lobbyCodeFromBytes,
  normalizeLobbyCode,
} from "../../shared/lobby-code.ts";

describe("lobby codes", () => {
  it("use an alphabet without look-alike letters, with at least 30 bits", () => {
    expect(LOBBY_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(new Set(LOBBY_CODE_ALPHABET).size).toBe(LOBBY_CODE_ALPHABET.length);
    expect(LOBBY_CODE_LENGTH * Math.log2(LOBBY_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(30);
  });

  it("maps every byte value onto the alphabet evenly", () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const code = lobbyCodeFromBytes(new Uint8Array(LOBBY_CODE_LENGTH).fill(b));
      const symbol = code[0] ?? "";
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      expect(isLobbyCode(code)).toBe(true);
    }
    expect(new Set(counts.values())).toEqual(new Set([256 / LOBBY_CODE_ALPHABET.length]));
  });

  it("refuses too few random bytes", () => {
    expect(() => lobbyCodeFromBytes(new Uint8Array(2))).toThrow(RangeError);
  });

  it.each([
    ["abc123", "ABC123"],
    [" abc-123 ", "ABC123"],
    ["oil0ll", "011011"],
  ])("normalizes %j to %s", (typed, code) => {
    expect(normalizeLobbyCode(typed)).toBe(code);
  });

  it.each(["", "ABC12", "ABC1234", "ABCU12", "AB C1!2", "ÄBC123"])("rejects %j", (typed) => {
    expect(normalizeLobbyCode(typed)).toBeNull();
  });
});
