/**
 * `npm start`: serves the built game and the lobby API on http://127.0.0.1:8787 (the port from
 * wrangler.toml), with local lobbies kept in .wrangler/state. An argument names a page to open
 * instead of the arena (`npm run example` passes `examples/minimal/`).
 *
 * `--lan` (`npm run start:lan`) serves it to the local network instead: every interface, with
 * join links and QR codes on this machine's LAN address; `--host ADDRESS` picks that address.
 */
import { networkInterfaces } from "node:os";
import { parseArgs } from "node:util";
import { type LanAddress, lanAddresses } from "./lan-address.ts";
import { startLanServer } from "./lan-server.ts";
import { type LocalServer, type LocalServerOptions, startLocalServer } from "./local-server.ts";

const PORTS = { port: 8787, inspectorPort: 9329, echo: true } satisfies LocalServerOptions;

const args = readArgs();
const page = args.positionals[0] ?? "";
const lan = args.values.lan === true || args.values.host !== undefined;
const server = lan ? await startOnLan(args.values.host) : await startLocalServer(PORTS);
if (!lan) {
  console.log(`\nedgeplay is running: open ${server.url}/${page} in two tabs (Ctrl+C stops it).\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}

function readArgs() {
  try {
    return parseArgs({
      options: { lan: { type: "boolean" }, host: { type: "string" } },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}
Usage: node scripts/dev.ts [PAGE] [--lan] [--host ADDRESS]`);
    process.exit(2);
  }
}

async function startOnLan(hostArg: string | undefined): Promise<LocalServer> {
  const found = lanAddresses(networkInterfaces());
  const host = hostArg ?? found[0]?.address;
  if (host === undefined) {
    console.error(
      "No LAN address found (no network interface with an IPv4 address other than loopback). Connect to a network, or name the address with --host ADDRESS.",
    );
    process.exit(1);
  }
  const { server, lanOrigin } = await startLanServer({ ...PORTS, host }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    return process.exit(1);
  });
  const others = found.filter((entry) => entry.address !== host);
  console.log(`
edgeplay is on your network: open ${lanOrigin}/${page} on this computer, a phone or another
computer on the same network (Ctrl+C stops it). Share links and QR codes use this address.
${others.length > 0 ? `Other addresses of this machine: ${others.map(describe).join(", ")}; pick one with --host ADDRESS.\n` : ""}If other devices cannot connect, allow incoming TCP on port ${PORTS.port} in this computer's firewall.
`);
  return server;
}

function describe(entry: LanAddress): string {
  return `${entry.address} (${entry.interface})`;
}
