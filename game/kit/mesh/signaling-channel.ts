/**
 * What the WebRTC code needs from signaling, and nothing more. The browser implements it
 * over the lobby WebSocket; tests and Node bots can implement it over anything.
 */
import type { SignalData } from "../../../shared/protocol.ts";

export type SignalHandler = (from: string, data: SignalData) => void;

export interface SignalingChannel {
  /** Best effort: a signal for a peer that has gone is simply lost. */
  send(to: string, data: SignalData): void;
  /** Subscribes to signals from other peers; returns the unsubscribe function. */
  onSignal(handler: SignalHandler): () => void;
}
