/** Settings the worker tests run with: read by vitest.config.ts (Node) and the tests (workerd). */
export const TEST_ORIGIN = "https://edgeplay.test";
export const TEST_GRACE_MS = 1500;
/** TURN with a shared secret: minting is a local HMAC, so every seat really gets credentials. */
export const TEST_TURN_URL = "turn:turn.edgeplay.test:3478?transport=udp";
export const TEST_TURN_SECRET = "worker-test-secret";
/**
 * The lobby's frame budget in these tests: below what a few players within their own buckets
 * can send at once, so a test can spend it without thousands of frames.
 */
export const TEST_LOBBY_FRAME_BURST = 600;
export const TEST_LOBBY_FRAMES_PER_SECOND = 400;
