/**
 * scripts/deploy-config.ts on this repository's wrangler.toml as wrangler resolves it, and on
 * copies with the mistakes environments invite (wrangler inherits none of these sections).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import {
  type DeployConfig,
  deployProblems,
  sharedNamespaces,
} from "../../scripts/deploy-config.ts";

const CONFIG = join(import.meta.dirname, "../../wrangler.toml");
const top = unstable_readConfig({ config: CONFIG });
const production = unstable_readConfig({ config: CONFIG, env: "production" });
const staging = unstable_readConfig({ config: CONFIG, env: "staging" });

describe("deploy environments in wrangler.toml", () => {
  it("keep the top level's bindings, migrations and vars, with secrets required", () => {
    expect(deployProblems("production", top, production)).toEqual([]);
    expect(deployProblems("staging", top, staging)).toEqual([]);
    expect(production.secrets?.required).toEqual(["CF_TURN_KEY_ID", "CF_TURN_API_TOKEN"]);
  });

  it("count rate limits on namespaces of their own", () => {
    const configs = new Map<string, DeployConfig>([
      ["dev", top],
      ["staging", staging],
      ["production", production],
    ]);
    expect(sharedNamespaces(configs)).toEqual([]);
    expect(sharedNamespaces(new Map([...configs, ["copy", production]]))).toHaveLength(3);
  });

  it("notice a forgotten migration, binding, var or secret declaration", () => {
    const broken: DeployConfig = {
      ...production,
      migrations: production.migrations.slice(0, 1),
      durable_objects: { bindings: production.durable_objects.bindings.slice(0, 1) },
      vars: {},
      secrets: undefined,
    };
    const problems = deployProblems("production", top, broken).join("\n");
    expect(problems).toMatch(/migrations differ/);
    expect(problems).toMatch(/Durable Object bindings differ/);
    expect(problems).toMatch(/var names differ/);
    expect(problems).toMatch(/no durable_objects.code_update_strategy/);
    expect(problems).toMatch(/no \[secrets\] required/);
  });
});
