/**
 * Debian's Chromium inside a network namespace. Playwright starts the browser itself and talks
 * to it over pipes, so it gets a small wrapper script as `executablePath` that enters the
 * namespace first (`ip netns exec`); the pipes are inherited and keep working.
 */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, LaunchOptions } from "playwright-core";
import { CHROMIUM_PATH, launchChromium } from "../chromium.ts";

/** mDNS host names cannot resolve across namespaces: without this, ICE never connects. */
const NETNS_DISABLED_FEATURES = "WebRtcHideLocalIpsWithMdns";
const SAFE_WORD = /^[A-Za-z0-9_./-]+$/;

export interface NamespacedBrowser {
  readonly browser: Browser;
  /** Closes the browser and removes the wrapper. */
  close(): Promise<void>;
}

export async function launchChromiumInNamespace(
  namespace: string,
  options: LaunchOptions = {},
): Promise<NamespacedBrowser> {
  const dir = await mkdtemp(join(tmpdir(), "edgeplay-netns-chromium-"));
  const executablePath = join(dir, "chromium");
  await writeFile(executablePath, wrapperScript(namespace, CHROMIUM_PATH));
  await chmod(executablePath, 0o755);
  const removeWrapper = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const browser = await launchChromium({ ...options, executablePath }).catch(
    async (error: unknown) => {
      await removeWrapper();
      throw error;
    },
  );
  return {
    browser,
    async close() {
      await browser.close();
      await removeWrapper();
    },
  };
}

/**
 * Playwright passes its own `--disable-features=...` list and Chromium honours only the last
 * such flag, so the script merges every list it is given with ours into one flag.
 */
function wrapperScript(namespace: string, chromium: string): string {
  for (const word of [namespace, chromium]) {
    if (!SAFE_WORD.test(word)) throw new Error(`unsafe in a shell script: ${word}`);
  }
  return `#!/bin/sh
features=${NETNS_DISABLED_FEATURES}
for arg do
  shift
  case "$arg" in
    --disable-features=*) features="$features,\${arg#--disable-features=}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec ip netns exec ${namespace} ${chromium} "$@" "--disable-features=$features"
`;
}
