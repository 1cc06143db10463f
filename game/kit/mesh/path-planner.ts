/**
 * Which way one pair's packets go: the direct data channels (a host, STUN or TURN path)
 * whenever they work, else the edge relay through the lobby once the direct path has had a
 * fair chance. Pure: the caller says whether the direct path is usable and what time it is.
 *
 * The ladder, per pair:
 * 1. direct, as soon as both channels are open and ICE is connected;
 * 2. ICE restarts (done by the direct transport) while the relay is not yet in use;
 * 3. TURN is just another direct path (the candidates come from `welcome.iceServers`);
 * 4. the edge relay, when the channels have not opened within `openDeadlineMs` of the start,
 *    when a working path has been down for `recoverDeadlineMs`, or at once when ICE fails
 *    again after a restart. ICE keeps trying meanwhile, and traffic returns to the direct
 *    path the moment it is usable again.
 */
import type { Path } from "../stats.ts";

/** What the planner decides: the direct path (host, STUN or TURN alike), the edge relay, or none yet. */
export type Route = Exclude<Path, "turn">;

export interface PathPlannerOptions {
  /** A new pair gets this long to open its channels before the relay takes over. */
  readonly openDeadlineMs: number;
  /** A path that worked and went down gets this long to come back (an ICE restart). */
  readonly recoverDeadlineMs: number;
  /** Relay only, never direct (`?transport=edge`). */
  readonly edgeOnly: boolean;
}

export const DEFAULT_PATH_PLANNER: PathPlannerOptions = {
  // Two pages on one machine open in ~50 ms and across the internet in well under a second;
  // 5 s leaves room for TURN over TCP and a slow first offer (the polite side waits 2 s).
  openDeadlineMs: 5000,
  // Chromium reports `disconnected` a few seconds after packets stop; an ICE restart then
  // needs a round of signaling. Longer than this, and the avatar has been frozen too long.
  recoverDeadlineMs: 3000,
  edgeOnly: false,
};

export class PathPlanner {
  readonly options: PathPlannerOptions;
  /** Since when the direct path has not been usable; null while it is. */
  #downSinceMs: number | null;
  #wasUp = false;
  /** ICE failed after a restart: no point waiting out a deadline. */
  #gaveUp = false;

  constructor(startedAtMs: number, options: Partial<PathPlannerOptions> = {}) {
    this.options = { ...DEFAULT_PATH_PLANNER, ...options };
    this.#downSinceMs = startedAtMs;
  }

  /** Whether the direct path is usable now. Call before `route`, at least on every change. */
  observe(directUsable: boolean, nowMs: number): void {
    if (directUsable) {
      this.#downSinceMs = null;
      this.#wasUp = true;
      this.#gaveUp = false;
    } else {
      this.#downSinceMs ??= nowMs;
    }
  }

  /** ICE failed although it had been restarted: use the relay now, until direct works again. */
  iceFailedAfterRestart(nowMs: number): void {
    this.#downSinceMs ??= nowMs;
    this.#gaveUp = true;
  }

  route(nowMs: number): Route {
    if (this.options.edgeOnly) return "edge";
    const downSince = this.#downSinceMs;
    if (downSince === null) return "direct";
    if (this.#gaveUp) return "edge";
    const deadline = this.#wasUp ? this.options.recoverDeadlineMs : this.options.openDeadlineMs;
    return nowMs - downSince >= deadline ? "edge" : "none";
  }
}
