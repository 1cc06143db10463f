/** Which ICE servers this deployment hands out, read from the environment's strings. */
import type { Env } from "../env.ts";
import { list, positiveInteger } from "../settings.ts";
import { CLOUDFLARE_TURN_API_URL, type CloudflareTurnKey } from "./cloudflare.ts";
import { isStunUrl, isTurnUrl } from "./urls.ts";

/** The settings this module reads; each may be missing (defaults apply). */
export type IceEnv = Partial<
  Pick<
    Env,
    | "STUN_URLS"
    | "TURN_URLS"
    | "TURN_SECRET"
    | "TURN_TTL_SECONDS"
    | "CF_TURN_KEY_ID"
    | "CF_TURN_API_TOKEN"
    | "CF_TURN_API_URL"
  >
>;

export const DEFAULT_TURN_TTL_SECONDS = 3600;

export interface CoturnSecret {
  readonly urls: readonly string[];
  readonly secret: string;
}

export interface IceConfig {
  readonly stunUrls: readonly string[];
  readonly ttlSeconds: number;
  /** A Cloudflare TURN key; when set it wins over `coturn`, which then serves as fallback. */
  readonly cloudflare: CloudflareTurnKey | null;
  readonly coturn: CoturnSecret | null;
  /** Settings that were ignored, for the log (names and reasons, never values of secrets). */
  readonly problems: readonly string[];
}

export function readIceConfig(env: IceEnv): IceConfig {
  const problems: string[] = [];
  const stunUrls = validUrls(list(env.STUN_URLS), isStunUrl, "STUN_URLS", problems);
  const turnUrls = validUrls(list(env.TURN_URLS), isTurnUrl, "TURN_URLS", problems);
  const secret = nonEmpty(env.TURN_SECRET);
  const keyId = nonEmpty(env.CF_TURN_KEY_ID);
  const apiToken = nonEmpty(env.CF_TURN_API_TOKEN);

  if (turnUrls.length > 0 && secret === null) problems.push("TURN_URLS is set without TURN_SECRET");
  if (turnUrls.length === 0 && secret !== null)
    problems.push("TURN_SECRET is set without TURN_URLS");
  if ((keyId === null) !== (apiToken === null)) {
    problems.push("CF_TURN_KEY_ID and CF_TURN_API_TOKEN must be set together");
  }

  return {
    stunUrls,
    ttlSeconds: positiveInteger(env.TURN_TTL_SECONDS, DEFAULT_TURN_TTL_SECONDS),
    cloudflare:
      keyId !== null && apiToken !== null
        ? { keyId, apiToken, apiUrl: apiBaseUrl(env.CF_TURN_API_URL) }
        : null,
    coturn: turnUrls.length > 0 && secret !== null ? { urls: turnUrls, secret } : null,
    problems,
  };
}

function validUrls(
  urls: readonly string[],
  isValid: (url: string) => boolean,
  setting: string,
  problems: string[],
): string[] {
  const valid = urls.filter(isValid);
  const ignored = urls.length - valid.length;
  if (ignored > 0) problems.push(`${setting}: ignored ${ignored} URL(s) that are not valid there`);
  return valid;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function apiBaseUrl(override: string | undefined): string {
  return (nonEmpty(override) ?? CLOUDFLARE_TURN_API_URL).replace(/\/+$/, "");
}
