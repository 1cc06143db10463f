/**
 * The local player's voice, as a pure state machine: whether the microphone is off, being
 * asked for or on; push-to-talk or open mic; mute; deafen (which mutes too, and gives the
 * earlier mute back when it ends). The `Voice` class applies what it returns: it captures or
 * releases the microphone, and sends or stops the track as `transmitting` changes.
 */

export type VoicePhase = "off" | "asking" | "on";
/** Push-to-talk sends only while the talk key is held; open sends whenever not muted. */
export type VoiceMode = "push-to-talk" | "open";

/** Why the microphone could not be had, or was lost. */
export type CaptureFailure = "denied" | "no-device" | "in-use" | "unsupported" | "failed";

export interface VoiceState {
  readonly phase: VoicePhase;
  readonly mode: VoiceMode;
  readonly muted: boolean;
  /** Hearing no one; also muted while it lasts. */
  readonly deafened: boolean;
  /** Whether we were muted when deafen began: undeafen gives it back. */
  readonly mutedBeforeDeafen: boolean;
  /** The push-to-talk key or button is held down. */
  readonly talkHeld: boolean;
  /** Numbers each capture, so an answer to one given up on is told apart from the current one. */
  readonly capture: number;
  /** Why the last capture failed or ended; cleared by the next `enable`. */
  readonly failure: CaptureFailure | "ended" | null;
}

export type VoiceEvent =
  | { readonly type: "enable" }
  | { readonly type: "disable" }
  | { readonly type: "granted"; readonly capture: number }
  | { readonly type: "refused"; readonly capture: number; readonly failure: CaptureFailure }
  /** The microphone went away while on (unplugged, taken by the system). */
  | { readonly type: "track-ended" }
  | { readonly type: "set-mode"; readonly mode: VoiceMode }
  | { readonly type: "press" }
  | { readonly type: "release" }
  | { readonly type: "set-muted"; readonly muted: boolean }
  | { readonly type: "set-deafened"; readonly deafened: boolean };

/** What the owner must do besides taking the new state. */
export type VoiceEffect =
  /** Ask for the microphone, answering with `granted` or `refused` with this number. */
  | { readonly type: "capture"; readonly capture: number }
  /** Stop the microphone's track (the browser's recording indicator goes off). */
  | { readonly type: "release" };

export interface VoiceStep {
  readonly state: VoiceState;
  readonly effects: readonly VoiceEffect[];
}

export const INITIAL_VOICE_STATE: VoiceState = {
  phase: "off",
  mode: "push-to-talk",
  muted: false,
  deafened: false,
  mutedBeforeDeafen: false,
  talkHeld: false,
  capture: 0,
  failure: null,
};

/** Whether our microphone's sound goes out now. */
export function transmitting(state: VoiceState): boolean {
  if (state.phase !== "on" || state.muted || state.deafened) return false;
  return state.mode === "open" || state.talkHeld;
}

export function reduceVoice(state: VoiceState, event: VoiceEvent): VoiceStep {
  const next = (changes: Partial<VoiceState>, effects: VoiceEffect[] = []): VoiceStep => ({
    state: { ...state, ...changes },
    effects,
  });
  switch (event.type) {
    case "enable": {
      if (state.phase !== "off") return next({});
      const capture = state.capture + 1;
      return next({ phase: "asking", capture, failure: null }, [{ type: "capture", capture }]);
    }
    case "disable":
      // A capture still being asked for is let go when it answers (`granted` for an old number).
      return next(
        { phase: "off", talkHeld: false },
        state.phase === "on" ? [{ type: "release" }] : [],
      );
    case "granted":
      if (state.phase !== "asking" || event.capture !== state.capture) {
        return next({}, [{ type: "release" }]);
      }
      return next({ phase: "on" });
    case "refused":
      if (state.phase !== "asking" || event.capture !== state.capture) return next({});
      return next({ phase: "off", failure: event.failure });
    case "track-ended":
      if (state.phase !== "on") return next({});
      return next({ phase: "off", talkHeld: false, failure: "ended" }, [{ type: "release" }]);
    case "set-mode":
      return next({ mode: event.mode, talkHeld: false });
    case "press":
      return next({ talkHeld: state.phase === "on" });
    case "release":
      return next({ talkHeld: false });
    case "set-muted":
      // Unmuting while deafened ends the deafen too: the player wants to be heard, and to hear.
      if (state.deafened) {
        return event.muted ? next({}) : next({ deafened: false, muted: false });
      }
      return next({ muted: event.muted });
    case "set-deafened":
      if (event.deafened === state.deafened) return next({});
      return event.deafened
        ? next({ deafened: true, muted: true, mutedBeforeDeafen: state.muted })
        : next({ deafened: false, muted: state.mutedBeforeDeafen });
  }
}
