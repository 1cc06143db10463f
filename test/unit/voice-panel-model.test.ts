import { describe, expect, it } from "vitest";
import type { PeerVoice, PeerVoiceState } from "../../game/kit/voice/voice.ts";
import {
  INITIAL_VOICE_STATE,
  reduceVoice,
  transmitting,
  type VoiceEvent,
  type VoiceState,
} from "../../game/kit/voice/voice-state.ts";
import {
  buildVoiceModel,
  peerVoiceBadge,
  selfVoiceBadge,
} from "../../game/ui/voice-panel-model.ts";

function stateAfter(events: readonly VoiceEvent[]): VoiceState {
  return events.reduce((state, event) => reduceVoice(state, event).state, INITIAL_VOICE_STATE);
}

function model(state: VoiceState, options: { supported?: boolean; touch?: boolean } = {}) {
  return buildVoiceModel({
    state,
    transmitting: transmitting(state),
    supported: options.supported ?? true,
    touch: options.touch ?? false,
  });
}

const ON: VoiceEvent[] = [{ type: "enable" }, { type: "granted", capture: 1 }];

describe("the voice controls", () => {
  it("offer only the switch while voice is off, and say nobody hears you", () => {
    const off = model(INITIAL_VOICE_STATE);
    expect(off).toMatchObject({ on: false, toggleLabel: "🎤 Turn voice on", talkShown: false });
    expect(off.status).toBe("Nobody hears you until you turn it on.");
    expect(off.isError).toBe(false);
  });

  it("wait on the browser's prompt", () => {
    const asking = model(stateAfter([{ type: "enable" }]));
    expect(asking).toMatchObject({ toggleLabel: "Asking…", toggleDisabled: true });
    expect(asking.status).toContain("Allow the microphone");
  });

  it("say how to talk: the key on a desktop, the button on a touch screen", () => {
    const on = stateAfter(ON);
    expect(model(on)).toMatchObject({ on: true, talkShown: true, talking: false });
    expect(model(on).status).toBe("Hold V or Talk to speak.");
    expect(model(on, { touch: true }).status).toBe("Hold Talk to speak.");
    const held = stateAfter([...ON, { type: "press" }]);
    expect(model(held)).toMatchObject({
      talking: true,
      status: "Everyone hears you.",
    });
  });

  it("show open mic, mute and deafen as the player set them", () => {
    const open = stateAfter([...ON, { type: "set-mode", mode: "open" }]);
    expect(model(open)).toMatchObject({ talkShown: false, openMic: true });
    const muted = stateAfter([...ON, { type: "set-muted", muted: true }]);
    expect(model(muted)).toMatchObject({ muteLabel: "Unmute", muted: true });
    const deaf = stateAfter([...ON, { type: "set-deafened", deafened: true }]);
    expect(model(deaf)).toMatchObject({ deafenLabel: "Undeafen", muteLabel: "Unmute" });
    expect(model(deaf).status).toContain("you hear no one");
  });

  it("explain a refused microphone as an error the player can act on", () => {
    const denied = model(
      stateAfter([{ type: "enable" }, { type: "refused", capture: 1, failure: "denied" }]),
    );
    expect(denied).toMatchObject({ isError: true, on: false, toggleLabel: "🎤 Turn voice on" });
    expect(denied.status).toContain("blocked the microphone");
    const unsupported = model(INITIAL_VOICE_STATE, { supported: false });
    expect(unsupported.toggleDisabled).toBe(true);
    expect(unsupported.status).toContain("secure page");
  });
});

describe("the roster's voice badges", () => {
  const on = stateAfter(ON);
  const peer = (
    status: PeerVoice["status"],
    state: Partial<PeerVoiceState> | null,
    speaking = false,
  ): PeerVoice => ({
    status,
    speaking,
    volume: 1,
    muted: false,
    state:
      state === null
        ? null
        : { capable: true, on: true, muted: false, deafened: false, talking: false, ...state },
  });

  it("show our own voice: talking, muted, deafened, or just on", () => {
    expect(selfVoiceBadge(INITIAL_VOICE_STATE, false)).toBeNull();
    expect(selfVoiceBadge(on, false)).toBe("voice-on");
    expect(selfVoiceBadge(on, true)).toBe("speaking");
    expect(selfVoiceBadge(stateAfter([...ON, { type: "set-muted", muted: true }]), false)).toBe(
      "muted",
    );
    expect(
      selfVoiceBadge(stateAfter([...ON, { type: "set-deafened", deafened: true }]), false),
    ).toBe("deafened");
  });

  it("show a peer's voice as they said it, speaking from what we play", () => {
    expect(peerVoiceBadge(peer("off", { on: false }), true)).toBeNull();
    expect(peerVoiceBadge(peer("live", {}), false)).toBe("voice-on");
    expect(peerVoiceBadge(peer("live", {}, true), false)).toBe("speaking");
    expect(peerVoiceBadge(peer("live", { muted: true }), false)).toBe("muted");
    expect(peerVoiceBadge(peer("live", { muted: true, deafened: true }), false)).toBe("deafened");
  });

  it("say a pair on the edge relay has no voice when either side has voice on", () => {
    expect(peerVoiceBadge(peer("no-path", null), true)).toBe("no-path");
    expect(peerVoiceBadge(peer("no-path", {}), false)).toBe("no-path");
    expect(peerVoiceBadge(peer("no-path", { on: false }), false)).toBeNull();
  });
});
