/**
 * The worker's bindings, settings and secrets: the `Env` that `wrangler types` generates from
 * wrangler.toml into worker-configuration.d.ts (regenerate with `npm run types`; `npm test`
 * fails when it is stale). A name some environment lacks is optional there: the Cloudflare TURN
 * secrets are required in staging and production, and absent in local development.
 *
 * `TURN_SECRET` (coturn's shared secret) is added here because no environment requires it:
 * it is an optional fallback (docs/turn.md), and wrangler can declare a secret only as required.
 * Settings are strings; worker/settings.ts parses them and applies defaults.
 */
export type Env = Cloudflare.Env & { readonly TURN_SECRET?: string };
