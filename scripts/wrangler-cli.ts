/** Runs this repository's wrangler offline, on this very Node (24, from node_modules). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { LOCAL_ENV, PROJECT_ROOT } from "./local-server.ts";

const WRANGLER = join(PROJECT_ROOT, "node_modules/wrangler/bin/wrangler.js");

/**
 * How `wrangler types` writes the generated Env (`npm run types`), and how the check reads it:
 * no runtime types (@cloudflare/workers-types, pinned to the same workerd, provides them) and
 * vars typed `string`, since tests and `--var` set other values than wrangler.toml's.
 */
export const TYPES_ARGS = [
  "types",
  "--include-runtime=false",
  "--strict-vars=false",
  "worker/worker-configuration.d.ts",
] as const;

/** Runs `wrangler ...args` with its output on ours; true when it exits 0. */
export function wrangler(args: readonly string[]): boolean {
  const result = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...LOCAL_ENV },
    stdio: "inherit",
  });
  return result.status === 0;
}
