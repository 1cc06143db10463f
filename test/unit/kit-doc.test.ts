/**
 * docs/kit.md's samples are code a game developer copies: each `ts` block is type-checked
 * against the real entry points (in a browser's world, or a Worker's for `edgeplay/server`).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const WORK = join(ROOT, "node_modules/.cache/edgeplay-kit-doc");
const TSC = join(ROOT, "node_modules/.bin/tsc");

const samples = [
  ...readFileSync(join(ROOT, "docs/kit.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g),
].map(([, code = ""]) => code);

/** Type-checks `files` (name → source) in a project of their own; returns tsc's complaints. */
function typeCheck(world: "browser" | "worker", files: ReadonlyMap<string, string>): string {
  const dir = join(WORK, world);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, source] of files) writeFileSync(join(dir, name), source);
  const compilerOptions =
    world === "worker"
      ? { lib: ["ES2023"], types: ["@cloudflare/workers-types"] }
      : { lib: ["ES2023", "DOM", "DOM.Iterable"], types: ["node"] };
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: join(ROOT, "tsconfig.base.json"),
      compilerOptions: {
        ...compilerOptions,
        typeRoots: [join(ROOT, "node_modules/@types"), join(ROOT, "node_modules")],
        paths: {
          "edgeplay/client": [join(ROOT, "game/kit/index.ts")],
          "edgeplay/client/node": [join(ROOT, "game/kit/node/index.ts")],
          "edgeplay/protocol": [join(ROOT, "shared/index.ts")],
          "edgeplay/server": [join(ROOT, "worker/server.ts")],
          "*": [join(ROOT, "node_modules/*")],
        },
      },
      // A Worker's world includes its generated Env; this repository's stands in for the game's.
      include:
        world === "worker" ? ["*.ts", join(ROOT, "worker/worker-configuration.d.ts")] : ["*.ts"],
    }),
  );
  try {
    execFileSync(TSC, ["-p", dir], { encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return error instanceof Error && "stdout" in error ? String(error.stdout) : String(error);
  }
}

describe("docs/kit.md", () => {
  it("has samples for the hello world, streams, actions, errors, platforms and the server", () => {
    expect(samples.length).toBeGreaterThanOrEqual(7);
    const hello = samples[0] ?? "";
    expect(hello.trim().split("\n").length).toBeLessThanOrEqual(20);
  });

  // tsc runs as a child process: generous room for a machine busy with other suites.
  it("has samples that type-check against the entry points", { timeout: 60_000 }, () => {
    const worker = new Map<string, string>();
    const browser = new Map<string, string>();
    samples.forEach((code, index) => {
      (code.includes('"edgeplay/server"') ? worker : browser).set(`sample-${index}.ts`, code);
    });
    expect(typeCheck("browser", browser)).toBe("");
    expect(typeCheck("worker", worker)).toBe("");
  });

  it("would notice a sample that does not compile", { timeout: 60_000 }, () => {
    const broken = new Map([
      ["broken.ts", 'import { connect } from "edgeplay/client";\nconnect({ code: 1 });\n'],
    ]);
    expect(typeCheck("browser", broken)).toMatch(/error TS/);
  });
});
