/**
 * The rules of the layout, checked on every import in the repository rather than written in
 * READMEs: what may import what, the public entry points, and no import cycles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const FOLDERS = ["shared", "worker", "game", "bench", "scripts", "test"];

interface Import {
  /** Relative to the repository, e.g. `worker/api.ts`; or a package name. */
  readonly target: string;
  /** `import type` (or only `type` names): erased at runtime, so no part of a cycle. */
  readonly typeOnly: boolean;
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith(".ts")) files.push(path);
  }
  return files;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:([^;]*?)\s+from\s+)?["']([^"']+)["']/gm;

function importsOf(file: string): Import[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(IMPORT)].map(([, typeKeyword, names = "", specifier = ""]) => {
    const braces = /^\{([^}]*)\}$/s.exec(names.trim())?.[1];
    const listed = braces?.split(",").map((name) => name.trim()) ?? [];
    const onlyTypeNames =
      braces !== undefined &&
      listed.filter((name) => name !== "").every((n) => n.startsWith("type "));
    const target = specifier.startsWith(".")
      ? relative(ROOT, resolve(dirname(file), specifier))
      : specifier;
    return { target, typeOnly: typeKeyword !== undefined || onlyTypeNames };
  });
}

const GRAPH = new Map<string, Import[]>(
  FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))).map((file) => [
    relative(ROOT, file),
    importsOf(file),
  ]),
);

function filesUnder(folder: string): string[] {
  return [...GRAPH.keys()].filter((file) => file.startsWith(`${folder}/`));
}

/** Imports from `files` into any of `forbidden` (folders or files), as `from -> to`. */
function crossings(files: readonly string[], forbidden: readonly string[]): string[] {
  return files.flatMap((file) =>
    (GRAPH.get(file) ?? [])
      .filter(({ target }) =>
        forbidden.some((place) => target === place || target.startsWith(`${place}/`)),
      )
      .map(({ target }) => `${file} -> ${target}`),
  );
}

describe("the layout", () => {
  it("keeps shared/ pure: it imports only itself and its packages", () => {
    expect(crossings(filesUnder("shared"), ["worker", "game", "bench", "scripts", "test"])).toEqual(
      [],
    );
  });

  it("keeps the worker and the game apart: they share only shared/", () => {
    expect(crossings(filesUnder("worker"), ["game", "bench", "scripts", "test"])).toEqual([]);
    expect(crossings(filesUnder("game"), ["worker", "bench", "scripts", "test"])).toEqual([]);
  });

  it("makes the worker's app a thin layer on the server entry point", () => {
    const app = GRAPH.get("worker/index.ts") ?? [];
    const internals = app.filter(
      ({ target }) =>
        target.startsWith("worker/") &&
        !["worker/server.ts", "worker/http.ts", "worker/env.ts"].includes(target),
    );
    expect(internals).toEqual([]);
    expect(app.map(({ target }) => target)).toContain("worker/server.ts");
  });

  it("publishes its entry points in package.json", () => {
    const pkg: unknown = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg).toMatchObject({
      exports: { "./protocol": "./shared/index.ts", "./server": "./worker/server.ts" },
    });
    for (const entry of ["shared/index.ts", "worker/server.ts"])
      expect(GRAPH.has(entry)).toBe(true);
  });

  it("has no import cycles (type-only imports aside)", () => {
    const cycles: string[] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (file: string): void => {
      const at = path.indexOf(file);
      if (at >= 0) {
        cycles.push([...path.slice(at), file].join(" -> "));
        return;
      }
      if (done.has(file)) return;
      path.push(file);
      for (const { target, typeOnly } of GRAPH.get(file) ?? []) {
        if (!typeOnly && GRAPH.has(target)) visit(target);
      }
      path.pop();
      done.add(file);
    };
    for (const file of GRAPH.keys()) visit(file);
    expect(cycles).toEqual([]);
  });

  it("sees the imports it checks (a scanner that found none would pass everything)", () => {
    expect(GRAPH.size).toBeGreaterThan(200);
    expect(GRAPH.get("worker/index.ts")?.length).toBeGreaterThan(2);
    expect(crossings(["worker/index.ts"], ["worker/server.ts"])).toEqual([
      "worker/index.ts -> worker/server.ts",
      "worker/index.ts -> worker/server.ts",
    ]);
  });
});
