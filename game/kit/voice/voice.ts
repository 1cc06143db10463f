/**
 * A room's voice: the player's microphone (captured only once they turn voice on), sent on the
 * direct connection to every peer that can take it, and each peer's voice played at the volume
 * the player chose for them, and placed where the game put them. What each side's voice is doing
 * (on, muted, deafened, talking) travels to the others as the kit's own action. Voice never
 * goes through the edge relay: a pair on it has no voice, and `peer(id).status` says so.
 */
import * as v from "valibot";
import type { Platform } from "../platform/platform.ts";
import type { Path } from "../stats.ts";
import type { AudioPort } from "./audio-port.ts";
import { PeerPlayout, type PlayoutPath } from "./playout.ts";
import { SpeakingDetector } from "./speaking.ts";
import { VoiceGraph, type VoiceMix } from "./voice-graph.ts";
import { type PeerVoicePrefs, VoicePrefs } from "./voice-prefs.ts";
import {
  type CaptureFailure,
  INITIAL_VOICE_STATE,
  reduceVoice,
  transmitting,
  type VoiceEvent,
  type VoiceMode,
  type VoiceState,
} from "./voice-state.ts";

/** The kit's own action: what a peer's voice is doing. A game may not declare this name. */
export const VOICE_ACTION = "edgeplay.voice";

export const PeerVoiceSchema = v.object({
  /** Their runtime can send and play voice. */
  capable: v.boolean(),
  /** Their microphone is on. */
  on: v.boolean(),
  muted: v.boolean(),
  deafened: v.boolean(),
  /** Their voice is going out now (push-to-talk held, or open mic). */
  talking: v.boolean(),
});
export type PeerVoiceState = v.InferOutput<typeof PeerVoiceSchema>;

/**
 * Their voice, as we can hear it: `live` (a track is arriving), `connecting` (their mic is on,
 * the track is not here yet), `off` (their mic is off), `no-path` (the pair is on the edge
 * relay, which carries no voice), `unsupported` (their runtime has no voice).
 */
export type PeerVoiceStatus = "live" | "connecting" | "off" | "no-path" | "unsupported";

export interface PeerVoice extends PeerVoicePrefs {
  readonly status: PeerVoiceStatus;
  /** Their voice is being played loud enough to count, now (with a short hold). */
  readonly speaking: boolean;
  /** What they said of themselves; null until they have. */
  readonly state: PeerVoiceState | null;
  /** How their voice is played here: on its element, or through Web Audio; null: it is not. */
  readonly playout: PlayoutPath | null;
  /** The level Web Audio plays them at now (0..1, above 1 when amplified); null off that path. */
  readonly level: number | null;
}

/**
 * Where the game puts a peer's voice: `gain` 0..1 (by distance, say) on top of the player's own
 * volume for them, `pan` -1 (left) to 1 (right). See `proximityMix`.
 */
export type VoicePlacement = VoiceMix;

export type EnableResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly failure: CaptureFailure };

/** What the voice needs of one peer's link. */
export interface VoiceLinkView {
  readonly id: string;
  readonly path: Path;
  readonly directUsable: boolean;
  readonly audio: AudioPort | null;
}

export interface VoiceOptions {
  readonly platform: Platform;
  /** The links to the other players now. */
  readonly links: () => readonly VoiceLinkView[];
  /** A player's name (per-player settings are kept by name). */
  readonly nameOf: (peerId: string) => string | null;
  /** Sends our state to one peer, or to all; returns how many took it. */
  readonly announce: (state: PeerVoiceState, to: string | undefined) => number;
  /** Our state or a peer's changed (null: ours). */
  readonly onChange: (peerId: string | null) => void;
}

export class Voice {
  readonly #options: VoiceOptions;
  readonly #prefs = new VoicePrefs();
  #state: VoiceState = INITIAL_VOICE_STATE;
  #capture: MediaStream | null = null;
  readonly #peers = new Map<string, PeerVoiceState>();
  readonly #playouts = new Map<string, PeerPlayout>();
  readonly #placements = new Map<string, VoicePlacement>();
  readonly #graph: VoiceGraph | null;
  readonly #speaking = new Map<string, SpeakingDetector>();
  readonly #lastLevel = new Map<string, { rtpTimestamp: number; at: number; level: number }>();
  /** Peers our state reached while their link was up; a link coming up hears it again. */
  readonly #told = new Set<string>();
  #pendingEnable: ((result: EnableResult) => void) | null = null;

  constructor(options: VoiceOptions) {
    this.#options = options;
    const { createAudioContext } = options.platform;
    this.#graph = createAudioContext === null ? null : new VoiceGraph(createAudioContext);
  }

  /** Whether this runtime can capture and play voice at all. */
  get supported(): boolean {
    const { platform } = this.#options;
    return platform.getUserMedia !== null && platform.createAudioElement !== null;
  }

