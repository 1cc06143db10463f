/**
 * `npm run check:deploy`, after the dry runs: gzipped sizes against the budgets, failing when
 * over. The game is everything its page loads (index.html, then every script, stylesheet and
 * module it names, Phaser included), from dist/game; the worker is each environment's bundle
 * from dist/deploy/NAME/index.js. gzip -9; KB = 1,000 bytes, as Vite prints.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";
import { PROJECT_ROOT } from "./local-server.ts";

const BUDGET_KB = { game: 400, worker: 40 } as const;
const GAME_DIR = join(PROJECT_ROOT, "dist/game");
const DEPLOY_DIR = join(PROJECT_ROOT, "dist/deploy");

interface Row {
  readonly part: string;
  readonly file: string;
  readonly bytes: number;
}

/** Site paths (`/assets/x.js`) the page loads, in the order found: HTML refs, then imports. */
function pageFiles(read: (sitePath: string) => string): string[] {
  const found = ["/index.html"];
  for (let index = 0; index < found.length; index++) {
    const path = found[index] ?? "";
    const text = read(path);
    const refs = path.endsWith(".html")
      ? [...text.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)]
      : [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.(?:js|css))"/g)];
    for (const [, ref = ""] of refs) {
      const target = ref.startsWith("/") ? ref : posix.join(posix.dirname(path), ref);
      if (!found.includes(target)) found.push(target);
    }
  }
  return found;
}

function gzipBytes(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function kb(bytes: number): string {
  return (bytes / 1000).toFixed(1);
}

function measure(): Row[] {
  const rows: Row[] = pageFiles((sitePath) => readFileSync(join(GAME_DIR, sitePath), "utf8")).map(
    (sitePath) => ({
      part: "game",
      file: `dist/game${sitePath}`,
      bytes: gzipBytes(join(GAME_DIR, sitePath)),
    }),
  );
  const environments = existsSync(DEPLOY_DIR) ? readdirSync(DEPLOY_DIR).sort() : [];
  for (const name of environments) {
    const file = `dist/deploy/${name}/index.js`;
    const path = join(PROJECT_ROOT, file);
    if (existsSync(path)) rows.push({ part: `worker (${name})`, file, bytes: gzipBytes(path) });
  }
  return rows;
}

const rows = measure();
const totals = new Map<string, number>();
for (const row of rows) totals.set(row.part, (totals.get(row.part) ?? 0) + row.bytes);

console.log("\n| part | file | gzip KB |\n|---|---|---:|");
for (const row of rows) console.log(`| ${row.part} | ${row.file} | ${kb(row.bytes)} |`);
console.log("\n| part | gzip KB | budget KB | used |\n|---|---:|---:|---:|");
const over: string[] = [];
for (const [part, bytes] of totals) {
  const budget = part === "game" ? BUDGET_KB.game : BUDGET_KB.worker;
  const used = Math.round((bytes / 1000 / budget) * 100);
  console.log(`| ${part} | ${kb(bytes)} | ${budget} | ${used}% |`);
  if (bytes > budget * 1000) over.push(`${part}: ${kb(bytes)} KB gzip, budget ${budget} KB`);
}
if (!totals.has("game") || ![...totals.keys()].some((part) => part.startsWith("worker"))) {
  over.push("nothing to measure: run `npm run build`, then scripts/check-deploy.ts (the dry runs)");
}
if (over.length > 0) {
  console.error(`\nOver budget:\n${over.map((line) => `- ${line}`).join("\n")}`);
  process.exit(1);
}
