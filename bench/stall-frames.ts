/**
 * From the watching page's frames to stalls: per rendered frame, was the remote disc drawn
 * where it was in the frame before (unchanged) or elsewhere (moved)? A stall runs from the last
 * moved frame to the next one and counts only when at least one rendered frame in between drew
 * the disc unchanged: a long frame interval in which it moved is slow rendering, not a stall.
 */
import type { DrawnFill, FrameCapture } from "./stall-probes.ts";

export interface FrameAnalysis {
  /** Frames the page ran (rAF callbacks) in the window. */
  readonly frames: number;
  readonly moved: number;
  readonly unchanged: number;
  /** Frames in which the disc was not drawn at all (Phaser did not render, or it was off). */
  readonly notDrawn: number;
  /** Intervals between consecutive frames, ms. */
  readonly frameIntervalsMs: number[];
  /** Stall lengths, ms, in time order. */
  readonly stallsMs: number[];
  /**
   * Stalls still running at an edge of the window, measured to that edge (lower bounds);
   * they are included in `stallsMs` too.
   */
  readonly openStalls: number;
}

/** A disc's fill style as the canvas reports it: an opaque colour reads back as `#rrggbb`. */
export function fillStyleOf(color: number): string {
  return `#${color.toString(16).padStart(6, "0")}`;
}

/** Where the fills of `style` were drawn in each frame (all of them, in order, joined). */
function positionsByFrame(fills: readonly DrawnFill[], style: string): Map<number, string> {
  const byFrame = new Map<number, string>();
  for (const fill of fills) {
    if (fill.style !== style) continue;
    const before = byFrame.get(fill.frameMs);
    byFrame.set(fill.frameMs, before === undefined ? fill.at : `${before};${fill.at}`);
  }
  return byFrame;
}

export function analyzeFrames(capture: FrameCapture, discStyle: string): FrameAnalysis {
  const framesMs = [...new Set(capture.framesMs)].sort((a, b) => a - b);
  const drawnAt = positionsByFrame(capture.fills, discStyle);
  const frameIntervalsMs = framesMs.slice(1).map((t, i) => t - (framesMs[i] ?? t));
  const stallsMs: number[] = [];
  let moved = 0;
  let unchanged = 0;
  let notDrawn = 0;
  let openStalls = 0;
  let previousAt: string | null = null;
  // Until the first moved frame, the window's start stands in for the last move.
  let lastMoveMs = framesMs[0] ?? 0;
  let sawMove = false;
  let unchangedSinceMove = 0;
  for (const frameMs of framesMs) {
    const at = drawnAt.get(frameMs);
    if (at === undefined) {
      notDrawn++;
      continue;
    }
    if (previousAt === null) {
      previousAt = at;
      continue;
    }
    if (at === previousAt) {
      unchanged++;
      unchangedSinceMove++;
      continue;
    }
    moved++;
    if (unchangedSinceMove > 0) {
      stallsMs.push(frameMs - lastMoveMs);
      if (!sawMove) openStalls++;
    }
    sawMove = true;
    lastMoveMs = frameMs;
    unchangedSinceMove = 0;
    previousAt = at;
  }
  const lastFrameMs = framesMs.at(-1);
  if (unchangedSinceMove > 0 && lastFrameMs !== undefined) {
    stallsMs.push(lastFrameMs - lastMoveMs);
    openStalls++;
  }
  return {
    frames: framesMs.length,
    moved,
    unchanged,
    notDrawn,
    frameIntervalsMs,
    stallsMs,
    openStalls,
  };
}
