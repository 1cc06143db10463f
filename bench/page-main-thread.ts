/**
 * How much of its main thread a page spends working, from Chromium's own counters (CDP
 * `Performance.getMetrics`: TaskDuration covers every task, ScriptDuration the JavaScript in
 * them). Unlike the frame rate, which requestAnimationFrame caps at the display's 60 Hz, this
 * still shows a cost when the page has time to spare.
 */
import type { CDPSession, Page } from "playwright-core";

export interface MainThreadTime {
  readonly taskMs: number;
  readonly scriptMs: number;
  /** performance.now() in the driver when it was read. */
  readonly atMs: number;
}

export class MainThreadMeter {
  readonly #cdp: CDPSession;

  private constructor(cdp: CDPSession) {
    this.#cdp = cdp;
  }

  static async attach(page: Page): Promise<MainThreadMeter> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    return new MainThreadMeter(cdp);
  }

  async read(): Promise<MainThreadTime> {
    const { metrics } = await this.#cdp.send("Performance.getMetrics");
    const seconds = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
    return {
      taskMs: seconds("TaskDuration") * 1000,
      scriptMs: seconds("ScriptDuration") * 1000,
      atMs: performance.now(),
    };
  }
}

/** Milliseconds of main-thread work per second of wall time between two readings. */
export function busyMsPerSecond(
  before: MainThreadTime,
  after: MainThreadTime,
): { readonly task: number; readonly script: number } {
  const seconds = (after.atMs - before.atMs) / 1000;
  return {
    task: (after.taskMs - before.taskMs) / seconds,
    script: (after.scriptMs - before.scriptMs) / seconds,
  };
}
