import { describe, expect, it } from "vitest";
import { MAX_STORED_CHAT_LINES, parseTabStay } from "../../game/session/tab-stay.ts";

const STAY = {
  code: "7KX2QM",
  name: "Ana",
  seat: { peerId: "Vb3kQ9xZ_e", token: "690acbb406373d358f85ed07799befc8" },
  chat: [{ from: "Vb3kQ9xZ_e", name: "Ana", color: 2, text: "hi", at: 1_700_000_000_000 }],
};

describe("a stay stored in the tab", () => {
  it("reads back what was stored", () => {
    expect(parseTabStay(JSON.stringify(STAY))).toEqual(STAY);
  });

  it("reads nothing from storage that is empty, not JSON, or not a stay", () => {
    expect(parseTabStay(null)).toBeNull();
    expect(parseTabStay("{")).toBeNull();
    expect(parseTabStay("[]")).toBeNull();
    expect(parseTabStay(JSON.stringify({ ...STAY, code: "nope" }))).toBeNull();
    expect(
      parseTabStay(JSON.stringify({ ...STAY, seat: { peerId: "a b", token: "x" } })),
    ).toBeNull();
    expect(
      parseTabStay(JSON.stringify({ ...STAY, seat: { ...STAY.seat, token: "NOT-HEX" } })),
    ).toBeNull();
    expect(parseTabStay(JSON.stringify({ ...STAY, chat: [{ text: 1 }] }))).toBeNull();
  });

  it("refuses more chat lines than a tab keeps", () => {
    const line = STAY.chat[0];
    const chat = Array.from({ length: MAX_STORED_CHAT_LINES + 1 }, () => line);
    expect(parseTabStay(JSON.stringify({ ...STAY, chat }))).toBeNull();
  });
});
