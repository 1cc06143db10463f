/**
 * One peer's voice, played. Its element always holds the stream: alone it plays the voice at
 * up to 100%, centred (the way that works everywhere). For more than 100%, or a voice placed
 * left or right, the stream also goes through a Web Audio route and the element is muted but
 * kept playing: Chromium feeds a remote track to Web Audio only while an element plays it.
 */
import type { VoiceGraph, VoiceMix, VoiceRoute } from "./voice-graph.ts";

export type PlayoutPath = "element" | "web-audio";

export class PeerPlayout {
  readonly track: MediaStreamTrack;
  readonly #element: HTMLAudioElement;
  readonly #stream: MediaStream;
  #route: VoiceRoute | null = null;

  constructor(element: HTMLAudioElement, track: MediaStreamTrack, stream: MediaStream) {
    this.track = track;
    this.#element = element;
    this.#stream = stream;
    element.autoplay = true;
    element.srcObject = stream;
    element.play().catch(() => undefined);
  }

  get path(): PlayoutPath {
    return this.#route === null ? "element" : "web-audio";
  }

  /** Plays at `mix`: through `graph` when given, else on the element (gain capped at 1). */
  apply(mix: VoiceMix, graph: VoiceGraph | null): void {
    if (graph !== null) {
      this.#route ??= graph.route(this.#stream);
      this.#route.set(mix);
      this.#setElement(true, 1);
      return;
    }
    this.#route?.disconnect();
    this.#route = null;
    this.#setElement(mix.gain === 0, Math.min(1, mix.gain));
  }

  /** What Web Audio plays of this voice now; null on the element path, which has no tap. */
  level(): number | null {
    return this.#route?.level() ?? null;
  }

  close(): void {
    this.#route?.disconnect();
    this.#route = null;
    this.#element.pause();
    this.#element.srcObject = null;
  }

  #setElement(muted: boolean, volume: number): void {
    // Writing the same value still queues a volumechange event: write only changes.
    if (this.#element.muted !== muted) this.#element.muted = muted;
    if (this.#element.volume !== volume) this.#element.volume = volume;
  }
}
