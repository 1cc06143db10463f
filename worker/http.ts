/** Small response helpers so every API answer is JSON with the same error shape. */
import type { ApiError } from "../shared/api.ts";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function apiError(status: number, error: string, message: string): Response {
  const body: ApiError = { error, message };
  return json(body, status);
}

/** Largest request body the API reads. */
const MAX_BODY_BYTES = 4096;

export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly response: Response };

/** Reads a small JSON body; an empty body reads as `{}` so every field can take its default. */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  const bytes = declared > MAX_BODY_BYTES ? null : new Uint8Array(await request.arrayBuffer());
  if (bytes === null || bytes.byteLength > MAX_BODY_BYTES) {
    return {
      ok: false,
      response: apiError(413, "body-too-large", `Keep the body under ${MAX_BODY_BYTES} bytes.`),
    };
  }
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: apiError(400, "bad-json", "The body is not valid JSON.") };
  }
}
