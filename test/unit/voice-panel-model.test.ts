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
  type VoiceInput,
} from "../../game/ui/voice-panel-model.ts";

function stateAfter(events: readonly VoiceEvent[]): VoiceState {
  return events.reduce((state, event) => reduceVoice(state, event).state, INITIAL_VOICE_STATE);
}

interface ModelOptions {
  readonly supported?: boolean;
  readonly touch?: boolean;
  readonly canMix?: boolean;
  readonly proximity?: boolean;
  readonly peers?: VoiceInput["peers"];
}

function model(state: VoiceState, options: ModelOptions = {}) {
  return buildVoiceModel({
    state,
    transmitting: transmitting(state),
    supported: options.supported ?? true,
    touch: options.touch ?? false,
    canMix: options.canMix ?? true,
    proximity: options.proximity ?? false,
    peers: options.peers ?? [],
  });
}

function peer(
  status: PeerVoice["status"],
  state: Partial<PeerVoiceState> | null,
  more: Partial<PeerVoice> = {},
): PeerVoice {
  return {
    status,
    speaking: false,
    volume: 1,
    muted: false,
    playout: null,
    level: null,
    state:
      state === null
        ? null
        : { capable: true, on: true, muted: false, deafened: false, talking: false, ...state },
    ...more,
  };
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

  it("say only players nearby hear you in a proximity lobby", () => {
    const held = stateAfter([...ON, { type: "press" }]);
    expect(model(held, { proximity: true }).status).toBe("Players near you hear you.");
    expect(model(stateAfter(ON), { proximity: true }).status).toBe("Hold V or Talk to speak.");
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
    expect(peerVoiceBadge(peer("live", {}, { speaking: true }), false)).toBe("speaking");
    expect(peerVoiceBadge(peer("live", { muted: true }), false)).toBe("muted");
    expect(peerVoiceBadge(peer("live", { muted: true, deafened: true }), false)).toBe("deafened");
  });

  it("say a pair on the edge relay has no voice when either side has voice on", () => {
    expect(peerVoiceBadge(peer("no-path", null), true)).toBe("no-path");
    expect(peerVoiceBadge(peer("no-path", {}), false)).toBe("no-path");
    expect(peerVoiceBadge(peer("no-path", { on: false }), false)).toBeNull();
  });
});

describe("the volume list", () => {
  const peers = [
    { id: "b", name: "Ben", voice: peer("live", {}, { volume: 1.5, speaking: true }) },
    { id: "c", name: "Cy", voice: peer("connecting", {}, { muted: true }) },
    { id: "d", name: "Di", voice: peer("off", { on: false }) },
    { id: "e", name: "Ed", voice: peer("no-path", {}) },
    { id: "f", name: "Flo", voice: peer("connecting", null) },
  ];

  it("has a line for each player whose voice can reach us, even with our own voice off", () => {
    expect(model(INITIAL_VOICE_STATE, { peers }).mix).toEqual([
      { id: "b", name: "Ben", percent: 150, maxPercent: 200, muted: false, speaking: true },
      { id: "c", name: "Cy", percent: 100, maxPercent: 200, muted: true, speaking: false },
    ]);
  });

  it("tops out at 100% where voices cannot be amplified", () => {
    const rows = model(INITIAL_VOICE_STATE, { peers, canMix: false }).mix;
    expect(rows.map((row) => row.maxPercent)).toEqual([100, 100]);
  });
});
