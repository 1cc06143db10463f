/**
 * The rules of the layout, checked on every import in the repository rather than written in
 * READMEs: what may import what, the public entry points, and no import cycles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const FOLDERS = ["shared", "worker", "game", "examples", "bench", "scripts", "test"];
/** The public entry points: the package's `exports`, and the files behind them. */
const ENTRY_POINTS = {
  "edgeplay/protocol": "shared/index.ts",
  "edgeplay/client": "game/kit/index.ts",
  "edgeplay/client/node": "game/kit/node/index.ts",
  "edgeplay/server": "worker/server.ts",
} as const;
const ENTRY_FILES: readonly string[] = Object.values(ENTRY_POINTS);

interface Import {
  /** Relative to the repository, e.g. `worker/api.ts`; or a package name. */
  readonly target: string;
  /** `import type` (or only `type` names): erased at runtime, so no part of a cycle. */
  readonly typeOnly: boolean;
}

/** The file behind a package self-reference (`edgeplay/client`), else null. */
function entryFileOf(specifier: string): string | null {
  for (const [name, file] of Object.entries(ENTRY_POINTS)) if (name === specifier) return file;
  return null;
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
      : (entryFileOf(specifier) ?? specifier);
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

/** A file inside `folder` other than the folder's entry point: its internals. */
function isInternalOf(target: string, folder: string): boolean {
  return target.startsWith(`${folder}/`) && !ENTRY_FILES.includes(target);
}

/** What a kit file must take from its platform instead of the global scope. */
const GLOBAL_READS: readonly [string, RegExp][] = [
  ["performance.", /(?<![.\w#])performance\./],
  ["Date.now", /(?<![.\w#])Date\.now\(/],
  ["console.", /(?<![.\w#])console\./],
  ["location", /(?<![.\w#])location\b/],
  ["document", /(?<![.\w#])document\b/],
  ["localStorage", /(?<![.\w#])localStorage\b/],
  ["fetch(", /(?<![.\w#])fetch\(/],
  ["new WebSocket(", /new\s+WebSocket\(/],
  ["new RTCPeerConnection(", /new\s+RTCPeerConnection\(/],
  ["addEventListener(", /(?<![.\w#])addEventListener\(/],
  ["globalThis", /(?<![.\w#])globalThis\b/],
];

/** The globals `source` reads, outside comments. */
function globalReads(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return GLOBAL_READS.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
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
    const exports = Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, file]) => [
        name.replace("edgeplay", "."),
        `./${file}`,
      ]),
    );
    expect(pkg).toMatchObject({ exports });
    for (const entry of ENTRY_FILES) expect(GRAPH.has(entry)).toBe(true);
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

  it("keeps the kit free of the arena: game/kit/ imports only itself and shared/", () => {
    const kit = filesUnder("game/kit");
    const arena = [...GRAPH.keys()].filter(
      (file) => file.startsWith("game/") && !file.startsWith("game/kit/"),
    );
    expect(kit.length).toBeGreaterThan(30);
    expect(crossings(kit, ["game", "worker", "examples", "bench", "scripts", "test"])).toEqual(
      crossings(kit, ["game/kit"]),
    );
    expect(crossings(kit, arena)).toEqual([]);
  });

  it("lets the arena, the examples and the bots use the kit and the protocol only through their entry points", () => {
    const consumers = [
      ...[...GRAPH.keys()].filter(
        (file) => file.startsWith("game/") && !file.startsWith("game/kit/"),
      ),
      ...filesUnder("examples"),
      ...filesUnder("bench"),
    ];
    const behindEntryPoints = consumers.flatMap((file) =>
      (GRAPH.get(file) ?? [])
        .filter(({ target }) => isInternalOf(target, "game/kit") || isInternalOf(target, "shared"))
        .map(({ target }) => `${file} -> ${target}`),
    );
    expect(behindEntryPoints).toEqual([]);
  });

  it("keeps the kit's platform in one file: no other kit file reads a global", () => {
    const offenders = filesUnder("game/kit")
      .filter((file) => file !== "game/kit/platform/platform.ts")
      .flatMap((file) =>
        globalReads(readFileSync(join(ROOT, file), "utf8")).map((hit) => `${file}: ${hit}`),
      );
    expect(offenders).toEqual([]);
  });

  it("catches a planted violation of each rule (a check that finds nothing would pass anything)", () => {
    expect(isInternalOf("game/kit/room/room.ts", "game/kit")).toBe(true);
    expect(isInternalOf("game/kit/index.ts", "game/kit")).toBe(false);
    expect(isInternalOf("shared/protocol.ts", "shared")).toBe(true);
    expect(isInternalOf("shared/index.ts", "shared")).toBe(false);
    expect(
      globalReads(
        "const t = performance.now();\nconsole.log(location.search);\nfetch(url);\nnew WebSocket(u);\naddEventListener('online', f);",
      ),
    ).toEqual([
      "performance.",
      "console.",
      "location",
      "fetch(",
      "new WebSocket(",
      "addEventListener(",
    ]);
    expect(
      globalReads("this.#platform.fetch(url); socket.addEventListener('open', f); // location"),
    ).toEqual([]);
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
