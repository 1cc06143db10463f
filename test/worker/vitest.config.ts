import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Settings the worker tests run with; helpers.ts sends this origin on every socket. */
export const TEST_ORIGIN = "https://edgeplay.test";
export const TEST_GRACE_MS = 1500;

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../../wrangler.toml" },
      miniflare: {
        bindings: {
          ALLOWED_ORIGINS: `${TEST_ORIGIN}, https://other.edgeplay.test`,
          RECONNECT_GRACE_MS: String(TEST_GRACE_MS),
        },
      },
    }),
  ],
  test: {
    name: "worker",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
  },
});
