/**
 * What the voice controls show, from the room's voice in one pure step: which buttons are
 * there, what they say, and one line on what is happening (or what went wrong).
 */
import { MAX_PEER_VOLUME, type PeerVoice, type VoiceState } from "edgeplay/client";
import { TALK_KEY, voiceFailureText } from "./voice-text.ts";

export interface VoiceInput {
  readonly state: VoiceState;
  readonly transmitting: boolean;
  readonly supported: boolean;
  /** A touch screen: no key to hold, so the Talk button is the way. */
  readonly touch: boolean;
  /** Voices can play above 100% here (Web Audio). */
  readonly canMix: boolean;
  /** The lobby's proximity voice: players hear those near them in the game. */
  readonly proximity: boolean;
  /** The other players, in roster order. */
  readonly peers: readonly {
    readonly id: string;
    readonly name: string;
    readonly voice: PeerVoice;
  }[];
}

/** One other player's line in the volume list. */
export interface VoiceMixRow {
  readonly id: string;
  readonly name: string;
  /** Their volume for us, in percent (100: as sent). */
  readonly percent: number;
  /** The slider's top: 200%, or 100% where voices cannot be amplified. */
  readonly maxPercent: number;
  /** We muted them, for us alone. */
  readonly muted: boolean;
  readonly speaking: boolean;
}

export interface VoiceModel {
  /** Turn voice on / off. */
  readonly toggleLabel: string;
  readonly toggleDisabled: boolean;
  /** Talk (in push-to-talk), mute, deafen and open mic show only while voice is on. */
  readonly on: boolean;
  /** Open mic (sends whenever not muted) rather than push-to-talk. */
  readonly openMic: boolean;
  readonly muteLabel: string;
  readonly muted: boolean;
  readonly deafenLabel: string;
  readonly deafened: boolean;
  /** The hold-to-talk button: in push-to-talk mode only. */
  readonly talkShown: boolean;
  readonly talking: boolean;
  readonly status: string;
  readonly isError: boolean;
  /** A volume line for each player whose voice reaches us (their voice on, on a voice path). */
  readonly mix: readonly VoiceMixRow[];
}

export function buildVoiceModel(input: VoiceInput): VoiceModel {
  const { state } = input;
  const on = state.phase === "on";
  const pushToTalk = state.mode === "push-to-talk";
  const error = state.phase === "off" && state.failure !== null;
  return {
    toggleLabel: state.phase === "asking" ? "Asking…" : on ? "Turn off" : "🎤 Turn voice on",
    toggleDisabled: state.phase === "asking" || !input.supported,
    on,
    openMic: !pushToTalk,
    // Unmuting while deafened ends the deafen too (the state machine's rule).
    muteLabel: state.muted ? "Unmute" : "Mute",
    muted: state.muted,
    deafenLabel: state.deafened ? "Undeafen" : "Deafen",
    deafened: state.deafened,
    talkShown: on && pushToTalk,
    talking: input.transmitting,
    status: error && state.failure !== null ? voiceFailureText(state.failure) : statusLine(input),
    isError: error,
    mix: input.peers.flatMap(({ id, name, voice }) =>
      voice.state?.on && voice.status !== "no-path"
        ? [
            {
              id,
              name,
              percent: Math.round(voice.volume * 100),
              maxPercent: input.canMix ? MAX_PEER_VOLUME * 100 : 100,
              muted: voice.muted,
              speaking: voice.speaking,
            },
          ]
        : [],
    ),
  };
}

function statusLine(input: VoiceInput): string {
  const { state } = input;
  if (!input.supported) return voiceFailureText("unsupported");
  switch (state.phase) {
    case "off":
      return "Nobody hears you until you turn it on.";
    case "asking":
      return "Allow the microphone in the browser's prompt.";
    case "on":
      if (state.deafened) return "Deafened: you hear no one.";
      if (state.muted) return "Muted: nobody hears you.";
      if (input.transmitting) return `${whoHears(input)} you.`;
      if (state.mode === "open") return `${whoHears(input)} you while you speak.`;
      return input.touch ? "Hold Talk to speak." : `Hold ${TALK_KEY} or Talk to speak.`;
  }
}

function whoHears(input: VoiceInput): string {
  return input.proximity ? "Players near you hear" : "Everyone hears";
}

/** What a roster row says of a player's voice; null: nothing (their voice is off). */
export type VoiceBadge = "speaking" | "muted" | "deafened" | "voice-on" | "no-path";

/** Our own row's badge. */
export function selfVoiceBadge(state: VoiceState, sending: boolean): VoiceBadge | null {
  if (state.phase !== "on") return null;
  if (state.deafened) return "deafened";
  if (state.muted) return "muted";
  return sending ? "speaking" : "voice-on";
}

/**
 * Another player's badge. A pair on the edge relay has no voice: said whenever either side
 * has voice on, so neither waits for sound that cannot come.
 */
export function peerVoiceBadge(peer: PeerVoice, selfOn: boolean): VoiceBadge | null {
  const theirs = peer.state;
  if (peer.status === "no-path") return selfOn || theirs?.on ? "no-path" : null;
  if (!theirs?.on) return null;
  if (theirs.deafened) return "deafened";
  if (theirs.muted) return "muted";
  return peer.speaking ? "speaking" : "voice-on";
}
