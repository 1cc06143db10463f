import { describe, expect, it } from "vitest";
import { checkCreateRequest } from "../../game/ui/create-request.ts";

const form = {
  lobbyName: "",
  maxPlayers: 8,
  visibility: "private" as const,
  mode: "arena",
  rounds: 3,
  voice: "everyone" as const,
};

describe("the create form's lobby settings", () => {
  it("leaves an empty name out so the lobby names itself", () => {
    expect(checkCreateRequest(form)).toEqual({
      ok: true,
      request: {
        visibility: "private",
        voice: "everyone",
        maxPlayers: 8,
        mode: "arena",
        rounds: 3,
      },
    });
  });

  it("asks for proximity voice when the creator picks it", () => {
    const checked = checkCreateRequest({ ...form, voice: "proximity" });
    expect(checked).toMatchObject({ ok: true, request: { voice: "proximity" } });
  });

  it("trims and keeps a typed name", () => {
    const checked = checkCreateRequest({
      ...form,
      lobbyName: "  Friday arena ",
      visibility: "public",
    });
    expect(checked).toEqual({
      ok: true,
      request: {
        name: "Friday arena",
        visibility: "public",
        voice: "everyone",
        maxPlayers: 8,
        mode: "arena",
        rounds: 3,
      },
    });
  });

  it("refuses names the lobby would refuse, in words", () => {
    const long = checkCreateRequest({ ...form, lobbyName: "x".repeat(33) });
    expect(long).toMatchObject({ ok: false, message: expect.stringMatching(/32 characters/) });
    expect(checkCreateRequest({ ...form, lobbyName: "tab\there" }).ok).toBe(false);
  });

  it("keeps seats within 2 to 8 and the mode well formed", () => {
    expect(checkCreateRequest({ ...form, maxPlayers: 1 })).toMatchObject({ ok: false });
    expect(checkCreateRequest({ ...form, maxPlayers: 9 })).toMatchObject({ ok: false });
    expect(checkCreateRequest({ ...form, maxPlayers: 2 }).ok).toBe(true);
    expect(checkCreateRequest({ ...form, mode: "Not A Mode" }).ok).toBe(false);
  });

  it("passes the rounds on, within 1 to 9", () => {
    expect(checkCreateRequest({ ...form, rounds: 5 })).toMatchObject({
      ok: true,
      request: { rounds: 5 },
    });
    expect(checkCreateRequest({ ...form, rounds: 0 })).toMatchObject({
      ok: false,
      message: "Pick 1 to 9 rounds.",
    });
    expect(checkCreateRequest({ ...form, rounds: 10 }).ok).toBe(false);
    expect(checkCreateRequest({ ...form, rounds: 2.5 }).ok).toBe(false);
  });
});
