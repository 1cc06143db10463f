/**
 * Microphones for Chromium's fake capture device (`--use-file-for-fake-audio-capture`, which
 * loops the file; the flag is browser-wide, so each microphone gets a browser of its own): 48 kHz
 * mono 16-bit PCM, for the voice tests and benches. `speech` is speech-like sound (three voiced
 * tones under a 4 Hz syllable envelope, about -12 dBFS, never silent for long: enough for the
 * encoder and for noise suppression to keep it as voice); `silence` is digital silence (every
 * sample 0), the quietest a microphone can be.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Microphone = "speech" | "silence";

const RATE = 48_000;
const SECONDS = 4;

function sampleAt(microphone: Microphone, i: number): number {
  if (microphone === "silence") return 0;
  const t = i / RATE;
  const syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
  const voiced =
    Math.sin(2 * Math.PI * 180 * t) +
    0.5 * Math.sin(2 * Math.PI * 360 * t) +
    0.3 * Math.sin(2 * Math.PI * 1250 * t);
  return Math.round((0.25 * syllables * voiced * 32767) / 1.8);
}

/** Writes the microphone's WAV into `dir` (the caller removes it) and returns its path. */
export async function writeMicrophoneWav(dir: string, microphone: Microphone): Promise<string> {
  const samples = RATE * SECONDS;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(sampleAt(microphone, i), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  const path = join(dir, `${microphone}.wav`);
  await writeFile(path, Buffer.concat([header, data]));
  return path;
}

/** The speech microphone in a temporary folder of its own. */
export async function writeSpeechWav(): Promise<string> {
  return writeMicrophoneWav(await mkdtemp(join(tmpdir(), "edgeplay-voice-")), "speech");
}

/** Chromium flags: microphone permission granted without a prompt, fed from `wav`. */
export function fakeMicrophoneArgs(wav: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ];
}
