import { describe, expect, it } from "vitest";
import {
  INITIAL_VOICE_STATE,
  reduceVoice,
  transmitting,
  type VoiceEffect,
  type VoiceEvent,
  type VoiceState,
} from "../../game/kit/voice/voice-state.ts";

/** Runs the events from `start`, collecting every effect on the way. */
function run(
  events: readonly VoiceEvent[],
  start: VoiceState = INITIAL_VOICE_STATE,
): { state: VoiceState; effects: VoiceEffect[] } {
  let state = start;
  const effects: VoiceEffect[] = [];
  for (const event of events) {
    const step = reduceVoice(state, event);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const on = run([{ type: "enable" }, { type: "granted", capture: 1 }]).state;

describe("the voice state machine", () => {
  it("captures nothing until enabled, then asks once and is on when granted", () => {
    expect(INITIAL_VOICE_STATE.phase).toBe("off");
    expect(transmitting(INITIAL_VOICE_STATE)).toBe(false);
    const asking = run([{ type: "enable" }, { type: "enable" }]);
    expect(asking.state.phase).toBe("asking");
    expect(asking.effects).toEqual([{ type: "capture", capture: 1 }]);
    expect(on.phase).toBe("on");
    expect(on.mode).toBe("push-to-talk");
  });

  it("goes back to off with the reason when the microphone is refused", () => {
    const refused = run([{ type: "enable" }, { type: "refused", capture: 1, failure: "denied" }]);
    expect(refused.state).toMatchObject({ phase: "off", failure: "denied" });
    const again = run([{ type: "enable" }], refused.state);
    expect(again.state).toMatchObject({ phase: "asking", failure: null, capture: 2 });
  });

  it("lets go of a microphone granted after the player gave up on it", () => {
    const late = run([
      { type: "enable" },
      { type: "disable" },
      { type: "enable" },
      { type: "granted", capture: 1 },
    ]);
    expect(late.state.phase).toBe("asking");
    expect(late.effects).toEqual([
      { type: "capture", capture: 1 },
      { type: "capture", capture: 2 },
      { type: "release" },
    ]);
    // A late refusal of the old capture changes nothing either.
    const refusedLate = run([{ type: "refused", capture: 1, failure: "in-use" }], late.state);
    expect(refusedLate.state).toEqual(late.state);
  });

  it("sends with push-to-talk only while the key is held, and never when off", () => {
    expect(transmitting(on)).toBe(false);
    const held = run([{ type: "press" }], on).state;
    expect(transmitting(held)).toBe(true);
    expect(transmitting(run([{ type: "release" }], held).state)).toBe(false);
    expect(run([{ type: "press" }]).state.talkHeld).toBe(false);
    const disabled = run([{ type: "disable" }], held);
    expect(disabled.effects).toEqual([{ type: "release" }]);
    expect(transmitting(disabled.state)).toBe(false);
  });

  it("sends all the time in open mode unless muted, and unmutes at once", () => {
    const open = run([{ type: "set-mode", mode: "open" }], on).state;
    expect(transmitting(open)).toBe(true);
    const muted = run([{ type: "set-muted", muted: true }], open);
    expect(transmitting(muted.state)).toBe(false);
    // Mute keeps the microphone: nothing to capture again.
    expect(muted.effects).toEqual([]);
    expect(transmitting(run([{ type: "set-muted", muted: false }], muted.state).state)).toBe(true);
  });

  it("deafen mutes too, and undeafen gives the earlier mute state back", () => {
    const open = run([{ type: "set-mode", mode: "open" }], on).state;
    for (const mutedBefore of [false, true]) {
      const before = run([{ type: "set-muted", muted: mutedBefore }], open).state;
      const deaf = run([{ type: "set-deafened", deafened: true }], before).state;
      expect(deaf).toMatchObject({ deafened: true, muted: true });
      expect(transmitting(deaf)).toBe(false);
      // Deafening twice must not forget the first state.
      const twice = run([{ type: "set-deafened", deafened: true }], deaf).state;
      const back = run([{ type: "set-deafened", deafened: false }], twice).state;
      expect(back).toMatchObject({ deafened: false, muted: mutedBefore });
    }
  });

  it("unmuting while deafened ends the deafen; muting while deafened changes nothing", () => {
    const deaf = run([{ type: "set-deafened", deafened: true }], on).state;
    expect(run([{ type: "set-muted", muted: true }], deaf).state).toEqual(deaf);
    expect(run([{ type: "set-muted", muted: false }], deaf).state).toMatchObject({
      deafened: false,
      muted: false,
    });
  });

  it("turns off and says why when the microphone goes away", () => {
    const held = run([{ type: "press" }], on).state;
    const ended = run([{ type: "track-ended" }], held);
    expect(ended.state).toMatchObject({ phase: "off", failure: "ended", talkHeld: false });
    expect(ended.effects).toEqual([{ type: "release" }]);
    expect(run([{ type: "track-ended" }]).effects).toEqual([]);
  });

  it("releases a held talk key when the mode changes", () => {
    const held = run([{ type: "press" }], on).state;
    const open = run([{ type: "set-mode", mode: "open" }], held).state;
    const back = run([{ type: "set-mode", mode: "push-to-talk" }], open).state;
    expect(transmitting(back)).toBe(false);
  });
});
