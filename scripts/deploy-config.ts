/**
 * What a deploy environment in wrangler.toml must keep in step with the top-level (dev)
 * configuration. wrangler does not inherit bindings, vars, migrations or secrets into an
 * environment, and only warns about some of it, so a forgotten copy would ship: a missing
 * migration loses a class's storage, a missing limiter throws on first use. Pure.
 */
import type { Unstable_Config } from "wrangler";

/** The parts of a resolved wrangler config this check reads. */
export type DeployConfig = Pick<
  Unstable_Config,
  "durable_objects" | "migrations" | "ratelimits" | "vars" | "secrets"
>;

/** What is wrong with `env` (named `name`) next to `top`; empty when it may be deployed. */
export function deployProblems(name: string, top: DeployConfig, env: DeployConfig): string[] {
  const problems: string[] = [];
  const differs = (what: string, mine: unknown, theirs: unknown): void => {
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      problems.push(`${name}: ${what} differ from the top level's (${JSON.stringify(mine)})`);
    }
  };
  differs("Durable Object bindings", env.durable_objects.bindings, top.durable_objects.bindings);
  differs("migrations", env.migrations, top.migrations);
  differs("rate limiters", env.ratelimits.map(limitOnly), top.ratelimits.map(limitOnly));
  differs("var names", Object.keys(env.vars).sort(), Object.keys(top.vars).sort());

  if (env.durable_objects.code_update_strategy === undefined) {
    problems.push(
      `${name}: no durable_objects.code_update_strategy (say how lobbies take a deploy)`,
    );
  }
  const required = env.secrets?.required ?? [];
  if (required.length === 0) {
    problems.push(`${name}: no [secrets] required, so a deploy would not fail on a missing one`);
  }
  for (const secret of required) {
    if (secret in env.vars) problems.push(`${name}: ${secret} is both a secret and a var`);
  }
  return problems;
}

/** Environments may not share a rate limiter's counters: each needs namespace ids of its own. */
export function sharedNamespaces(configs: ReadonlyMap<string, DeployConfig>): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, config] of configs) {
    for (const { namespace_id: id } of config.ratelimits) {
      const owner = owners.get(id);
      if (owner !== undefined) problems.push(`${name}: rate limiter namespace ${id} is ${owner}'s`);
      owners.set(id, name);
    }
  }
  return problems;
}

function limitOnly(limiter: Unstable_Config["ratelimits"][number]) {
  return { name: limiter.name, simple: limiter.simple };
}
