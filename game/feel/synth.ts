/**
 * Every sound of the arena, made from oscillators and noise at the moment it plays: nothing to
 * download. Each recipe schedules its notes on `out` from the time `at` (AudioContext seconds)
 * and leaves nothing running once they end.
 */
import type { SoundName } from "./sound-plan.ts";

interface Note {
  readonly freq: number;
  /** Glide to this frequency over the note (a chirp); none keeps the pitch. */
  readonly toFreq?: number;
  readonly type: OscillatorType;
  /** Seconds after the sound's start. */
  readonly start: number;
  readonly length: number;
  /** Peak gain. */
  readonly gain: number;
}

type Recipe = (context: BaseAudioContext, out: AudioNode, at: number) => void;

function play(context: BaseAudioContext, out: AudioNode, at: number, note: Note): void {
  const start = at + note.start;
  const end = start + note.length;
  const osc = context.createOscillator();
  osc.type = note.type;
  osc.frequency.setValueAtTime(note.freq, start);
  if (note.toFreq !== undefined) osc.frequency.exponentialRampToValueAtTime(note.toFreq, end);
  const amp = context.createGain();
  // Exponential ramps cannot start from 0; a short attack avoids clicks.
  amp.gain.setValueAtTime(0.0001, start);
  amp.gain.exponentialRampToValueAtTime(note.gain, start + Math.min(0.01, note.length / 4));
  amp.gain.exponentialRampToValueAtTime(0.0001, end);
  osc.connect(amp).connect(out);
  osc.start(start);
  osc.stop(end + 0.02);
}

function notes(list: readonly Note[]): Recipe {
  return (context, out, at) => {
    for (const note of list) play(context, out, at, note);
  };
}

/** A referee's pea whistle: a high tone trilled by a fast wobble, with a breath of noise. */
const whistle: Recipe = (context, out, at) => {
  const length = 0.55;
  const osc = context.createOscillator();
  osc.frequency.setValueAtTime(2300, at);
  const trill = context.createOscillator();
  trill.frequency.setValueAtTime(26, at);
  const depth = context.createGain();
  depth.gain.setValueAtTime(140, at);
  trill.connect(depth).connect(osc.frequency);
  const amp = context.createGain();
  amp.gain.setValueAtTime(0.0001, at);
  amp.gain.exponentialRampToValueAtTime(0.14, at + 0.02);
  amp.gain.setValueAtTime(0.14, at + length - 0.08);
  amp.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(amp).connect(out);

  const noise = context.createBufferSource();
  const samples = Math.ceil(context.sampleRate * length);
  const buffer = context.createBuffer(1, samples, context.sampleRate);
  const data = buffer.getChannelData(0);
  for (let i = 0; i < samples; i++) data[i] = Math.random() * 2 - 1;
  noise.buffer = buffer;
  const band = context.createBiquadFilter();
  band.type = "bandpass";
  band.frequency.setValueAtTime(2600, at);
  const breath = context.createGain();
  breath.gain.setValueAtTime(0.04, at);
  breath.gain.exponentialRampToValueAtTime(0.0001, at + length);
  noise.connect(band).connect(breath).connect(out);

  for (const source of [osc, trill, noise]) {
    source.start(at);
    source.stop(at + length + 0.02);
  }
};

const C5 = 523.25;
const E5 = 659.25;
const G5 = 783.99;
const C6 = 1046.5;
const E6 = 1318.5;
const G6 = 1568;

export const RECIPES: Record<SoundName, Recipe> = {
  tick: notes([{ freq: 620, toFreq: 900, type: "sine", start: 0, length: 0.07, gain: 0.05 }]),
  "tick-ours": notes([
    { freq: 880, toFreq: 1760, type: "triangle", start: 0, length: 0.09, gain: 0.22 },
    { freq: 1760, toFreq: 2640, type: "sine", start: 0.01, length: 0.08, gain: 0.06 },
  ]),
  star: notes(
    [C6, E6, G6].map(
      (freq, i): Note => ({ freq, type: "sine", start: i * 0.05, length: 0.22, gain: 0.05 }),
    ),
  ),
  "star-ours": notes(
    [C6, E6, G6, 2 * C6].map(
      (freq, i): Note => ({
        freq,
        type: i % 2 === 0 ? "triangle" : "sine",
        start: i * 0.06,
        length: 0.5,
        gain: 0.16,
      }),
    ),
  ),
  count: notes([{ freq: 660, type: "square", start: 0, length: 0.12, gain: 0.07 }]),
  go: notes([
    { freq: 990, type: "square", start: 0, length: 0.38, gain: 0.08 },
    { freq: 1980, type: "sine", start: 0, length: 0.3, gain: 0.05 },
  ]),
  "final-seconds": notes([
    { freq: 880, type: "triangle", start: 0, length: 0.12, gain: 0.16 },
    { freq: 1175, type: "triangle", start: 0.16, length: 0.16, gain: 0.16 },
  ]),
  whistle,
  fanfare: notes([
    ...[392, C5, E5, G5].map(
      (freq, i): Note => ({
        freq,
        type: "square",
        start: i * 0.13,
        length: 0.12,
        gain: 0.06,
      }),
    ),
    ...[C5, E5, G5, C6].map(
      (freq): Note => ({
        freq,
        type: "triangle",
        start: 0.55,
        length: 1.1,
        gain: 0.09,
      }),
    ),
  ]),
};
