/** Small response helpers so every API answer is JSON with the same error shape. */
import type * as v from "valibot";
import { type ApiError, ApiErrorCode } from "../shared/api.ts";
import type { CloseCode } from "../shared/codes.ts";
import { isRecord } from "../shared/guards.ts";
import { firstIssue } from "../shared/schema-issue.ts";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function apiError(status: number, error: ApiErrorCode, message: string): Response {
  const body: ApiError = { error, message };
  return json(body, status);
}

/** 400 naming the first field that failed its schema. */
export function invalidBody(issues: readonly v.BaseIssue<unknown>[]): Response {
  const { path, message } = firstIssue(issues, "body");
  return apiError(400, ApiErrorCode.InvalidRequest, `${path}: ${message}`);
}

/** What a lookup and a socket both say about a code that names no lobby. */
export const NO_SUCH_LOBBY = "No lobby with that code.";

/**
 * Refuses a WebSocket upgrade in a way a browser can read: it cannot see an HTTP status on a
 * failed upgrade, but it does see a close code.
 */
export function refusedSocket(code: CloseCode, reason: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

/** Largest request body the API reads. */
const MAX_BODY_BYTES = 4096;

export type JsonBody =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly response: Response };

/**
 * Reads a small JSON object body; an empty body reads as `{}` so every field can take its
 * default. Reading stops at the limit: a body streamed without a length, or with a false one,
 * is refused after MAX_BODY_BYTES + 1 bytes, never read to its end.
 */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) await request.body?.cancel();
  const bytes = declared > MAX_BODY_BYTES ? null : await readAtMost(request, MAX_BODY_BYTES);
  if (bytes === null) {
    return {
      ok: false,
      response: apiError(
        413,
        ApiErrorCode.BodyTooLarge,
        `Keep the body under ${MAX_BODY_BYTES} bytes.`,
      ),
    };
  }
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      response: apiError(400, ApiErrorCode.BadJson, "The body is not valid JSON."),
    };
  }
  if (!isRecord(value)) {
    return {
      ok: false,
      response: apiError(400, ApiErrorCode.InvalidRequest, "body: must be a JSON object"),
    };
  }
  return { ok: true, value };
}

/** The body's bytes, or null as soon as there are more than `limit` of them. */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array | null> {
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
