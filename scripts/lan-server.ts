/**
 * `npm run start:lan`'s server: `wrangler dev` on every interface (so this computer keeps
 * http://127.0.0.1:PORT and other devices use the LAN address), with `PUBLIC_ORIGIN` set to
 * the LAN address so every join link and QR code names the address other devices can reach.
 */
import { isIP } from "node:net";
import {
  freePort,
  type LocalServer,
  type LocalServerOptions,
  startLocalServer,
} from "./local-server.ts";

export interface LanServer {
  readonly server: LocalServer;
  /** `http://HOST:PORT`: what other devices open, and the origin of every join link. */
  readonly lanOrigin: string;
}

export type LanServerOptions = Omit<LocalServerOptions, "ip"> & {
  /** The address (or host name) other devices reach this machine by. */
  readonly host: string;
};

export async function startLanServer(options: LanServerOptions): Promise<LanServer> {
  const port = options.port ?? (await freePort());
  const lanOrigin = httpOrigin(options.host, port);
  const server = await startLocalServer({
    ...options,
    port,
    ip: "0.0.0.0",
    vars: { ...options.vars, PUBLIC_ORIGIN: lanOrigin },
  });
  return { server, lanOrigin };
}

/** `http://HOST:PORT`, with an IPv6 address in brackets; throws for what is no host. */
export function httpOrigin(host: string, port: number): string {
  const text = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const url = URL.canParse(text) ? new URL(text) : null;
  // A slash, `?`, `#` or `@` in the "host" would make a URL of something else.
  if (url === null || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new Error(`not an address or host name: ${JSON.stringify(host)}`);
  }
  return url.origin;
}
