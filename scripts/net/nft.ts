/**
 * nftables rules inside one network namespace (the kernel here has no netem, see the toolchain
 * notes in scripts/README.md). UDP rules sit on the namespace's `input` hook: a packet between
 * two players meets the receiver's rules once and the sender's not at all, so a loss of P% in
 * every namespace is P% per direction, not 1 - (1 - P%)². Not `output`: a packet dropped there
 * fails the sender's sendto() with EPERM, the sender knows, and Chromium's data channel data got
 * through anyway (seen: 28 UDP packets dropped on output, 0 of 164 state packets lost).
 */

import { assertNever } from "../../shared/assert-never.ts";
import { runTool } from "./run.ts";

/** What happens to UDP arriving in a namespace. TCP (the lobby socket, TURN/TCP) is never touched. */
export type UdpRule =
  | { readonly kind: "random-loss"; readonly percent: number }
  | { readonly kind: "block-all" }
  | { readonly kind: "block-from"; readonly addresses: readonly string[] };

const UDP_TABLE = "edgeplay_udp";
const GUARD_TABLE = "edgeplay_guard";
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_SUBNET = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function isIpv4(text: string): boolean {
  const match = IPV4.exec(text);
  return match?.slice(1).every((part) => Number(part) <= 255) ?? false;
}

/** Replaces the namespace's UDP rules with exactly these, atomically; `[]` clears them. */
export async function setUdpRules(namespace: string, rules: readonly UdpRule[]): Promise<void> {
  const lines = rules.map(nftRuleText);
  await nftInNamespace(
    namespace,
    replaceTable(UDP_TABLE, ["type filter hook input priority 0; policy accept;", ...lines]),
  );
}

/**
 * Lets the namespace send only to loopback and to `subnet` (addresses this run created), so a
 * browser under test can never reach another network, whatever it tries.
 */
export async function guardEgress(namespace: string, subnet: string): Promise<void> {
  if (!IPV4_SUBNET.test(subnet)) throw new Error(`not an IPv4 subnet: ${subnet}`);
  await nftInNamespace(
    namespace,
    replaceTable(GUARD_TABLE, [
      "type filter hook output priority -10; policy drop;",
      'oifname "lo" accept',
      `ip daddr ${subnet} accept`,
      // Counted, so `nft list table inet edgeplay_guard` in the namespace shows any attempt.
      "counter drop",
    ]),
  );
}

/** `nft -f -` inside the namespace. */
export async function nftInNamespace(namespace: string, script: string): Promise<void> {
  await runTool("ip", ["netns", "exec", namespace, "nft", "-f", "-"], { input: script });
}

function nftRuleText(rule: UdpRule): string {
  switch (rule.kind) {
    case "random-loss": {
      if (!Number.isInteger(rule.percent) || rule.percent < 0 || rule.percent > 100) {
        throw new RangeError(`loss must be a whole percent 0-100, got ${rule.percent}`);
      }
      return `meta l4proto udp numgen random mod 100 lt ${rule.percent} drop`;
    }
    case "block-all":
      return "meta l4proto udp drop";
    case "block-from": {
      const bad = rule.addresses.find((address) => !isIpv4(address));
      if (bad !== undefined || rule.addresses.length === 0) {
        throw new Error(`block-from needs IPv4 addresses, got ${JSON.stringify(rule.addresses)}`);
      }
      return `ip saddr { ${rule.addresses.join(", ")} } meta l4proto udp drop`;
    }
    default:
      return assertNever(rule, "UDP rule");
  }
}

/** Declaring the table first makes `delete` succeed whether or not it existed. */
function replaceTable(table: string, chainBody: readonly string[]): string {
  return [
    `table inet ${table} {}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    "  chain filter {",
    ...chainBody.map((line) => `    ${line}`),
    "  }",
    "}",
    "",
  ].join("\n");
}
