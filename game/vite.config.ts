/**
 * Builds the browser game. Run from the repository root:
 * `npx vite build --config game/vite.config.ts` writes dist/game, which the worker serves.
 */
import { defineConfig } from "vite";

const gameDir = decodeURIComponent(new URL(".", import.meta.url).pathname);
const repoDir = decodeURIComponent(new URL("..", import.meta.url).pathname);

export default defineConfig({
  root: gameDir,
  // Relative to root: lands in <repo>/dist/game, next to the worker's other outputs.
  build: {
    outDir: "../dist/game",
    emptyOutDir: true,
    target: "es2023",
    // Phaser alone is ~1.4 MB minified (~360 KB gzip); warn only if it grows past that.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Phaser is most of the download and changes rarely: its own chunk caches well.
        codeSplitting: { groups: [{ name: "phaser", test: /node_modules[\\/]phaser[\\/]/ }] },
      },
    },
  },
  server: {
    // The game imports ../shared; let the dev server read it.
    fs: { allow: [repoDir] },
    // `npx vite --config game/vite.config.ts` for hot reload, with `npm run dev` (the worker
    // on its wrangler.toml port) answering the lobby API and sockets.
    proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } },
  },
  // `vite preview` would inherit that proxy; the worker serves the built game itself anyway.
  preview: { proxy: {} },
});
