/**
 * A small network for end-to-end tests: each player in a network namespace of its own, all on
 * one bridge that lives in a "hub" namespace, and the root namespace (where `wrangler dev` and
 * coturn run) on that bridge through one veth. Bridging happens in the hub, so the root
 * namespace needs no forwarding and its firewall (Docker's, say) never sees player traffic.
 *
 *   root ns   ep<tag>   10.231.S.1/24 ──┐
 *   hub ns                       uplink ┴ br0 ┬ p1 ── eth0 10.231.S.11/24  (player 1 ns)
 *                                             └ p2 ── eth0 10.231.S.12/24  (player 2 ns)
 *
 * S is picked per run among /24s of 10.231.0.0/16 the root namespace does not use. Players need
 * a default route (Chromium gathers host candidates only on its interface), so each also gets an
 * egress guard (./net/nft.ts): a player can send to the subnet and to loopback, nowhere else.
 * Names carry the creating process id, so a later run removes what a killed run left behind.
 * Needs root, `ip` (iproute2) and `nft` (nftables).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { guardEgress, setUdpRules, type UdpRule } from "./net/nft.ts";
import { runTool } from "./net/run.ts";

const NAME_PREFIX = "edgeplay";
const OUR_NAMESPACE = /^edgeplay-(\d+)-[0-9a-f]+-(hub|p\d+)$/;
const FIRST_PLAYER_HOST = 11;

export interface NetPlayer {
  /** 1-based. */
  readonly index: number;
  readonly namespace: string;
  readonly address: string;
  /** Replaces this namespace's UDP rules with exactly these; `[]` lets all UDP through. */
  setUdpRules(rules: readonly UdpRule[]): Promise<void>;
}

export interface Topology {
  /** The root namespace's address on the bridge: where the worker and coturn listen. */
  readonly hostAddress: string;
  /** `10.231.S.0/24` */
  readonly subnet: string;
  readonly players: readonly NetPlayer[];
  /** Deletes every namespace (and so every veth and the bridge) of this topology. */
  destroy(): Promise<void>;
}

export interface TopologyOptions {
  readonly players: number;
}

export async function createTopology(options: TopologyOptions): Promise<Topology> {
  if (!Number.isInteger(options.players) || options.players < 1 || options.players > 40) {
    throw new RangeError(`players must be 1-40, got ${options.players}`);
  }
  await removeStaleNamespaces();
  const tag = randomBytes(3).toString("hex");
  const base = `${NAME_PREFIX}-${process.pid}-${tag}`;
  const hub = `${base}-hub`;
  const third = await unusedSubnetOctet();
  const subnet = `10.231.${third}.0/24`;
  const hostAddress = `10.231.${third}.1`;
  const rootInterface = `ep${tag}`;
  const players: NetPlayer[] = Array.from({ length: options.players }, (_, i) => {
    const namespace = `${base}-p${i + 1}`;
    return {
      index: i + 1,
      namespace,
      address: `10.231.${third}.${FIRST_PLAYER_HOST + i}`,
      setUdpRules: (rules) => setUdpRules(namespace, rules),
    };
  });
  const namespaces = [hub, ...players.map((p) => p.namespace)];

  const removeOnExit = (): void => removeNow(rootInterface, namespaces);
  process.once("exit", removeOnExit);
  const destroy = async (): Promise<void> => {
    process.removeListener("exit", removeOnExit);
    // The kernel tears a deleted namespace down later; deleting our veth frees its address at once.
    await ip(["link", "delete", rootInterface]).catch(() => "");
    await Promise.all(namespaces.map((ns) => deleteNamespace(ns)));
  };

  try {
    for (const ns of namespaces) await ip(["netns", "add", ns]);
    await connectHubToRoot(hub, rootInterface, hostAddress);
    for (const player of players) await attachPlayer(hub, player, hostAddress, subnet);
    await ip(["-n", hub, "link", "set", "br0", "up"]);
  } catch (error) {
    await destroy();
    throw error;
  }
  return { hostAddress, subnet, players, destroy };
}

/** The hub's bridge, and a veth from it to the root namespace, which gets `hostAddress`. */
async function connectHubToRoot(
  hub: string,
  rootInterface: string,
  hostAddress: string,
): Promise<void> {
  await ip(["-n", hub, "link", "add", "br0", "type", "bridge"]);
  await ip(["link", "add", rootInterface, "type", "veth", "peer", "name", "uplink", "netns", hub]);
  await ip(["-n", hub, "link", "set", "uplink", "master", "br0", "up"]);
  // No IPv6 link-local addresses: candidates and traffic stay on the addresses below.
  await ip(["link", "set", rootInterface, "addrgenmode", "none"]);
  await ip(["addr", "add", `${hostAddress}/24`, "dev", rootInterface]);
  await ip(["link", "set", rootInterface, "up"]);
}

/** One player's namespace on the hub's bridge: its address, a default route, the egress guard. */
async function attachPlayer(
  hub: string,
  player: NetPlayer,
  hostAddress: string,
  subnet: string,
): Promise<void> {
  const ns = player.namespace;
  const hubSide = `p${player.index}`;
  await ip([
    "-n",
    hub,
    "link",
    "add",
    hubSide,
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    ns,
  ]);
  await ip(["-n", hub, "link", "set", hubSide, "master", "br0", "up"]);
  await ip(["-n", ns, "link", "set", "eth0", "addrgenmode", "none"]);
  await ip(["-n", ns, "addr", "add", `${player.address}/24`, "dev", "eth0"]);
  await ip(["-n", ns, "link", "set", "eth0", "up"]);
  await ip(["-n", ns, "link", "set", "lo", "up"]);
  // Chromium gathers host candidates only on the interface of the default route.
  await ip(["-n", ns, "route", "add", "default", "via", hostAddress]);
  await guardEgress(ns, subnet);
}

/** Namespaces of earlier runs whose process is gone (a killed test run, a crash). */
export async function removeStaleNamespaces(): Promise<void> {
  const listed = await ip(["netns", "list"]);
  const stale = listed
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => {
      const match = OUR_NAMESPACE.exec(name);
      return match !== null && !processAlive(Number(match[1]));
    });
  await Promise.all(stale.map((ns) => deleteNamespace(ns)));
}

/** Runs a command inside a namespace (diagnostics, probes). */
export function runInNamespace(namespace: string, command: readonly string[]): Promise<string> {
  return ip(["netns", "exec", namespace, ...command]);
}

function ip(args: readonly string[]): Promise<string> {
  return runTool("ip", args);
}

async function deleteNamespace(namespace: string): Promise<void> {
  try {
    await ip(["netns", "delete", namespace]);
  } catch (error) {
    // Already gone is fine; anything else should be seen.
    if (!String(error).includes("No such file")) throw error;
  }
}

/** For the `exit` event, which runs no asynchronous code. */
function removeNow(rootInterface: string, namespaces: readonly string[]): void {
  const commands = [
    ["link", "delete", rootInterface],
    ...namespaces.map((ns) => ["netns", "delete", ns]),
  ];
  for (const args of commands) {
    try {
      execFileSync("ip", args, { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, just not ours to signal.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

/** A third octet whose 10.231.S.0/24 no address or route of the root namespace touches. */
async function unusedSubnetOctet(): Promise<number> {
  const inUse = `${await ip(["-o", "addr", "show"])}\n${await ip(["route", "show", "table", "all"])}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const third = 1 + Math.floor(Math.random() * 254);
    if (!inUse.includes(`10.231.${third}.`)) return third;
  }
  throw new Error("no free /24 in 10.231.0.0/16");
}
