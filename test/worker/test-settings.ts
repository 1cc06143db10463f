/** Settings the worker tests run with: read by vitest.config.ts (Node) and the tests (workerd). */
export const TEST_ORIGIN = "https://edgeplay.test";
export const TEST_GRACE_MS = 1500;
/** TURN with a shared secret: minting is a local HMAC, so every seat really gets credentials. */
export const TEST_TURN_URL = "turn:turn.edgeplay.test:3478?transport=udp";
export const TEST_TURN_SECRET = "worker-test-secret";
