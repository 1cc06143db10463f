/**
 * Cross-origin reads of the lobby API, so a game served from another origin (its own site, a
 * game portal, a Node bot's test page) can create, find, list and leave lobbies with `fetch`.
 * The same list that lets a site open lobby sockets (ALLOWED_ORIGINS; empty means any) lets it
 * read the API. No credentials are involved: a resume token travels in the body, never a cookie.
 */

/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_S = 86_400;

/** The headers that let `origin` read an API answer; none for an origin the list refuses. */
export function corsHeaders(origin: string | null, allowedOrigins: readonly string[]): Headers {
  const headers = new Headers();
  if (allowedOrigins.length === 0) {
    headers.set("access-control-allow-origin", "*");
  } else if (origin !== null && allowedOrigins.includes(origin)) {
    headers.set("access-control-allow-origin", origin);
  }
  // The answer depends on the Origin whenever the list is not "any": caches must know.
  if (allowedOrigins.length > 0) headers.set("vary", "Origin");
  return headers;
}

/** The answer to a preflight (`OPTIONS`) under the API's prefix. */
export function preflight(origin: string | null, allowedOrigins: readonly string[]): Response {
  const headers = corsHeaders(origin, allowedOrigins);
  headers.set("access-control-allow-methods", "GET, POST");
  headers.set("access-control-allow-headers", "content-type");
  headers.set("access-control-max-age", String(PREFLIGHT_MAX_AGE_S));
  return new Response(null, { status: 204, headers });
}

/**
 * `response` with the CORS headers added. Socket upgrades (101) are left alone: a WebSocket
 * needs no CORS, and its response's headers cannot change.
 */
export function withCors(response: Response, cors: Headers): Response {
  if (response.status === 101 || [...cors.keys()].length === 0) return response;
  // A copy: responses from the cache or another object may have immutable headers.
  const copy = new Response(response.body, response);
  for (const [name, value] of cors) copy.headers.set(name, value);
  return copy;
}
