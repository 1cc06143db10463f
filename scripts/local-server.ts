/**
 * Starts the real worker locally with `wrangler dev` (Miniflare + workerd), serving the built
 * game and the lobby API from one origin. Used by `npm start`, the end-to-end tests and benches.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Without these, local runs are slow or try the internet (toolchain notes, scripts/README.md). */
export const LOCAL_ENV = {
  X_LOCAL_OBSERVABILITY: "false",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
} as const;

export interface LocalServer {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
  /** Ends the server as a crash would: SIGKILL to wrangler and workerd, no clean shutdown. */
  kill(): Promise<void>;
  /** Resident memory of wrangler and its workerd processes together, in KiB. */
  memoryKiB(): number;
  /** The process group wrangler and its workerd run in (its pid), for per-process meters. */
  readonly groupId: number | undefined;
}

export interface LocalServerOptions {
  /** Omit for a free port chosen now (tests never use fixed ports). */
  readonly port?: number;
  readonly inspectorPort?: number;
  /** Where lobbies are stored; tests use a fresh temporary folder. */
  readonly persistTo?: string;
  /** Mirror wrangler's output to this process's stdout/stderr. */
  readonly echo?: boolean;
  readonly readyTimeoutMs?: number;
  /** Worker settings, passed as `--var KEY:VALUE` (override wrangler.toml's [vars]). */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * Address to listen on; 127.0.0.1 unless pages elsewhere (a network namespace) must reach it.
   * 0.0.0.0 is every interface; `url` then names 127.0.0.1.
   */
  readonly ip?: string;
  /** Another worker's wrangler.toml (a bench's baseline); the project's own by default. */
  readonly config?: string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const port = options.port ?? (await freePort());
  const inspectorPort = options.inspectorPort ?? (await freePort());
  const ip = options.ip ?? "127.0.0.1";
  const args = [
    "dev",
    "--ip",
    ip,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
  ];
  if (options.config) args.push("--config", options.config);
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  for (const [key, value] of Object.entries(options.vars ?? {}))
    args.push("--var", `${key}:${value}`);
  // Run wrangler on this very Node (24 from node_modules), not whatever `node` PATH finds first.
  const wrangler = join(PROJECT_ROOT, "node_modules/wrangler/bin/wrangler.js");
  const child = spawn(process.execPath, [wrangler, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...LOCAL_ENV, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid !== undefined) watchForOrphaning(child.pid);
  let output = "";
  const collect = (chunk: Buffer, stream: NodeJS.WriteStream): void => {
    output += chunk.toString();
    if (options.echo) stream.write(chunk);
  };
  child.stdout?.on("data", (chunk: Buffer) => collect(chunk, process.stdout));
  child.stderr?.on("data", (chunk: Buffer) => collect(chunk, process.stderr));
  // 0.0.0.0 is where to listen, not an address to open: this machine uses loopback.
  const url = `http://${ip === "0.0.0.0" ? "127.0.0.1" : ip}:${port}`;
  const server: LocalServer = {
    url,
    output: () => output,
    stop: () => stopProcessGroup(child),
    kill: () => killProcessGroup(child),
    memoryKiB: () => groupMemoryKiB(child),
    groupId: child.pid,
  };
  try {
    await waitUntilServing(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`wrangler dev did not start: ${String(error)}\n${output}`);
  }
  return server;
}

/** Ready when the API answers: an unknown lobby must give a JSON 404 from the worker. */
async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/lobbies/ZZZZZZ`);
      if (response.status === 404 && response.headers.get("content-type")?.includes("json")) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`not serving after ${timeoutMs} ms`);
}

/** A watcher outside our process ends the server's group if we die without calling stop(). */
function watchForOrphaning(groupId: number): void {
  const reaper = join(PROJECT_ROOT, "scripts/orphan-reaper.ts");
  spawn(process.execPath, [reaper, String(process.pid), String(groupId)], {
    detached: true,
    stdio: "ignore",
  }).unref();
}

function groupMemoryKiB(child: ChildProcess): number {
  if (child.pid === undefined) return 0;
  const rss = execFileSync("ps", ["-o", "rss=", "-g", String(child.pid)], { encoding: "utf8" });
  return rss
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((kib) => Number.isFinite(kib))
    .reduce((sum, kib) => sum + kib, 0);
}

async function killProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    return;
  }
  await exited;
}

/** wrangler starts workerd as a child; end the whole group so no server outlives the test. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
