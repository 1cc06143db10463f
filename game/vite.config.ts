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
    // Phaser alone is ~1.2 MB minified (~300 KB gzip); warn only if it grows past that.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Phaser is most of the download and changes rarely: its own chunk caches well.
        codeSplitting: { groups: [{ name: "phaser", test: /node_modules[\\/]phaser[\\/]/ }] },
      },
    },
  },
  resolve: {
    // Phaser's build without physics, from its sources: the arena has its own simulation, and
    // the Arcade and Matter engines the packaged build carries were ~50 KB gzip of the budget
    // (docs/deploy.md).
    alias: [
      { find: /^phaser$/, replacement: `${repoDir}node_modules/phaser/src/phaser-no-physics.js` },
    ],
  },
  // The feature switches Phaser's own dist build sets (its config/webpack.dist.config.js).
  define: {
    "typeof CANVAS_RENDERER": JSON.stringify(true),
    "typeof WEBGL_RENDERER": JSON.stringify(true),
    "typeof WEBGL_DEBUG": JSON.stringify(false),
    "typeof EXPERIMENTAL": JSON.stringify(false),
    "typeof FEATURE_SOUND": JSON.stringify(true),
    // Phaser's entry assigns `global.Phaser`, a name webpack provides and browsers do not.
    global: "globalThis",
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
