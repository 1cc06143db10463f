/**
 * The keyboard goes to the chat box or to the avatar, never both: Enter opens the chat, sending
 * a line or Esc or a click on the arena gives the arrow keys back, and while the chat box has
 * focus they do not move the avatar. Keyboard hints show on a desktop and not on a phone.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLobbyFromMenu,
  problemsOf,
  type Stage,
  screenshot,
  snapshot,
  startStage,
  waitForSnapshot,
} from "./harness.ts";

/** Waits for `count` frames the page draws (the arena reads the keys once per frame). */
async function frames(page: Page, count: number): Promise<void> {
  await page.evaluate(
    (wanted) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        const next = (): void => {
          seen++;
          if (seen >= wanted) resolve();
          else requestAnimationFrame(next);
        };
        requestAnimationFrame(next);
      }),
    count,
  );
}

/** Holds `key` until the avatar has moved along x, then lets go. */
async function moveWith(page: Page, key: "ArrowLeft" | "ArrowRight"): Promise<void> {
  const before = (await snapshot(page)).local.x;
  await page.keyboard.down(key);
  try {
    await waitForSnapshot(
      page,
      (s) => (key === "ArrowRight" ? s.local.x > before + 5 : s.local.x < before - 5),
      `the avatar to move with ${key}`,
    );
  } finally {
    await page.keyboard.up(key);
  }
}

/** The avatar's x once it has come to rest (it glides a little after the keys are let go). */
async function restingX(page: Page): Promise<number> {
  let x = (await snapshot(page)).local.x;
  for (;;) {
    await frames(page, 10);
    const now = (await snapshot(page)).local.x;
    if (now === x) return x;
    x = now;
  }
}

async function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.id);
}

describe("chat focus and the arrow keys", () => {
  let stage: Stage;
  let page: Page;

  beforeAll(async () => {
    stage = await startStage();
  });

  afterAll(async () => {
    await stage?.stop();
  });

  it("gives the arrow keys back to the avatar once a line is sent with Enter", async () => {
    ({ page } = await createLobbyFromMenu(stage, "Alice"));
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForSnapshot(page, (s) => s.connection === "open", "Alice in her lobby");
    await moveWith(page, "ArrowRight");

    await page.keyboard.press("Enter");
    expect(await focusedId(page)).toBe("chat-input");
    // While the chat box has focus the arrows edit the text, and the avatar stays put.
    const typingAt = await restingX(page);
    await page.keyboard.type("hello");
    await page.keyboard.down("ArrowLeft");
    await frames(page, 20);
    await page.keyboard.up("ArrowLeft");
    expect((await snapshot(page)).local.x).toBe(typingAt);
    await expect.poll(() => page.locator("#chat-hint").isVisible()).toBe(true);
    expect(await page.locator("#chat-hint").textContent()).toBe("Enter to chat · Esc to play");
    await screenshot(page, "chat-hint-desktop");

    await page.keyboard.press("Enter");
    await waitForSnapshot(
      page,
      (s) => s.chat.some((line) => line.text === "hello"),
      "the line in the log",
    );
    expect(await focusedId(page)).not.toBe("chat-input");
    await moveWith(page, "ArrowLeft");
  });

  it("gives them back on Esc, and on a click in the arena", async () => {
    await page.keyboard.press("Enter");
    expect(await focusedId(page)).toBe("chat-input");
    await page.keyboard.press("Escape");
    expect(await focusedId(page)).not.toBe("chat-input");
    await moveWith(page, "ArrowRight");

    await page.click("#chat-input");
    expect(await focusedId(page)).toBe("chat-input");
    const box = await page.locator("#stage canvas").boundingBox();
    if (!box) throw new Error("no arena canvas");
    await page.mouse.click(box.x + 20, box.y + 20);
    expect(await focusedId(page)).not.toBe("chat-input");
    await moveWith(page, "ArrowLeft");
  });

  it("keeps a line the lobby refused in the box, with the focus, for another try", async () => {
    await page.click("#chat-input");
    // Longer than the box takes: typed in through the DOM, as a paste past maxlength cannot.
    await page.evaluate(() => {
      const input = document.getElementById("chat-input");
      if (input instanceof HTMLInputElement) input.value = "x".repeat(300);
    });
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#chat-error").isVisible()).toBe(true);
    expect(await focusedId(page)).toBe("chat-input");
    await page.keyboard.press("Escape");
  });

  it("shows no keyboard hints on a phone", async () => {
    const code = (await snapshot(page)).lobby ?? "";
    const context = await stage.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const phone = await context.newPage();
    await phone.goto(`${stage.server.url}/?lobby=${code}`);
    await phone.tap("#join-step-submit");
    await waitForSnapshot(phone, (s) => s.connection === "open", "the phone in the lobby");
    await expect.poll(() => phone.locator("#chat-input").isVisible()).toBe(true);
    expect(await phone.locator("#chat-hint").isVisible()).toBe(false);
    await phone.locator("#chat-input").scrollIntoViewIfNeeded();
    await screenshot(phone, "chat-phone");
  });

  it("produced no page errors", () => {
    expect(problemsOf(page)).toEqual([]);
  });
});
