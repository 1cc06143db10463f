/**
 * The signaling protocol: JSON text frames over the lobby WebSocket. Each message has one
 * valibot schema, which gives both its TypeScript type and its runtime check.
 */
import * as v from "valibot";
import { ErrorCode, LeaveReason } from "./codes.ts";
import {
  COLOR_SLOTS,
  MAX_CANDIDATE_CHARS,
  MAX_CHAT_CHARS,
  MAX_FRAME_CHARS,
  MAX_LOBBY_NAME_CHARS,
  MAX_MODE_CHARS,
  MAX_NAME_CHARS,
  MAX_PLAYERS,
  MAX_ROUNDS,
  MAX_SDP_CHARS,
  MAX_SERVER_FRAME_CHARS,
  MIN_PLAYERS,
  MIN_ROUNDS,
} from "./limits.ts";
import { PEER_ID_PATTERN } from "./peer-id.ts";
import { firstIssue } from "./schema-issue.ts";

export const PROTOCOL_VERSION = 4;

/**
 * The query parameter that names the seat a socket wants back (`?peer=PEER_ID`). Peer ids are
 * not secret; the resume token that proves the seat is yours travels in `hello`, never in a URL.
 */
export const RESUME_PEER_PARAM = "peer";

/**
 * The heartbeat: a client may send this exact text frame at any time, and the lobby answers
 * with PONG_FRAME (without waking its Durable Object). Neither is JSON, so neither can be
 * mistaken for a protocol message; a client checks for the pong before parsing JSON.
 */
export const PING_FRAME = "ping";
export const PONG_FRAME = "pong";

/** Control characters, and bidi overrides that could make text read differently than it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/**
 * A lone surrogate: not Unicode text. Storage turns each into replacement characters, so a
 * name that passed the length check would come back longer (and fail every later check).
 */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * A character that shows: not whitespace, not default-ignorable (zero-width, bidi marks, tag
 * characters, Hangul fillers, variation selectors), not a combining mark on its own, not a
 * control, format, private-use or unassigned code point, and not the blank braille pattern.
 */
const VISIBLE_CHARACTER = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\p{C}\u2800]/u;
/** Marks the issue raised by an oversized SDP so it can get its own error code. */
const SDP_TOO_LARGE = "sdp-too-large";

export const PeerIdSchema = v.pipe(v.string(), v.regex(PEER_ID_PATTERN));

/**
 * Text that players read (names, lobby names, chat): well-formed Unicode, trimmed, 1 to
 * `maxChars` UTF-16 code units, no control characters, and at least one visible character.
 */
function readableText(what: string, maxChars: number) {
  return v.pipe(
    v.string(),
    v.check((text) => !LONE_SURROGATE.test(text), `${what} is not well-formed Unicode`),
    v.trim(),
    v.minLength(1, `${what} is empty`),
    v.maxLength(maxChars, `${what} is longer than ${maxChars} characters`),
    v.check((text) => !CONTROL_CHARACTERS.test(text), `${what} has control characters`),
    v.check((text) => VISIBLE_CHARACTER.test(text), `${what} has no visible character`),
  );
}

export const PlayerNameSchema = readableText("name", MAX_NAME_CHARS);

/** 128 random bits as 32 lowercase hex digits: the secret that gives a held seat back. */
export const ResumeTokenSchema = v.pipe(
  v.string(),
  v.regex(/^[0-9a-f]{32}$/, "not a resume token"),
);

export const DescriptionSignalSchema = v.object({
  kind: v.literal("description"),
  type: v.picklist(["offer", "answer"]),
  sdp: v.pipe(v.string(), v.maxLength(MAX_SDP_CHARS, SDP_TOO_LARGE)),
});

/** An empty `candidate` string means end-of-candidates, as in RTCIceCandidateInit. */
export const CandidateSignalSchema = v.object({
  kind: v.literal("candidate"),
  candidate: v.pipe(v.string(), v.maxLength(MAX_CANDIDATE_CHARS)),
  sdpMid: v.nullish(v.pipe(v.string(), v.maxLength(64))),
  sdpMLineIndex: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))),
  usernameFragment: v.nullish(v.pipe(v.string(), v.maxLength(256))),
});

export const SignalDataSchema = v.variant("kind", [DescriptionSignalSchema, CandidateSignalSchema]);
export type SignalData = v.InferOutput<typeof SignalDataSchema>;

