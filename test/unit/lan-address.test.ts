import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { lanAddresses } from "../../scripts/lan-address.ts";
import { httpOrigin } from "../../scripts/lan-server.ts";

function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    family: "IPv4",
    internal,
    netmask: "255.255.255.0",
    mac: "02:00:00:00:00:01",
    cidr: `${address}/24`,
  };
}

function ipv6(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    family: "IPv6",
    internal,
    netmask: "ffff:ffff:ffff:ffff::",
    mac: "02:00:00:00:00:01",
    cidr: `${address}/64`,
    scopeid: 0,
  };
}

describe("the LAN address start:lan advertises", () => {
  it("is the first non-internal IPv4 of a physical-looking interface", () => {
    const found = lanAddresses({
      lo: [ipv4("127.0.0.1", true), ipv6("::1", true)],
      docker0: [ipv4("172.17.0.1")],
      wlp2s0: [ipv6("fe80::1"), ipv4("192.168.1.20")],
      eth1: [ipv4("10.0.0.5")],
    });
    expect(found[0]).toEqual({ address: "192.168.1.20", interface: "wlp2s0" });
    expect(found.map((entry) => entry.address)).toEqual(["192.168.1.20", "10.0.0.5", "172.17.0.1"]);
  });

  it("passes over container, VM and VPN interfaces while a physical one exists", () => {
    const virtual = [
      "docker0",
      "br-3f2a",
      "veth12ab",
      "virbr0",
      "vboxnet0",
      "vmnet8",
      "tun0",
      "wg0",
      "tailscale0",
      "utun3",
      "cni0",
    ];
    const interfaces = Object.fromEntries(
      virtual.map((name, i) => [name, [ipv4(`172.18.${i}.1`)]]),
    );
    expect(lanAddresses({ ...interfaces, en0: [ipv4("192.168.0.7")] })[0]?.interface).toBe("en0");
    // With nothing else, a VPN address is still better than none: it is offered, not hidden.
    expect(lanAddresses({ wg0: [ipv4("10.8.0.2")] })[0]?.address).toBe("10.8.0.2");
  });

  it("leaves out link-local addresses and finds none on a machine without a network", () => {
    expect(lanAddresses({ eth0: [ipv4("169.254.10.3")], lo: [ipv4("127.0.0.1", true)] })).toEqual(
      [],
    );
    expect(lanAddresses({ eth0: undefined })).toEqual([]);
    expect(lanAddresses({})).toEqual([]);
  });
});

describe("the LAN origin", () => {
  it("is http://HOST:PORT, with IPv6 addresses in brackets", () => {
    expect(httpOrigin("192.168.1.20", 8787)).toBe("http://192.168.1.20:8787");
    expect(httpOrigin("fd00::2", 8787)).toBe("http://[fd00::2]:8787");
    expect(httpOrigin("MyBox.local", 8787)).toBe("http://mybox.local:8787");
  });

  it("refuses what is no host", () => {
    for (const host of ["", "a/b", "a?b", "a#b", "me@host", "two words"]) {
      expect(() => httpOrigin(host, 8787), host).toThrow(/not an address or host name/);
    }
  });
});
