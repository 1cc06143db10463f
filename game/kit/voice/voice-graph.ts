/**
 * Web Audio for voices that an element alone cannot play as asked: louder than 100%, or placed
 * left or right. One context for the room, made the first time a voice needs it; each such
 * voice is its own chain, source → gain → stereo pan → an analyser (what is played, for level
 * meters) → the speakers.
 */

/** How fast gain and pan glide to a new value: quick, but with no clicks between ticks. */
const GLIDE_SECONDS = 0.05;

export interface VoiceMix {
  /** 0 is silent, 1 as sent, 2 is 200%. */
  readonly gain: number;
  /** -1 full left, 0 centred, 1 full right. */
  readonly pan: number;
}

export class VoiceRoute {
  readonly #context: AudioContext;
  readonly #source: MediaStreamAudioSourceNode;
  readonly #gain: GainNode;
  readonly #pan: StereoPannerNode;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;
  #mix: VoiceMix | null = null;

  constructor(context: AudioContext, stream: MediaStream) {
    this.#context = context;
    this.#source = context.createMediaStreamSource(stream);
    this.#gain = context.createGain();
    this.#pan = context.createStereoPanner();
    this.#analyser = context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#gain).connect(this.#pan).connect(this.#analyser);
    this.#analyser.connect(context.destination);
  }

  set(mix: VoiceMix): void {
    if (this.#mix?.gain === mix.gain && this.#mix.pan === mix.pan) return;
    const at = this.#context.currentTime;
    // The first mix is set at once: a voice must not fade in from 100% or from the centre.
    const glide = this.#mix === null ? 0.001 : GLIDE_SECONDS;
    this.#gain.gain.setTargetAtTime(mix.gain, at, glide);
    this.#pan.pan.setTargetAtTime(mix.pan, at, glide);
    this.#mix = mix;
  }

  /** The level being played now (RMS of the last ~20 ms, 0..1 and above when amplified). */
  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    return Math.sqrt(sum / this.#samples.length);
  }

  disconnect(): void {
    this.#source.disconnect();
    this.#analyser.disconnect();
  }
}

export class VoiceGraph {
  readonly #create: () => AudioContext;
  #context: AudioContext | null = null;
  #resuming = false;

  constructor(create: () => AudioContext) {
    this.#create = create;
  }

  route(stream: MediaStream): VoiceRoute {
    this.#context ??= this.#create();
    return new VoiceRoute(this.#context, stream);
  }

  /**
   * Browsers start a context suspended until the page has had a click, and suspend it when a
   * phone hides the tab; every tick asks for it back, and it comes once allowed.
   */
  keepRunning(): void {
    const context = this.#context;
    if (context === null || context.state !== "suspended" || this.#resuming) return;
    this.#resuming = true;
    context
      .resume()
      .catch(() => undefined)
      .finally(() => {
        this.#resuming = false;
      });
  }

  /** Whether sound from the graph can be heard now. */
  get running(): boolean {
    return this.#context?.state === "running";
  }

  close(): void {
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
  }
}
