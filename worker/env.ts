import type { Directory } from "./directory/directory.ts";
import type { Lobby } from "./lobby/lobby.ts";

/**
 * Bindings and settings from wrangler.toml ([vars]), secrets (`wrangler secret put`, or
 * `.dev.vars` locally) and the test configuration. Settings are strings: parse them with
 * worker/settings.ts, which applies defaults.
 */
export interface Env {
  readonly LOBBY: DurableObjectNamespace<Lobby>;
  readonly DIRECTORY: DurableObjectNamespace<Directory>;
  /** Per-client-address limit on lobby creation, lookups and directory reads. */
  readonly API_RATE_LIMITER: RateLimit;
  /** Per-client-address limit on lobby socket upgrades. */
  readonly SOCKET_RATE_LIMITER: RateLimit;
  /** Per-client-address limit on newly minted TURN credentials. */
  readonly TURN_RATE_LIMITER: RateLimit;
  /** Number of directory shards lobbies report to (default 4). */
  readonly DIRECTORY_SHARDS?: string;
  /** Comma-separated origins allowed to open lobby sockets; empty or unset allows any. */
  readonly ALLOWED_ORIGINS?: string;
  /**
   * The origin join links advertise, e.g. `http://192.168.1.20:8787` (`npm run start:lan` sets the
   * machine's LAN address); empty or unset: the origin each request came to.
   */
  readonly PUBLIC_ORIGIN?: string;
  /** How long a dropped player's seat is held, ms (default 20000). */
  readonly RECONNECT_GRACE_MS?: string;
  /** How long an empty lobby lives before its storage is deleted, ms (default 300000). */
  readonly IDLE_LOBBY_TTL_MS?: string;
  /** Per-socket frame token bucket: burst and sustained frames per second (defaults in shared/limits.ts). */
  readonly SOCKET_FRAME_BURST?: string;
  readonly SOCKET_FRAMES_PER_SECOND?: string;
  /** Frames from all of one lobby's sockets: burst and sustained per second (shared/limits.ts). */
  readonly LOBBY_FRAME_BURST?: string;
  readonly LOBBY_FRAMES_PER_SECOND?: string;
  /** Comma-separated STUN URLs handed to clients; none by default. */
  readonly STUN_URLS?: string;
  /** Comma-separated TURN URLs for coturn-style shared-secret credentials. */
  readonly TURN_URLS?: string;
  /** coturn `static-auth-secret` (a secret). */
  readonly TURN_SECRET?: string;
  /** Lifetime of minted TURN credentials, seconds (default 3600). */
  readonly TURN_TTL_SECONDS?: string;
  /**
   * Cloudflare Realtime TURN key id and API token (secrets): used instead of TURN_SECRET when set;
   * the coturn secret, if also set, stands in when Cloudflare's API fails.
   */
  readonly CF_TURN_KEY_ID?: string;
  readonly CF_TURN_API_TOKEN?: string;
  /** Override of the Cloudflare TURN API base URL (tests point it at a local server). */
  readonly CF_TURN_API_URL?: string;
}

declare global {
  namespace Cloudflare {
    interface Env {
      readonly LOBBY: DurableObjectNamespace<Lobby>;
      readonly DIRECTORY: DurableObjectNamespace<Directory>;
      readonly API_RATE_LIMITER: RateLimit;
      readonly SOCKET_RATE_LIMITER: RateLimit;
      readonly TURN_RATE_LIMITER: RateLimit;
    }
    /** Types `exports` from `cloudflare:workers` (what `wrangler types` would generate). */
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
    }
  }
}
