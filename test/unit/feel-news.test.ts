import { describe, expect, it } from "vitest";
import { AWARD_NEWS_MS, AwardFeed } from "../../game/feel/award-feed.ts";
import { type Cue, CueTracker, MAX_FRAME_GAP_MS } from "../../game/feel/match-cues.ts";
import { soundForAwards, soundForCue } from "../../game/feel/sound-plan.ts";
import type { MatchState } from "../../game/scenes/scoreboard-text.ts";
import type { Award } from "../../game/world/world-session.ts";

function award(pickupId: number, by: string, atMs: number, value = 1): Award {
  return { pickupId, by, x: 100, y: 100, value, atMs };
}

describe("AwardFeed (each award celebrated once, while it is news)", () => {
  it("hands out each award once, in order, as the world's list grows", () => {
    const feed = new AwardFeed();
    const a = award(1, "ana", 1000);
    const b = award(2, "bob", 1010);
    expect(feed.take([a], 1016)).toEqual([a]);
    expect(feed.take([a], 1032)).toEqual([]);
    expect(feed.take([a, b], 1048)).toEqual([b]);
    expect(feed.take([a, b], 1064)).toEqual([]);
  });

  it("tells apart a later award of a reused pickup id", () => {
    const feed = new AwardFeed();
    const first = award(7, "ana", 1000);
    const again = award(7, "ana", 5000);
    feed.take([first], 1000);
    expect(feed.take([first, again], 5000)).toEqual([again]);
  });

  it("keeps quiet about awards already old when first seen (a hidden tab, a new scene)", () => {
    const feed = new AwardFeed();
    const old = [award(1, "ana", 1000), award(2, "bob", 1500), award(3, "ana", 2000)];
    const back = 2000 + AWARD_NEWS_MS + 1;
    expect(feed.take(old, back)).toEqual([]);
    const fresh = award(4, "bob", back + 5);
    expect(feed.take([...old, fresh], back + 16)).toEqual([fresh]);
  });

  it("forgets what left the world's list, so memory stays bounded", () => {
    const feed = new AwardFeed();
    const list = Array.from({ length: 16 }, (_, i) => award(i, "ana", 1000 + i));
    feed.take(list, 1020);
    const next = [...list.slice(1), award(99, "bob", 1030)];
    expect(feed.take(next, 1031)).toEqual([award(99, "bob", 1030)]);
  });
});

function match(
  stage: MatchState["stage"],
  round: number,
  stageRemainingMs: number | null,
  rounds = 3,
): MatchState {
  return { ready: true, stage, round, rounds, stageRemainingMs };
}

/** Plays frames 16 ms apart and collects every cue. */
function play(tracker: CueTracker, frames: readonly MatchState[], startMs = 0): Cue[] {
  return frames.flatMap((state, index) => tracker.next(state, startMs + index * 16));
}

/** A round's frames: countdown of `countdownMs`, a round of `roundMs`, then its results. */
function roundFrames(round: number, countdownMs: number, roundMs: number): MatchState[] {
  const frames: MatchState[] = [];
  for (let left = countdownMs; left > 0; left -= 16) frames.push(match("countdown", round, left));
  for (let left = roundMs; left > 0; left -= 16) frames.push(match("round", round, left));
  frames.push(match("results", round, 3000), match("results", round, 2000));
  return frames;
}

describe("CueTracker (the match's moments, once each)", () => {
  it("cues 3-2-1, go, ten seconds left and the whistle once per round, and the podium once", () => {
    const tracker = new CueTracker();
    const frames = [
      match("warmup", 0, null),
      ...roundFrames(1, 3000, 12_000),
      ...roundFrames(2, 3000, 12_000),
      match("podium", 2, null),
      match("podium", 2, null),
    ];
    expect(play(tracker, frames)).toEqual([
      { kind: "count", number: 3 },
      { kind: "count", number: 2 },
      { kind: "count", number: 1 },
      { kind: "go" },
      { kind: "final-seconds" },
      { kind: "round-end" },
      { kind: "count", number: 3 },
      { kind: "count", number: 2 },
      { kind: "count", number: 1 },
      { kind: "go" },
      { kind: "final-seconds" },
      { kind: "round-end" },
      { kind: "podium" },
    ]);
  });

  it("cues ten seconds left with the go when the whole round is shorter than that", () => {
    const tracker = new CueTracker();
    const cues = play(tracker, [match("warmup", 0, null), ...roundFrames(1, 2000, 8000)]);
    // A short round is in its last ten seconds from the start: the cue comes with the go.
    expect(cues.map((cue) => cue.kind)).toEqual([
      "count",
      "count",
      "go",
      "final-seconds",
      "round-end",
    ]);
  });

  it("stays silent on the first frame it sees: a player arriving mid-round hears only what follows", () => {
    const tracker = new CueTracker();
    expect(tracker.next(match("round", 2, 30_000), 0)).toEqual([]);
    expect(tracker.next(match("round", 2, 29_984), 16)).toEqual([]);
    expect(tracker.next(match("round", 2, 9_990), 32)).toEqual([{ kind: "final-seconds" }]);
  });

  it("catches up silently after a gap in frames (a hidden tab), then cues what comes next", () => {
    const tracker = new CueTracker();
    tracker.next(match("round", 1, 20_000), 0);
    // Back after the round ended and the next countdown began: no whistle, no beep for "3".
    const back = MAX_FRAME_GAP_MS + 1;
    expect(tracker.next(match("countdown", 2, 2500), back)).toEqual([]);
    expect(tracker.next(match("countdown", 2, 1900), back + 16)).toEqual([
      { kind: "count", number: 2 },
    ]);
  });

  it("starts afresh for the next match, whether or not its warm-up was seen", () => {
    const tracker = new CueTracker();
    play(tracker, [match("countdown", 1, 3000), match("countdown", 1, 2990)]);
    play(tracker, [match("podium", 3, null), match("podium", 3, null)], 100);
    // Play again went by unseen: round numbers start over, so 3 beeps again.
    expect(play(tracker, [match("countdown", 1, 3000), match("countdown", 1, 2990)], 200)).toEqual([
      { kind: "count", number: 3 },
    ]);
  });

  it("waits for the host's first world", () => {
    const tracker = new CueTracker();
    const notReady = { ...match("countdown", 1, 3000), ready: false };
    expect(tracker.next(notReady, 0)).toEqual([]);
  });
});

describe("the sound plan", () => {
  it("gives each cue its sound", () => {
    expect(soundForCue({ kind: "count", number: 2 })).toBe("count");
    expect(soundForCue({ kind: "go" })).toBe("go");
    expect(soundForCue({ kind: "final-seconds" })).toBe("final-seconds");
    expect(soundForCue({ kind: "round-end" })).toBe("whistle");
    expect(soundForCue({ kind: "podium" })).toBe("fanfare");
  });

  it("plays one pickup sound per frame: ours over others', a star over a point", () => {
    expect(soundForAwards([], "me")).toBeNull();
    expect(soundForAwards([award(1, "ana", 0)], "me")).toBe("tick");
    expect(soundForAwards([award(1, "ana", 0), award(2, "me", 0)], "me")).toBe("tick-ours");
    expect(soundForAwards([award(1, "me", 0), award(2, "ana", 0, 3)], "me")).toBe("star");
    expect(soundForAwards([award(2, "ana", 0, 3), award(1, "me", 0, 3)], "me")).toBe("star-ours");
  });
});
