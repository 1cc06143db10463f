/**
 * A microphone for Chromium's fake capture device (`--use-file-for-fake-audio-capture`, which
 * loops the file): a WAV of speech-like sound, 48 kHz mono 16-bit PCM, written by the test.
 * Three voiced tones under a 4 Hz syllable envelope, at about -12 dBFS: enough for the
 * encoder and for noise suppression to keep it as voice.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RATE = 48_000;

export async function writeSpeechWav(seconds = 4): Promise<string> {
  const samples = RATE * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / RATE;
    const syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    const voiced =
      Math.sin(2 * Math.PI * 180 * t) +
      0.5 * Math.sin(2 * Math.PI * 360 * t) +
      0.3 * Math.sin(2 * Math.PI * 1250 * t);
    data.writeInt16LE(Math.round((0.25 * syllables * voiced * 32767) / 1.8), i * 2);
  }
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
  const path = join(await mkdtemp(join(tmpdir(), "edgeplay-voice-")), "speech.wav");
  await writeFile(path, Buffer.concat([header, data]));
  return path;
}

/** Chromium flags: microphone permission granted without a prompt, fed from `wav`. */
export function fakeMicrophoneArgs(wav: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ];
}
