import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

import { TEST_GRACE_MS, TEST_ORIGIN, TEST_TURN_SECRET, TEST_TURN_URL } from "./test-settings.ts";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../../wrangler.toml" },
      miniflare: {
        bindings: {
          ALLOWED_ORIGINS: `${TEST_ORIGIN}, https://other.edgeplay.test`,
          RECONNECT_GRACE_MS: String(TEST_GRACE_MS),
          TURN_URLS: TEST_TURN_URL,
          TURN_SECRET: TEST_TURN_SECRET,
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
