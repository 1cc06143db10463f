import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

import {
  TEST_GRACE_MS,
  TEST_LOBBY_FRAME_BURST,
  TEST_LOBBY_FRAMES_PER_SECOND,
  TEST_ORIGIN,
  TEST_TURN_SECRET,
  TEST_TURN_URL,
} from "./test-settings.ts";

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
          LOBBY_FRAME_BURST: String(TEST_LOBBY_FRAME_BURST),
          LOBBY_FRAMES_PER_SECOND: String(TEST_LOBBY_FRAMES_PER_SECOND),
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
