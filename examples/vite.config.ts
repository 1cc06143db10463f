/**
 * Builds the examples into dist/game/examples/, so the worker serves them next to the arena
 * (http://127.0.0.1:8787/examples/minimal/). Run after the game's build, which empties dist/game.
 */
import { defineConfig } from "vite";

const examplesDir = decodeURIComponent(new URL(".", import.meta.url).pathname);

export default defineConfig({
  root: `${examplesDir}minimal`,
  base: "/examples/minimal/",
  build: { outDir: "../../dist/game/examples/minimal", emptyOutDir: true, target: "es2023" },
});
