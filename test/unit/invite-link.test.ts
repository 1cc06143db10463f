import { describe, expect, it } from "vitest";
import { invite } from "../../game/ui/invite-link.ts";

describe("the invite link", () => {
  it("is the server's join link, as it is", () => {
    const url = "http://192.168.1.20:8787/?lobby=7KX2QM";
    expect(invite(url)).toEqual({ url, localOnly: false });
  });

  it("is marked local-only when it names this computer", () => {
    for (const url of [
      "http://127.0.0.1:8787/?lobby=7KX2QM",
      "http://127.8.0.3:8787/?lobby=7KX2QM",
      "http://localhost:5173/?lobby=7KX2QM",
      "http://LOCALHOST:5173/?lobby=7KX2QM",
      "http://game.localhost/?lobby=7KX2QM",
      "http://[::1]:8787/?lobby=7KX2QM",
      "http://0.0.0.0:8787/?lobby=7KX2QM",
    ]) {
      expect(invite(url).localOnly, url).toBe(true);
    }
  });

  it("reaches the network on LAN, public and deployed addresses", () => {
    for (const url of [
      "http://10.231.4.1:40123/?lobby=7KX2QM",
      "http://[fd00::2]:8787/?lobby=7KX2QM",
      "https://play.example.com/?lobby=7KX2QM",
      "https://edgeplay.someone.workers.dev/?lobby=7KX2QM",
      "http://127.example.com/?lobby=7KX2QM",
      "http://localhost.example.com/?lobby=7KX2QM",
    ]) {
      expect(invite(url).localOnly, url).toBe(false);
    }
  });
});
