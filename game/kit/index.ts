/**
 * `edgeplay/client`: join a lobby and play peer-to-peer, in a browser or in Node. `connect()`
 * gives a `Room`: the roster, host and phase, typed events, lobby commands, streams of state on
 * the unreliable channel (interpolated), named actions on the reliable one, and per-peer stats.
 * `LobbyApi` creates, finds and lists lobbies. docs/kit.md is the guide.
 */
export {
  type ApiFailure,
  ApiFailureCode,
  type ApiResult,
  LobbyApi,
  type LobbyApiOptions,
} from "./lobby/lobby-api.ts";
export type { ConnectionState, Seat } from "./lobby/reconnecting-lobby.ts";
export type {
  DataChannelLike,
  PeerConnectionClass,
  PeerConnectionLike,
  Platform,
  WebSocketClass,
} from "./platform/platform.ts";
export { type Problem, ProblemCode } from "./problems.ts";
export type { Action, ActionSchema, SendOptions } from "./room/actions.ts";
export {
  type ChatResult,
  type ConnectOptions,
  connect,
  type IceInfo,
  Room,
  type TransportMode,
} from "./room/room.ts";
export type { RoomEnd, RoomEvents } from "./room/room-events.ts";
export type { ChatLine, RoomNews } from "./room/room-state.ts";
export type { Stream, StreamClock, StreamOptions } from "./room/streams.ts";
export type {
  AudioFlow,
  ChannelInfo,
  InboundAudio,
  OutboundAudio,
  Path,
  PeerStats,
} from "./stats.ts";
export type { PlayoutPath } from "./voice/playout.ts";
export { MAX_PAN, type Point, type ProximityOptions, proximityMix } from "./voice/proximity.ts";
export type {
  EnableResult,
  PeerVoice,
  PeerVoiceState,
  PeerVoiceStatus,
  Voice,
  VoicePlacement,
} from "./voice/voice.ts";
export { MAX_PEER_VOLUME } from "./voice/voice-prefs.ts";
export type { CaptureFailure, VoiceMode, VoiceState } from "./voice/voice-state.ts";
export type { DropReason } from "./wire/state-channel.ts";
export {
  type Blend,
  type Motion,
  motionCodec,
  msgpackCodec,
  type StreamCodec,
} from "./wire/stream-codec.ts";