export const LobbyPhaseSchema = v.picklist(["waiting", "playing", "finished"]);
/** waiting -> playing -> finished (-> waiting again when the host reopens the lobby). */
export type LobbyPhase = v.InferOutput<typeof LobbyPhaseSchema>;

export const VisibilitySchema = v.picklist(["public", "private"]);
export type Visibility = v.InferOutput<typeof VisibilitySchema>;

export const LobbyNameSchema = readableText("lobby name", MAX_LOBBY_NAME_CHARS);

/** A game mode: lower-case words joined by dashes, e.g. `arena` or `capture-the-flag`. */
export const GameModeSchema = v.pipe(
  v.string(),
  v.maxLength(MAX_MODE_CHARS),
  v.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "mode must be lower-case words joined by dashes"),
);

export const MaxPlayersSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(MIN_PLAYERS),
  v.maxValue(MAX_PLAYERS),
);

/** Rounds in a match; the lobby only carries it, the game plays it. */
export const RoundsSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(MIN_ROUNDS),
  v.maxValue(MAX_ROUNDS),
);

/**
 * Who hears whom in the lobby's voice chat: everyone hears everyone, or (`proximity`) each voice
 * fades with the distance between the players in the game; the lobby only carries it.
 */
export const VOICE_RANGES = ["everyone", "proximity"] as const;
export const VoiceRangeSchema = v.picklist(VOICE_RANGES);
export type VoiceRange = v.InferOutput<typeof VoiceRangeSchema>;

export const LobbySettingsSchema = v.object({
  name: LobbyNameSchema,
  maxPlayers: MaxPlayersSchema,
  visibility: VisibilitySchema,
  mode: GameModeSchema,
  rounds: RoundsSchema,
  // Optional on the wire: a server from before voice leaves it out, and means everyone.
  voice: v.optional(VoiceRangeSchema, "everyone"),
});
export type LobbySettings = v.InferOutput<typeof LobbySettingsSchema>;

/** A palette slot: which of the game's COLOR_SLOTS colours is this seat's. */
export const ColorSlotSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(COLOR_SLOTS - 1),
);

export const PeerInfoSchema = v.object({
  id: PeerIdSchema,
  /** Unique in the lobby (compared without case): the lobby numbers a name someone holds. */
  name: PlayerNameSchema,
  /** No other seat holds it; kept for as long as the seat is. */
  color: ColorSlotSchema,
  /** 1 for the first player to join; never reused within a lobby. */
  joinOrder: v.pipe(v.number(), v.integer(), v.minValue(1)),
  ready: v.boolean(),
  /** False while the player's socket is gone but their seat is held for the grace window. */
  connected: v.boolean(),
});
export type PeerInfo = v.InferOutput<typeof PeerInfoSchema>;

/** Same shape as RTCIceServer, so clients can pass it to RTCPeerConnection as is. */
export const IceServerSchema = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});
export type IceServer = v.InferOutput<typeof IceServerSchema>;

// ---- client -> lobby ----

/**
 * The first frame on every socket. To take a held seat back, open the socket with
 * `?peer=PEER_ID` and put that seat's token in `resume`.
 */
export const HelloSchema = v.object({
  type: v.literal("hello"),
  v: v.pipe(v.number(), v.integer()),
  name: PlayerNameSchema,
  resume: v.optional(ResumeTokenSchema),
});

/** `from` is not part of it: the lobby stamps the sender itself and ignores any it is given. */
export const ClientSignalSchema = v.object({
  type: v.literal("signal"),
  to: PeerIdSchema,
  data: SignalDataSchema,
});

export const LeaveSchema = v.object({ type: v.literal("leave") });
export const SetReadySchema = v.object({ type: v.literal("set-ready"), ready: v.boolean() });
/** Host only. `playing` needs every player ready; `waiting` reopens a finished lobby. */
export const SetPhaseSchema = v.object({ type: v.literal("set-phase"), phase: LobbyPhaseSchema });
/** Host only. */
export const KickSchema = v.object({ type: v.literal("kick"), peerId: PeerIdSchema });
export const ClientChatSchema = v.object({
  type: v.literal("chat"),
  text: readableText("chat message", MAX_CHAT_CHARS),
});

