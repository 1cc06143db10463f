/**
 * How loud each other player is for us (0-200%) and whether we muted them, kept by their name
 * for the whole stay: a player who drops and comes back with a new peer id keeps the setting.
 */

export const MIN_PEER_VOLUME = 0;
export const MAX_PEER_VOLUME = 2;

export interface PeerVoicePrefs {
  /** Gain: 1 is as sent, 2 is 200%. */
  readonly volume: number;
  readonly muted: boolean;
}

const DEFAULT_PREFS: PeerVoicePrefs = { volume: 1, muted: false };

export class VoicePrefs {
  readonly #byName = new Map<string, PeerVoicePrefs>();

  of(name: string): PeerVoicePrefs {
    return this.#byName.get(name) ?? DEFAULT_PREFS;
  }

  /** Out-of-range and non-finite volumes are clamped (NaN is taken as 100%). */
  setVolume(name: string, volume: number): PeerVoicePrefs {
    const finite = Number.isNaN(volume) ? 1 : volume;
    const clamped = Math.min(MAX_PEER_VOLUME, Math.max(MIN_PEER_VOLUME, finite));
    return this.#set(name, { ...this.of(name), volume: clamped });
  }

  setMuted(name: string, muted: boolean): PeerVoicePrefs {
    return this.#set(name, { ...this.of(name), muted });
  }

  /** The gain to play a player at: their volume, or silence if muted. */
  gain(name: string): number {
    const prefs = this.of(name);
    return prefs.muted ? 0 : prefs.volume;
  }

  #set(name: string, prefs: PeerVoicePrefs): PeerVoicePrefs {
    this.#byName.set(name, prefs);
    return prefs;
  }
}
