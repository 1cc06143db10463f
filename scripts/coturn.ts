/**
 * A real coturn (Debian's `turnserver`) for tests: shared-secret auth (`use-auth-secret`, the
 * scheme worker/ice/coturn.ts mints for), plain UDP and TCP on a free port of 127.0.0.1 (or
 * `host`), relay ports from a free range, logging to a temporary file. `stop()` ends it and
 * removes the files.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./local-server.ts";

export const TURNSERVER_PATH = process.env["TURNSERVER_PATH"] ?? "/usr/bin/turnserver";
export const COTURN_HOST = "127.0.0.1";
const RELAY_PORT_COUNT = 32;

export interface Coturn {
  readonly port: number;
  readonly secret: string;
  readonly realm: string;
  readonly udpUrl: string;
  readonly tcpUrl: string;
  /** `--var` settings for `startLocalServer` that point the worker at this coturn. */
  readonly workerVars: Readonly<Record<string, string>>;
  /** What coturn logged so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface CoturnOptions {
  readonly readyTimeoutMs?: number;
  /** Address to listen and relay on; COTURN_HOST unless pages in a network namespace use it. */
  readonly host?: string;
}

export async function startCoturn(options: CoturnOptions = {}): Promise<Coturn> {
  if (!existsSync(TURNSERVER_PATH)) {
    throw new Error(
      `coturn not found at ${TURNSERVER_PATH}: apt-get install -y coturn (or set TURNSERVER_PATH)`,
    );
  }
  const host = options.host ?? COTURN_HOST;
  const dir = await mkdtemp(join(tmpdir(), "edgeplay-coturn-"));
  const port = await freeUdpAndTcpPort(host);
  const minRelayPort = await freeUdpRange(host, RELAY_PORT_COUNT);
  const secret = randomBytes(24).toString("base64url");
  const realm = "edgeplay.test";
  const logFile = join(dir, "turnserver.log");
  const args = turnserverArgs({ host, port, minRelayPort, secret, realm, dir, logFile });
  const child = spawn(TURNSERVER_PATH, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const readLog = (): Promise<string> => readFile(logFile, "utf8").catch(() => "");
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(host, port, child, options.readyTimeoutMs ?? 10_000);
  } catch (error) {
    const log = await readLog();
    await stop();
    throw new Error(`coturn did not start: ${String(error)}\n${stderr}\n${log}`);
  }
  const udpUrl = `turn:${host}:${port}?transport=udp`;
  const tcpUrl = `turn:${host}:${port}?transport=tcp`;
  return {
    port,
    secret,
    realm,
    udpUrl,
    tcpUrl,
    workerVars: { TURN_URLS: `${udpUrl},${tcpUrl}`, TURN_SECRET: secret },
    log: readLog,
    stop,
  };
}

interface TurnserverSettings {
  readonly host: string;
  readonly port: number;
  readonly minRelayPort: number;
  readonly secret: string;
  readonly realm: string;
  /** Where its log, pid file and database go. */
  readonly dir: string;
  readonly logFile: string;
}

/** A turnserver command line for shared-secret auth on one address, with no config file. */
function turnserverArgs(settings: TurnserverSettings): string[] {
  const { host, port, minRelayPort, secret, realm, dir, logFile } = settings;
  return [
    "-n", // no config file: everything is on this command line
    `--listening-ip=${host}`,
    `--relay-ip=${host}`,
    `--listening-port=${port}`,
    `--min-port=${minRelayPort}`,
    `--max-port=${minRelayPort + RELAY_PORT_COUNT - 1}`,
    "--use-auth-secret",
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    // Both browsers and their relay addresses are on 127.0.0.1 here.
    "--allow-loopback-peers",
    "--no-tls",
    "--no-dtls",
    "--no-cli",
    "--no-rfc5780",
    "--no-multicast-peers",
    "--verbose",
    `--log-file=${logFile}`,
    "--simple-log",
    "--no-stdout-log",
    `--pidfile=${join(dir, "turnserver.pid")}`,
    `--db=${join(dir, "turndb")}`,
  ];
}

/** coturn takes one port number for both its UDP and its TCP listener. */
async function freeUdpAndTcpPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (await udpPortsFree(host, port, 1)) return port;
  }
  throw new Error("found no port free for both UDP and TCP");
}

/** A run of UDP ports outside Linux's ephemeral range (32768-60999), so browsers won't take them. */
async function freeUdpRange(host: string, count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 10_000);
    if (await udpPortsFree(host, first, count)) return first;
  }
  throw new Error(`found no ${count} consecutive free UDP ports`);
}

async function udpPortsFree(host: string, first: number, count: number): Promise<boolean> {
  for (let port = first; port < first + count; port++) {
    const socket = createSocket("udp4");
    const bound = await new Promise<boolean>((resolve) => {
      socket.once("error", () => resolve(false));
      socket.bind(port, host, () => resolve(true));
    });
    socket.close();
    if (!bound) return false;
  }
  return true;
}

/** Ready when a STUN Binding request over UDP gets an answer and TCP accepts a connection. */
async function waitUntilListening(
  host: string,
  port: number,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with code ${child.exitCode}`);
    if ((await answersStunOverUdp(host, port)) && (await acceptsTcp(host, port))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not listening on ${host}:${port} after ${timeoutMs} ms`);
}

const STUN_MAGIC_COOKIE = 0x2112a442;
const STUN_BINDING_REQUEST = 0x0001;
const STUN_BINDING_SUCCESS = 0x0101;

async function answersStunOverUdp(host: string, port: number): Promise<boolean> {
  const request = Buffer.alloc(20);
  request.writeUInt16BE(STUN_BINDING_REQUEST, 0);
  request.writeUInt16BE(0, 2);
  request.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  const transactionId = randomBytes(12);
  transactionId.copy(request, 8);
  const socket = createSocket("udp4");
  try {
    const answer = new Promise<boolean>((resolve) => {
      socket.on("message", (message: Buffer) => {
        const isOurs =
          message.length >= 20 &&
          message.readUInt16BE(0) === STUN_BINDING_SUCCESS &&
          message.subarray(8, 20).equals(transactionId);
        if (isOurs) resolve(true);
      });
      socket.on("error", () => resolve(false));
      setTimeout(() => resolve(false), 250);
    });
    socket.send(request, port, host);
    return await answer;
  } finally {
    socket.close();
  }
}

async function acceptsTcp(host: string, port: number): Promise<boolean> {
  const socket = connect(port, host);
  try {
    await once(socket, "connect");
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
