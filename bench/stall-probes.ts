/**
 * Page-side probes for the stall bench, installed before the game loads. Observation only: the
 * game's frames, fills and sends happen exactly as without them.
 *
 * - Frame probe (the watching page): every requestAnimationFrame callback runs with the frame's
 *   timestamp noted, so each `fill` Phaser's Canvas renderer makes is tied to the frame that drew
 *   it; a loop of our own records every frame's timestamp, drawn by Phaser or not.
 * - Send probe (the moving page): copies of the stream packets (its avatar) the page hands to
 *   any data channel (the `state` channel, or `events` with `?state=reliable`) and when, to read
 *   the velocity it sent and whether it kept sending (a starved sender makes gaps no channel can fill).
 */
import type { Page } from "playwright-core";
import { PACKET_KIND_BYTE } from "./kit-packets.ts";

/** One filled path: the frame it was drawn in, its fill style and translation. */
export interface DrawnFill {
  readonly frameMs: number;
  readonly style: string;
  readonly at: string;
}

export interface FrameCapture {
  /** rAF timestamps of every frame in the window. */
  readonly framesMs: number[];
  readonly fills: DrawnFill[];
}

interface FrameRecorder extends FrameCapture {
  on: boolean;
  currentFrameMs: number;
}

/** A copy of one stream packet the page sent, and when (performance.now()). */
export interface SentPacket {
  readonly atMs: number;
  readonly bytes: Uint8Array;
}

interface SendRecorder {
  on: boolean;
  readonly packets: { atMs: number; bytes: number[] }[];
}

declare global {
  var edgeplayStallFrames: FrameRecorder | undefined;
  var edgeplayStallSends: SendRecorder | undefined;
}

export async function installFrameProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const recorder: FrameRecorder = { on: false, currentFrameMs: 0, framesMs: [], fills: [] };
    globalThis.edgeplayStallFrames = recorder;
    const originalRaf = globalThis.requestAnimationFrame.bind(globalThis);
    globalThis.requestAnimationFrame = (callback: FrameRequestCallback): number =>
      originalRaf((frameMs) => {
        recorder.currentFrameMs = frameMs;
        callback(frameMs);
      });
    const everyFrame = (frameMs: number): void => {
      if (recorder.on) recorder.framesMs.push(frameMs);
      originalRaf(everyFrame);
    };
    originalRaf(everyFrame);
    const originalFill = CanvasRenderingContext2D.prototype.fill;
    CanvasRenderingContext2D.prototype.fill = function (
      this: CanvasRenderingContext2D,
      ...args: unknown[]
    ): void {
      Reflect.apply(originalFill, this, args);
      if (!recorder.on) return;
      const m = this.getTransform();
      recorder.fills.push({
        frameMs: recorder.currentFrameMs,
        style: String(this.fillStyle),
        at: `${m.e},${m.f}`,
      });
    };
  });
}

export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const recorder = globalThis.edgeplayStallFrames;
    if (!recorder) throw new Error("the frame probe is not installed");
    recorder.framesMs.length = 0;
    recorder.fills.length = 0;
    recorder.on = true;
  });
}

export async function stopFrames(page: Page): Promise<FrameCapture> {
  return page.evaluate(() => {
    const recorder = globalThis.edgeplayStallFrames;
    if (!recorder) throw new Error("the frame probe is not installed");
    recorder.on = false;
    return { framesMs: recorder.framesMs.splice(0), fills: recorder.fills.splice(0) };
  });
}

export async function installSendProbe(page: Page): Promise<void> {
  await page.addInitScript((streamKindByte: number) => {
    const recorder: SendRecorder = { on: false, packets: [] };
    globalThis.edgeplayStallSends = recorder;
    const originalSend = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (
      this: RTCDataChannel,
      data: string | Blob | ArrayBuffer | ArrayBufferView<ArrayBuffer>,
    ): void {
      Reflect.apply(originalSend, this, [data]);
      if (!recorder.on || !ArrayBuffer.isView(data)) return;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes[0] === streamKindByte) {
        recorder.packets.push({ atMs: performance.now(), bytes: Array.from(bytes) });
      }
    };
  }, PACKET_KIND_BYTE.stream);
}

export async function setSendCapture(page: Page, on: boolean): Promise<void> {
  await page.evaluate((capture) => {
    const recorder = globalThis.edgeplayStallSends;
    if (!recorder) throw new Error("the send probe is not installed");
    if (capture) recorder.packets.length = 0;
    recorder.on = capture;
  }, on);
}

export async function takeSentStreamPackets(page: Page): Promise<SentPacket[]> {
  const packets = await page.evaluate(() => globalThis.edgeplayStallSends?.packets.splice(0) ?? []);
  return packets.map((p) => ({ atMs: p.atMs, bytes: Uint8Array.from(p.bytes) }));
}
