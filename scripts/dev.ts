/**
 * `npm start`: serves the built game and the lobby API on http://127.0.0.1:8787 (the port from
 * wrangler.toml), with local lobbies kept in .wrangler/state. An argument names a page to open
 * instead of the arena (`npm run example` passes `examples/minimal/`).
 */
import { startLocalServer } from "./local-server.ts";

const page = process.argv[2] ?? "";
const server = await startLocalServer({ port: 8787, inspectorPort: 9329, echo: true });
console.log(`\nedgeplay is running: open ${server.url}/${page} in two tabs (Ctrl+C stops it).\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
