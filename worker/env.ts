import type { Lobby } from "./lobby/lobby.ts";

/** Bindings from wrangler.toml. Merged into Cloudflare.Env so `cloudflare:workers` sees it too. */
export interface Env {
  readonly LOBBY: DurableObjectNamespace<Lobby>;
}

declare global {
  namespace Cloudflare {
    interface Env {
      readonly LOBBY: DurableObjectNamespace<Lobby>;
    }
    /** Types `exports` from `cloudflare:workers` (what `wrangler types` would generate). */
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
    }
  }
}
