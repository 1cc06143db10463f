/**
 * Which of this machine's addresses other devices on the LAN can reach: for `npm run start:lan`,
 * which listens on every interface but must print (and put in join links) one address.
 */
import type { NetworkInterfaceInfo } from "node:os";

/** `os.networkInterfaces()`'s shape. */
export type Interfaces = Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;

export interface LanAddress {
  readonly address: string;
  readonly interface: string;
}

/**
 * Interfaces of containers, VMs, VPNs and bridges: their addresses are reachable from this
 * machine's guests or tunnels, not from a phone on the same Wi-Fi.
 */
const VIRTUAL_INTERFACE =
  /^(docker|br-|veth|virbr|vmnet|vboxnet|vnic|tun|tap|wg|tailscale|zt|utun|cni|flannel|cali|kube|lxc|lxd|podman|ham)/i;

/**
 * Non-internal IPv4 addresses, those of physical-looking interfaces (eth0, en0, wlan0, wlp2s0…)
 * first, each group in the system's order. Link-local 169.254.x.x (no DHCP answer) is left out.
 * The first is the one to advertise; the rest are the alternatives for `--host`.
 */
export function lanAddresses(interfaces: Interfaces): LanAddress[] {
  const found = Object.entries(interfaces).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter(
        (info) => info.family === "IPv4" && !info.internal && !info.address.startsWith("169.254."),
      )
      .map((info) => ({ address: info.address, interface: name })),
  );
  const physical = found.filter((entry) => !VIRTUAL_INTERFACE.test(entry.interface));
  const virtual = found.filter((entry) => VIRTUAL_INTERFACE.test(entry.interface));
  return [...physical, ...virtual];
}
