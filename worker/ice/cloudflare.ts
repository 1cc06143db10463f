/**
 * Short-lived TURN credentials from a Cloudflare Realtime TURN key:
 * `POST {base}/turn/keys/{keyId}/credentials/generate-ice-servers` with the key's API token
 * as a bearer token and `{ ttl }` (seconds); the answer (201) is `{ iceServers: [...] }`,
 * ready for RTCPeerConnection. The answer is validated here, never trusted.
 */
import * as v from "valibot";
import type { IceServer } from "../../shared/protocol.ts";
import { firstIssue } from "../../shared/schema-issue.ts";
import { parseIceUrl } from "./urls.ts";

export const CLOUDFLARE_TURN_API_URL = "https://rtc.live.cloudflare.com/v1";
/** Cloudflare refuses credentials that live longer than 48 hours. */
export const CLOUDFLARE_MAX_TTL_SECONDS = 172_800;

export interface CloudflareTurnKey {
  readonly keyId: string;
  readonly apiToken: string;
  /** Base URL without a trailing slash. */
  readonly apiUrl: string;
}

const MAX_SERVERS = 8;
const MAX_URLS = 16;

const IceUrlSchema = v.pipe(
  v.string(),
  v.maxLength(256),
  v.check((url) => parseIceUrl(url) !== null, "not a STUN/TURN URL"),
);

const CloudflareIceServerSchema = v.object({
  urls: v.union([
    IceUrlSchema,
    v.pipe(v.array(IceUrlSchema), v.minLength(1), v.maxLength(MAX_URLS)),
  ]),
  username: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512))),
  credential: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512))),
});

const GeneratedIceServersSchema = v.object({
  iceServers: v.pipe(
    v.array(CloudflareIceServerSchema),
    v.minLength(1),
    v.maxLength(MAX_SERVERS),
    v.check(
      (servers) =>
        servers.some((server) => server.username !== undefined && server.credential !== undefined),
      "no server with credentials",
    ),
  ),
});

/** Why minting failed, for the server log only: it never names the token or the key. */
export class CloudflareTurnError extends Error {
  override readonly name = "CloudflareTurnError";
}

export async function fetchCloudflareIceServers(
  key: CloudflareTurnKey,
  ttlSeconds: number,
  timeoutMs: number,
): Promise<IceServer[]> {
  const url = `${key.apiUrl}/turn/keys/${encodeURIComponent(key.keyId)}/credentials/generate-ice-servers`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${key.apiToken}`, "content-type": "application/json" },
      body: JSON.stringify({ ttl: ttlSeconds }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new CloudflareTurnError(timedOut ? `no answer within ${timeoutMs} ms` : "request failed");
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new CloudflareTurnError(`HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new CloudflareTurnError("answer is not JSON");
  }
  const parsed = v.safeParse(GeneratedIceServersSchema, body);
  if (!parsed.success) {
    const { path, kind } = firstIssue(parsed.issues, "answer");
    // The issue's kind, not its message: messages quote the values they received.
    throw new CloudflareTurnError(`unexpected answer at ${path} (${kind})`);
  }
  const servers = parsed.output.iceServers.flatMap(withoutPort53);
  if (!servers.some((server) => server.credential !== undefined)) {
    throw new CloudflareTurnError("no TURN URL left after dropping port 53");
  }
  return servers;
}

/**
 * The answer lists port 53 alternates for networks that only let DNS out; browsers block
 * or stall on that port, so they only slow ICE gathering down in a web game.
 */
function withoutPort53(server: v.InferOutput<typeof CloudflareIceServerSchema>): IceServer[] {
  const urls = (typeof server.urls === "string" ? [server.urls] : server.urls).filter(
    (url) => parseIceUrl(url)?.port !== 53,
  );
  if (urls.length === 0) return [];
  const { username, credential } = server;
  return [
    {
      urls,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    },
  ];
}
