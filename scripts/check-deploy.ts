/**
 * `npm run check:deploy` (part of `npm test`; needs `npm run build` first). Offline, with no
 * Cloudflare account:
 * 1. `wrangler types --check`: worker/worker-configuration.d.ts matches wrangler.toml;
 * 2. every environment in wrangler.toml keeps the top level's bindings, migrations and var
 *    names, has rate limiter namespaces of its own, a code update strategy and required secrets
 *    (scripts/deploy-config.ts);
 * 3. `wrangler deploy --dry-run --env NAME --outdir dist/deploy/NAME` for each: the bundle the
 *    deploy would upload, measured next by scripts/bundle-budget.ts.
 * Whether the required secrets are set on the Worker is known only to Cloudflare: the real
 * deploy checks that (docs/deploy.md).
 */
import { experimental_readRawConfig, unstable_readConfig } from "wrangler";
import { type DeployConfig, deployProblems, sharedNamespaces } from "./deploy-config.ts";
import { PROJECT_ROOT } from "./local-server.ts";
import { TYPES_ARGS, wrangler } from "./wrangler-cli.ts";

const CONFIG = `${PROJECT_ROOT}/wrangler.toml`;

const failures: string[] = [];
if (!wrangler([...TYPES_ARGS, "--check"])) {
  failures.push("worker/worker-configuration.d.ts is stale: run `npm run types` and commit it");
}

const environments = Object.keys(
  experimental_readRawConfig({ config: CONFIG }).rawConfig.env ?? {},
);
if (environments.length === 0) failures.push("wrangler.toml has no [env.*] to deploy");
const top = unstable_readConfig({ config: CONFIG });
const configs = new Map<string, DeployConfig>();
for (const name of environments) {
  const config = unstable_readConfig({ config: CONFIG, env: name });
  configs.set(name, config);
  failures.push(...deployProblems(name, top, config));
}
failures.push(...sharedNamespaces(configs));

for (const name of environments) {
  const outdir = `dist/deploy/${name}`;
  if (!wrangler(["deploy", "--dry-run", "--env", name, "--outdir", outdir])) {
    failures.push(`${name}: wrangler deploy --dry-run failed`);
  }
}

if (failures.length > 0) {
  console.error(`\ncheck:deploy failed:\n${failures.map((line) => `- ${line}`).join("\n")}`);
  process.exit(1);
}
console.log(`\ncheck:deploy: ${environments.join(", ")} bundled into dist/deploy/, types current.`);
