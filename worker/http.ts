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
