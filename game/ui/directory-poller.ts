/**
 * Keeps the public lobbies list fresh while the menu is on screen: one request at a time,
 * every few seconds, and none while the tab is hidden (the lobby API limits requests per
 * network, and a background tab should not spend that budget).
 */

import type { ApiResult } from "edgeplay/client";
import type { DirectoryListing } from "edgeplay/protocol";

/** The directory itself is cached for a few seconds; asking much more often gains nothing. */
export const DIRECTORY_REFRESH_MS = 10_000;

export interface DirectoryPollerOptions {
  readonly fetchListing: () => Promise<ApiResult<DirectoryListing>>;
  readonly onLoading: (loading: boolean) => void;
  readonly onResult: (result: ApiResult<DirectoryListing>) => void;
  readonly intervalMs?: number;
}

export class DirectoryPoller {
  readonly #options: DirectoryPollerOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #inFlight = false;
  readonly #onVisibility = (): void => {
    if (this.#timer !== null && document.visibilityState === "visible") void this.refresh();
  };

  constructor(options: DirectoryPollerOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  /** Loads now, then every interval until `stop`. */
  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      if (document.visibilityState === "visible") void this.refresh();
    }, this.#options.intervalMs ?? DIRECTORY_REFRESH_MS);
    document.addEventListener("visibilitychange", this.#onVisibility);
    void this.refresh();
  }

  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    document.removeEventListener("visibilitychange", this.#onVisibility);
  }

  async refresh(): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    this.#options.onLoading(true);
    try {
      const result = await this.#options.fetchListing();
      // A late answer after the menu closed is not news to anyone.
      if (this.#timer !== null) this.#options.onResult(result);
    } finally {
      this.#inFlight = false;
      this.#options.onLoading(false);
    }
  }
}
