/**
 * The signaling protocol: JSON text frames over the lobby WebSocket. Each message has one
 * valibot schema, which gives both its TypeScript type and its runtime check.
 */
import * as v from "valibot";
import { ErrorCode } from "./codes.ts";
import { MAX_CANDIDATE_CHARS, MAX_NAME_CHARS, MAX_SDP_CHARS } from "./limits.ts";

export const PROTOCOL_VERSION = 1;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** Marks the issue raised by an oversized SDP so it can get its own error code. */
const SDP_TOO_LARGE = "sdp-too-large";

export const PeerIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/));

export const PlayerNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "name is empty"),
  v.maxLength(MAX_NAME_CHARS, `name is longer than ${MAX_NAME_CHARS} characters`),
  v.check((name) => !CONTROL_CHARACTERS.test(name), "name has control characters"),
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

export const PeerInfoSchema = v.object({ id: PeerIdSchema, name: PlayerNameSchema });
export type PeerInfo = v.InferOutput<typeof PeerInfoSchema>;

// ---- client -> lobby ----

export const HelloSchema = v.object({
  type: v.literal("hello"),
  v: v.pipe(v.number(), v.integer()),
  name: PlayerNameSchema,
});

/** `from` is not part of it: the lobby stamps the sender itself and ignores any it is given. */
export const ClientSignalSchema = v.object({
  type: v.literal("signal"),
  to: PeerIdSchema,
  data: SignalDataSchema,
});

export const LeaveSchema = v.object({ type: v.literal("leave") });

export const ClientMessageSchema = v.variant("type", [
  HelloSchema,
  ClientSignalSchema,
  LeaveSchema,
]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

// ---- lobby -> client ----

export const WelcomeSchema = v.object({
  type: v.literal("welcome"),
  v: v.number(),
  lobby: v.string(),
  peerId: PeerIdSchema,
  /** Everyone in the lobby, you included, in join order. */
  peers: v.array(PeerInfoSchema),
});

export const PeerJoinedSchema = v.object({ type: v.literal("peer-joined"), peer: PeerInfoSchema });
export const PeerLeftSchema = v.object({ type: v.literal("peer-left"), peerId: PeerIdSchema });

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
  ServerSignalSchema,
  ErrorMessageSchema,
]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type Welcome = v.InferOutput<typeof WelcomeSchema>;

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
    return { ok: false, code: ErrorCode.FrameTooLarge, detail: `frame over ${maxChars} chars` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.BadJson, detail: "frame is not JSON" };
  }
  const result = v.safeParse(schema, json);
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  if (result.issues.some((i) => i.message === SDP_TOO_LARGE)) {
    return { ok: false, code: ErrorCode.SdpTooLarge, detail: `sdp over ${MAX_SDP_CHARS} chars` };
  }
  const path = issue ? (v.getDotPath(issue) ?? "message") : "message";
  return { ok: false, code: ErrorCode.InvalidMessage, detail: `${path}: ${issue?.message ?? ""}` };
}

export function parseClientMessage(text: string, maxChars: number): ParseResult<ClientMessage> {
  return parseFrame(ClientMessageSchema, text, maxChars);
}

export function parseServerMessage(text: string, maxChars: number): ParseResult<ServerMessage> {
  return parseFrame(ServerMessageSchema, text, maxChars);
}
