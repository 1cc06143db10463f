/**
 * Can this machine run the network tests? They need Linux, root, `ip` and `nft`, and a kernel
 * that lets us make a namespace and load nftables rules in it. Checked by doing exactly that.
 */
import { randomBytes } from "node:crypto";
import { nftInNamespace } from "./nft.ts";
import { runTool } from "./run.ts";

export type NetworkSupport =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

export async function checkNetworkSupport(): Promise<NetworkSupport> {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces need Linux" };
  if (process.getuid?.() !== 0) {
    return { ok: false, reason: "network namespaces and nftables need root" };
  }
  const probe = `edgeplay-${process.pid}-${randomBytes(3).toString("hex")}-p0`;
  try {
    await runTool("ip", ["netns", "add", probe]);
  } catch (error) {
    return {
      ok: false,
      reason: `cannot create a network namespace (apt-get install -y iproute2): ${String(error)}`,
    };
  }
  try {
    await nftInNamespace(
      probe,
      "table inet edgeplay_probe {\n  chain out { type filter hook output priority 0; }\n}\n",
    );
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot load nftables rules (apt-get install -y nftables): ${String(error)}`,
    };
  } finally {
    await runTool("ip", ["netns", "delete", probe]).catch(() => "");
  }
}
