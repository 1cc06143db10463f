import { describe, expect, it } from "vitest";
import { clientAddress } from "../../worker/client-address.ts";

const from = (ip: string | null): string =>
  clientAddress(
    new Request("https://edgeplay.test/", {
      headers: ip === null ? {} : { "cf-connecting-ip": ip },
    }),
  );

describe("the address per-client limits count", () => {
  it("is the IPv4 address, also when written as IPv6", () => {
    expect(from("198.51.100.7")).toBe("198.51.100.7");
    expect(from("::ffff:198.51.100.7")).toBe("198.51.100.7");
  });

  it("is the /64 prefix of an IPv6 address, however it is written", () => {
    expect(from("2001:db8:a:b:1:2:3:4")).toBe("2001:db8:a:b::/64");
    expect(from("2001:0db8:000a:000b::9")).toBe("2001:db8:a:b::/64");
    expect(from("2001:DB8:A:B:ffff::1")).toBe("2001:db8:a:b::/64");
    expect(from("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(from("::1")).toBe("0:0:0:0::/64");
  });

  it("is one shared key for requests without the header", () => {
    expect(from(null)).toBe(from(""));
  });
});