  /**
   * Whether voices can be played louder than 100% and placed left or right (Web Audio). Where
   * not, volumes above 1 play at 100% and placements only attenuate.
   */
  get canMix(): boolean {
    return this.#graph !== null;
  }

  get state(): VoiceState {
    return this.#state;
  }

  get transmitting(): boolean {
    return transmitting(this.#state);
  }

  /**
   * Turns the microphone on (call it from a click or key press: browsers ask the player, and
   * play sound only after a gesture). Resolves once the player has answered.
   */
  enable(): Promise<EnableResult> {
    if (!this.supported) return Promise.resolve({ ok: false, failure: "unsupported" });
    if (this.#state.phase === "on") return Promise.resolve({ ok: true });
    this.#pendingEnable?.({ ok: false, failure: "failed" });
    const answered = new Promise<EnableResult>((resolve) => (this.#pendingEnable = resolve));
    this.#dispatch({ type: "enable" });
    return answered;
  }

  disable(): void {
    this.#dispatch({ type: "disable" });
  }

  setMode(mode: VoiceMode): void {
    this.#dispatch({ type: "set-mode", mode });
  }

  /** Push-to-talk held down. */
  press(): void {
    this.#dispatch({ type: "press" });
  }

  release(): void {
    this.#dispatch({ type: "release" });
  }

  setMuted(muted: boolean): void {
    this.#dispatch({ type: "set-muted", muted });
  }

  setDeafened(deafened: boolean): void {
    this.#dispatch({ type: "set-deafened", deafened });
  }

  /** How loud `peerId` plays for us, 0-2 (200%); kept for their name for the whole stay. */
  setVolume(peerId: string, volume: number): void {
    const name = this.#options.nameOf(peerId);
    if (name === null) return;
    this.#prefs.setVolume(name, volume);
    this.#options.onChange(peerId);
  }

  setPeerMuted(peerId: string, muted: boolean): void {
    const name = this.#options.nameOf(peerId);
    if (name === null) return;
    this.#prefs.setMuted(name, muted);
    this.#options.onChange(peerId);
  }

  /**
   * Places `peerId`'s voice (null: back to centred, at the player's volume). Meant to be called
   * as often as the game moves things; only changes reach the audio.
   */
  setPlacement(peerId: string, placement: VoicePlacement | null): void {
    if (placement === null) this.#placements.delete(peerId);
    else this.#placements.set(peerId, clampPlacement(placement));
  }

  peer(peerId: string): PeerVoice {
    const link = this.#options.links().find((candidate) => candidate.id === peerId);
    const name = this.#options.nameOf(peerId);
    const state = this.#peers.get(peerId) ?? null;
    return {
      ...(name === null ? { volume: 1, muted: false } : this.#prefs.of(name)),
      status: link === undefined ? "off" : peerStatus(link, state),
      speaking: this.#speaking.get(peerId)?.speaking ?? false,
      state,
      playout: this.#playouts.get(peerId)?.path ?? null,
      level: this.#playouts.get(peerId)?.level() ?? null,
    };
  }

  /** A peer said what its voice is doing. */
  receive(from: string, state: PeerVoiceState): void {
    this.#peers.set(from, state);
    this.#options.onChange(from);
  }

  /** A peer left: its voice stops here. */
  forget(peerId: string): void {
    this.#peers.delete(peerId);
    this.#told.delete(peerId);
    this.#speaking.delete(peerId);
    this.#lastLevel.delete(peerId);
    this.#placements.delete(peerId);
    this.#stopPlayout(peerId);
  }

  /**
   * The network tick: our track to every peer that can take it, each peer's voice to its
   * element, speaking indicators from played levels, our state to peers newly reachable.
   */
  update(nowMs: number): void {
    const links = this.#options.links();
    for (const link of links) {
      this.#sendTo(link);
      this.#playFrom(link);
      this.#detectSpeaking(link, nowMs);
      if (link.path === "none") this.#told.delete(link.id);
      else if (!this.#told.has(link.id) && this.#options.announce(this.#own(), link.id) > 0) {
        this.#told.add(link.id);
      }
    }
    this.#graph?.keepRunning();
  }

  close(): void {
    stopTracks(this.#capture);
    this.#capture = null;
    for (const peerId of [...this.#playouts.keys()]) this.#stopPlayout(peerId);
    this.#graph?.close();
  }

  #own(): PeerVoiceState {
    return {
      capable: this.supported,
      on: this.#state.phase === "on",
      muted: this.#state.muted,
      deafened: this.#state.deafened,
      talking: transmitting(this.#state),
    };
  }

  #dispatch(event: VoiceEvent): void {
    const before = this.#own();
    const step = reduceVoice(this.#state, event);
    this.#state = step.state;
    for (const effect of step.effects) {
      if (effect.type === "capture") void this.#captureMicrophone(effect.capture);
      else this.#releaseMicrophone();
    }
    const after = this.#own();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      this.#options.announce(after, undefined);
    }
    this.#options.onChange(null);
  }

  async #captureMicrophone(capture: number): Promise<void> {
    const getUserMedia = this.#options.platform.getUserMedia;
    if (getUserMedia === null) {
      this.#dispatch({ type: "refused", capture, failure: "unsupported" });
      this.#settle({ ok: false, failure: "unsupported" });
      return;
    }
    try {
      const stream = await getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
      const stale = this.#state.phase !== "asking" || this.#state.capture !== capture;
      if (!stale) {
        this.#capture = stream;
        stream.getAudioTracks()[0]?.addEventListener("ended", () => {
          this.#dispatch({ type: "track-ended" });
        });
      } else {
        stopTracks(stream);
      }
      this.#dispatch({ type: "granted", capture });
      if (!stale) this.#settle({ ok: true });
    } catch (error) {
      const failure = captureFailure(error);
      this.#dispatch({ type: "refused", capture, failure });
      this.#settle({ ok: false, failure });
    }
  }

  #settle(result: EnableResult): void {
    this.#pendingEnable?.(result);
    this.#pendingEnable = null;
  }

  #releaseMicrophone(): void {
    stopTracks(this.#capture);
    this.#capture = null;
    for (const link of this.#options.links()) link.audio?.stop();
  }

  #sendTo(link: VoiceLinkView): void {
    const stream = this.#capture;
    const track = stream?.getAudioTracks()[0];
    const peer = this.#peers.get(link.id);
    if (!link.audio || !link.directUsable || !peer?.capable) return;
    if (this.#state.phase !== "on" || !stream || !track) return;
    link.audio.send(stream, track, transmitting(this.#state));
  }

  #playFrom(link: VoiceLinkView): void {
    const track = link.audio?.remoteTrack ?? null;
    const stream = link.audio?.remoteStream ?? null;
    const current = this.#playouts.get(link.id);
    if (current && current.track !== track) this.#stopPlayout(link.id);
    if (track === null || stream === null) return;
    const create = this.#options.platform.createAudioElement;
    if (create === null) return;
    let playout = this.#playouts.get(link.id);
    if (!playout) {
      playout = new PeerPlayout(create(), track, stream);
      this.#playouts.set(link.id, playout);
    }
    const name = this.#options.nameOf(link.id);
    const chosen = name === null ? 1 : this.#prefs.gain(name);
    const placement = this.#placements.get(link.id);
    const mix = {
      gain: this.#state.deafened ? 0 : chosen * (placement?.gain ?? 1),
      pan: placement?.pan ?? 0,
    };
    // Web Audio only where an element cannot do it: the element path is the sturdier one.
    const mixed = chosen > 1 || placement !== undefined;
    playout.apply(mix, mixed ? this.#graph : null);
  }

  #stopPlayout(peerId: string): void {
    this.#playouts.get(peerId)?.close();
    this.#playouts.delete(peerId);
  }

  #detectSpeaking(link: VoiceLinkView, nowMs: number): void {
    let detector = this.#speaking.get(link.id);
    if (!link.audio?.remoteTrack) {
      // No voice arrives from them: nothing to detect, and whoever was speaking has stopped.
      if (detector) {
        this.#speaking.delete(link.id);
        this.#lastLevel.delete(link.id);
        if (detector.speaking) this.#options.onChange(link.id);
      }
      return;
    }
    if (!detector) {
      detector = new SpeakingDetector();
      this.#speaking.set(link.id, detector);
    }
    const latest = link.audio.latestLevel();
    const last = this.#lastLevel.get(link.id);
    if (latest !== null && latest.rtpTimestamp !== last?.rtpTimestamp) {
      this.#lastLevel.set(link.id, { ...latest, at: nowMs });
    }
    const heard = this.#lastLevel.get(link.id);
    const was = detector.speaking;
    const now = detector.update(heard?.level ?? null, heard?.at ?? null, nowMs);
    if (now !== was) this.#options.onChange(link.id);
  }
}

function clampPlacement(placement: VoicePlacement): VoicePlacement {
  const clamp = (value: number, min: number, max: number, fallback: number): number =>
    Number.isNaN(value) ? fallback : Math.min(max, Math.max(min, value));
  return { gain: clamp(placement.gain, 0, 1, 1), pan: clamp(placement.pan, -1, 1, 0) };
}

/** Stops a capture's tracks: the browser's recording indicator goes off. */
function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

function peerStatus(link: VoiceLinkView, state: PeerVoiceState | null): PeerVoiceStatus {
  if (link.path === "edge") return "no-path";
  if (state === null) return "connecting";
  if (!state.capable) return "unsupported";
  if (!state.on) return "off";
  return link.audio?.remoteTrack ? "live" : "connecting";
}

/** A getUserMedia rejection, by the DOMException names browsers use. */
export function captureFailure(error: unknown): CaptureFailure {
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "no-device";
    case "NotReadableError":
    case "AbortError":
      return "in-use";
    case "NotSupportedError":
    case "TypeError":
      return "unsupported";
    default:
      return "failed";
  }
}