export const ClientMessageSchema = v.variant("type", [
  HelloSchema,
  ClientSignalSchema,
  LeaveSchema,
  SetReadySchema,
  SetPhaseSchema,
  KickSchema,
  ClientChatSchema,
]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

// ---- lobby -> client ----

export const WelcomeSchema = v.object({
  type: v.literal("welcome"),
  v: v.number(),
  lobby: v.string(),
  settings: LobbySettingsSchema,
  phase: LobbyPhaseSchema,
  peerId: PeerIdSchema,
  /**
   * Send it in `hello.resume` (on a socket opened with `?peer=PEER_ID`) to get this seat back
   * after a drop. A new one comes with every resumed welcome.
   */
  resumeToken: ResumeTokenSchema,
  /** True when this socket took back a held seat. */
  resumed: v.boolean(),
  /** How long a dropped player's seat is held, in ms. */
  graceMs: v.number(),
  hostId: PeerIdSchema,
  /** Increases with every host change, so late or reordered news can be told apart. */
  hostEpoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Everyone in the lobby, you included, in join order. */
  peers: v.array(PeerInfoSchema),
  iceServers: v.array(IceServerSchema),
  /** Epoch ms when TURN credentials in iceServers expire (fresh ones arrive before then); null without TURN. */
  iceServersExpireAt: v.nullable(v.number()),
});
export type Welcome = v.InferOutput<typeof WelcomeSchema>;

export const PeerJoinedSchema = v.object({ type: v.literal("peer-joined"), peer: PeerInfoSchema });
export const PeerLeftSchema = v.object({
  type: v.literal("peer-left"),
  peerId: PeerIdSchema,
  reason: v.picklist(Object.values(LeaveReason)),
});
export const PeerDisconnectedSchema = v.object({
  type: v.literal("peer-disconnected"),
  peerId: PeerIdSchema,
});
export const PeerReconnectedSchema = v.object({
  type: v.literal("peer-reconnected"),
  peerId: PeerIdSchema,
});
export const PeerReadySchema = v.object({
  type: v.literal("peer-ready"),
  peerId: PeerIdSchema,
  ready: v.boolean(),
});
export const HostChangedSchema = v.object({
  type: v.literal("host-changed"),
  hostId: PeerIdSchema,
  hostEpoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
export const PhaseChangedSchema = v.object({
  type: v.literal("phase-changed"),
  phase: LobbyPhaseSchema,
});
export const ServerChatSchema = v.object({
  type: v.literal("chat"),
  from: PeerIdSchema,
  text: v.string(),
  /** Epoch ms when the lobby received it. */
  at: v.number(),
});
export const IceServersSchema = v.object({
  type: v.literal("ice-servers"),
  iceServers: v.array(IceServerSchema),
  iceServersExpireAt: v.nullable(v.number()),
});

export const ServerSignalSchema = v.object({
  type: v.literal("signal"),
  from: PeerIdSchema,
  data: SignalDataSchema,
});

export const ErrorMessageSchema = v.object({
  type: v.literal("error"),
  code: v.picklist(Object.values(ErrorCode)),
  message: v.string(),
});

export const ServerMessageSchema = v.variant("type", [
  WelcomeSchema,
  PeerJoinedSchema,
  PeerLeftSchema,
  PeerDisconnectedSchema,
  PeerReconnectedSchema,
  PeerReadySchema,
  HostChangedSchema,
  PhaseChangedSchema,
  ServerChatSchema,
  IceServersSchema,
  ServerSignalSchema,
  ErrorMessageSchema,
]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;

// ---- parsing ----

export type ParseResult<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string };

function parseFrame<T>(
  schema: v.GenericSchema<unknown, T>,
  text: string,
  maxChars: number,
): ParseResult<T> {
  if (text.length > maxChars) {
    return { ok: false, code: ErrorCode.InvalidMessage, detail: `frame over ${maxChars} chars` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.BadJson, detail: "frame is not JSON" };
  }
  const result = v.safeParse(schema, json);
  if (result.success) return { ok: true, message: result.output };
  if (result.issues.some((i) => i.message === SDP_TOO_LARGE)) {
    return { ok: false, code: ErrorCode.SdpTooLarge, detail: `sdp over ${MAX_SDP_CHARS} chars` };
  }
  const { path, message } = firstIssue(result.issues, "message");
  return { ok: false, code: ErrorCode.InvalidMessage, detail: `${path}: ${message}` };
}

/** A frame a client sent, at most MAX_FRAME_CHARS (the lobby closes on larger ones first). */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseFrame(ClientMessageSchema, text, MAX_FRAME_CHARS);
}

/** A frame the lobby sent, at most MAX_SERVER_FRAME_CHARS. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseFrame(ServerMessageSchema, text, MAX_SERVER_FRAME_CHARS);
}
