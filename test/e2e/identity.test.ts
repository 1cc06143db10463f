/**
 * Who is who in a lobby, in real Chromium pages on the real worker: a second "Ana" becomes
 * "Ana 2" on every page, each player has their own colour in the roster, the host is asked
 * before starting alone, and a kicked player who presses Join again is told why and stays out.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEER_PALETTE } from "../../game/scenes/peer-color.ts";
import {
  createLobbyFromMenu,
  openPlayer,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Each roster row as the page shows it: name and the swatch's colour. */
async function rosterRows(page: Page): Promise<{ name: string; color: string }[]> {
  return page.locator("#roster li").evaluateAll((rows) =>
    rows.map((row) => {
      const swatch = row.querySelector<HTMLElement>(".swatch");
      return {
        name: row.querySelector(".name-text")?.textContent ?? "",
        color: swatch ? getComputedStyle(swatch).backgroundColor : "",
      };
    }),
  );
}

/** From the menu: a name, the code, Join. */
async function joinByCode(page: Page, name: string, code: string): Promise<void> {
  await page.fill("#player-name", name);
  await page.fill("#join-code", code);
  await page.click("#join-lobby");
}

function rgb(color: number): string {
  return `rgb(${(color >> 16) & 255}, ${(color >> 8) & 255}, ${color & 255})`;
}

describe("identity in a lobby: names, colours, starting alone, kicks", () => {
  let stage: Stage;
  let code = "";
  let ana: Page;
  let ana2: Page;
  const pages: Page[] = [];

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("asks a host who is alone before starting, and waits when told to", async () => {
    ({ page: ana, code } = await createLobbyFromMenu(stage, "Ana"));
    pages.push(ana);
    await waitForSnapshot(ana, (s) => s.connection === "open", "Ana in her lobby");
    await expect.poll(() => ana.locator("#ready-toggle").isVisible()).toBe(false);
    await ana.click("#start-game");
    await expect
      .poll(() => ana.locator("#start-question").textContent())
      .toBe("Start with only you?");
    await expect.poll(() => ana.locator("#start-game").isVisible()).toBe(false);
    await screenshot(ana, "identity-start-alone-question");
    await ana.click("#start-wait");
    await expect.poll(() => ana.locator("#start-confirm").isVisible()).toBe(false);
    await expect.poll(() => ana.locator("#start-game").isVisible()).toBe(true);
    expect((await snapshot(ana)).phase).toBe("waiting");
  });

  it("numbers a second Ana on every page, each in a colour of their own", async () => {
    ana2 = await openPlayer(stage, "/");
    pages.push(ana2);
    await joinByCode(ana2, "Ana", code);
    const joined = await waitForSnapshot(ana2, (s) => s.roster.length === 2, "second Ana in");
    expect(joined.roster.map((peer) => peer.name)).toEqual(["Ana", "Ana 2"]);
    const [first, second] = joined.roster;
    expect(first?.color).not.toBe(second?.color);
    for (const page of [ana, ana2]) {
      await expect
        .poll(async () => (await rosterRows(page)).map((row) => row.name))
        .toEqual(["Ana", "Ana 2"]);
      await expect
        .poll(async () => (await rosterRows(page)).map((row) => row.color))
        .toEqual([
          rgb(PEER_PALETTE[first?.color ?? -1]?.fill ?? 0),
          rgb(PEER_PALETTE[second?.color ?? -1]?.fill ?? 0),
        ]);
      const rows = await rosterRows(page);
      expect(rows[0]?.color).not.toBe(rows[1]?.color);
    }
    // With someone else here, Start waits for them to get ready instead of asking.
    await expect.poll(() => ana.locator("#start-game").isDisabled()).toBe(true);
    expect(await ana.locator("#start-confirm").isVisible()).toBe(false);
  });

  it("shows four players' colours in the roster on a desktop and on a phone", async () => {
    for (const name of ["Bo", "Cy"]) {
      const page = await openPlayer(stage, "/");
      pages.push(page);
      await joinByCode(page, name, code);
      await waitForSnapshot(page, (s) => s.connection === "open", `${name} in`);
    }
    await waitForSnapshot(ana, (s) => s.roster.length === 4, "Ana to see four players");
    await ana2.fill("#chat-input", "hi from the second Ana");
    await ana2.press("#chat-input", "Enter");
    await expect.poll(() => ana.locator("#chat-log").textContent()).toContain("second Ana");
    const colours = (await snapshot(ana)).roster.map((peer) => peer.color);
    expect(new Set(colours).size).toBe(4);
    // The chat name is written in the sender's text colour.
    const chatName = ana.locator("#chat-log .chat-line .from").last();
    const slot = colours[1] ?? -1;
    await expect
      .poll(() => chatName.evaluate((el) => getComputedStyle(el).color))
      .toBe(rgb(PEER_PALETTE[slot]?.text ?? 0));

    await ana.setViewportSize(DESKTOP);
    await expect.poll(async () => (await rosterRows(ana)).length).toBe(4);
    await screenshot(ana, "identity-roster-4-desktop");
    await ana.setViewportSize(PHONE);
    await ana.locator("#roster").scrollIntoViewIfNeeded();
    await screenshot(ana, "identity-roster-4-phone");
    await ana.setViewportSize({ width: 1024, height: 640 });
  });

  it("keeps a kicked player out: Join again shows the reason, and the roster goes on without them", async () => {
    const kickedId = (await snapshot(ana2)).peerId ?? "";
    const kick = ana.locator(`#roster li[data-peer-id="${kickedId}"] .kick`);
    await kick.click();
    await kick.click();
    const sentence = "The host removed you from this lobby.";
    await expect.poll(() => ana2.locator("#error").textContent()).toContain(sentence);
    await waitForSnapshot(ana2, (s) => s.lobby === null, "the kicked Ana on the menu");

    const told = (errors: readonly string[]) => errors.filter((e) => e.includes(sentence)).length;
    expect(told((await snapshot(ana2)).errors)).toBe(1);
    await ana2.fill("#join-code", code);
    await ana2.click("#join-lobby");
    // Told a second time: by the lobby, refusing the new attempt.
    await waitForSnapshot(
      ana2,
      (s) => told(s.errors) === 2 && s.lobby === null && s.connection === "closed",
      "the kicked Ana refused again",
    );
    await expect.poll(() => ana2.locator("#error").textContent()).toContain(sentence);
    await screenshot(ana2, "identity-kicked-join-again");
    const names = (await snapshot(ana)).roster.map((peer) => peer.name);
    expect(names).toEqual(["Ana", "Bo", "Cy"]);
    await expect
      .poll(async () => (await rosterRows(ana)).map((row) => row.name))
      .toEqual(["Ana", "Bo", "Cy"]);
  });

  it("produced no page errors", () => {
    for (const page of pages) expect(problemsOf(page)).toEqual([]);
  });
});
