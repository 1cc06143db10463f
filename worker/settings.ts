/** Typed settings from the environment's strings, with defaults. */
import {
  LOBBY_FRAME_LIMIT,
  SIGNAL_BYTES_PER_PEER_LIMIT,
  SOCKET_FRAME_LIMIT,
  type TokenBucketLimit,
} from "../shared/limits.ts";
import type { Env } from "./env.ts";

export interface Settings {
  readonly directoryShards: number;
  readonly allowedOrigins: readonly string[];
  /** The origin join links advertise; null: the origin each request came to. */
  readonly publicOrigin: string | null;
  readonly reconnectGraceMs: number;
  readonly idleLobbyTtlMs: number;
  readonly socketFrameLimit: TokenBucketLimit;
  /** Frames from all of one lobby's sockets together. */
  readonly lobbyFrameLimit: TokenBucketLimit;
  /** Bytes of signals from one socket to one other player. */
  readonly signalBytesPerPeerLimit: TokenBucketLimit;
}

export const DEFAULTS: Settings = {
  directoryShards: 4,
  allowedOrigins: [],
  publicOrigin: null,
  reconnectGraceMs: 20_000,
  idleLobbyTtlMs: 5 * 60_000,
  socketFrameLimit: SOCKET_FRAME_LIMIT,
  lobbyFrameLimit: LOBBY_FRAME_LIMIT,
  signalBytesPerPeerLimit: SIGNAL_BYTES_PER_PEER_LIMIT,
};

export function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** An http(s) origin such as `http://192.168.1.20:8787`; anything else is no setting. */
export function httpOrigin(value: string | undefined): string | null {
  const text = value?.trim() ?? "";
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
}

export function readSettings(env: Env): Settings {
  return {
    directoryShards: positiveInteger(env.DIRECTORY_SHARDS, DEFAULTS.directoryShards),
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    publicOrigin: httpOrigin(env.PUBLIC_ORIGIN),
    reconnectGraceMs: positiveInteger(env.RECONNECT_GRACE_MS, DEFAULTS.reconnectGraceMs),
    idleLobbyTtlMs: positiveInteger(env.IDLE_LOBBY_TTL_MS, DEFAULTS.idleLobbyTtlMs),
    socketFrameLimit: {
      capacity: positiveInteger(env.SOCKET_FRAME_BURST, DEFAULTS.socketFrameLimit.capacity),
      refillPerSecond: positiveInteger(
        env.SOCKET_FRAMES_PER_SECOND,
        DEFAULTS.socketFrameLimit.refillPerSecond,
      ),
    },
    lobbyFrameLimit: {
      capacity: positiveInteger(env.LOBBY_FRAME_BURST, DEFAULTS.lobbyFrameLimit.capacity),
      refillPerSecond: positiveInteger(
        env.LOBBY_FRAMES_PER_SECOND,
        DEFAULTS.lobbyFrameLimit.refillPerSecond,
      ),
    },
    signalBytesPerPeerLimit: {
      capacity: positiveInteger(
        env.SIGNAL_BYTES_PER_PEER_BURST,
        DEFAULTS.signalBytesPerPeerLimit.capacity,
      ),
      refillPerSecond: positiveInteger(
        env.SIGNAL_BYTES_PER_PEER_PER_SECOND,
        DEFAULTS.signalBytesPerPeerLimit.refillPerSecond,
      ),
    },
  };
}
