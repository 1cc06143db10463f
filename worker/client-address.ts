/**
 * The key for per-client limits: the IPv4 address a request came from, or the /64 prefix of an
 * IPv6 one (a home or a phone gets a whole /64, so one IPv6 address would be no limit at all).
 * Cloudflare's edge sets `cf-connecting-ip` and overwrites any value a client sends; wrangler dev
 * sets it too.
 */

/** Requests without the header (only possible off Cloudflare) share one key. */
const UNKNOWN_ADDRESS = "unknown";

export function clientAddress(request: Request): string {
  const ip = request.headers.get("cf-connecting-ip")?.trim() ?? "";
  if (ip === "") return UNKNOWN_ADDRESS;
  if (!ip.includes(":")) return ip;
  // An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) is that IPv4 client.
  const embeddedIpv4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip)?.[1];
  return embeddedIpv4 ?? ipv6Prefix64(ip);
}

/** `2001:db8:a:b:1:2:3:4` and `2001:db8:a:b::9` both give `2001:db8:a:b::/64`. */
function ipv6Prefix64(ip: string): string {
  const [head = "", tail] = ip.toLowerCase().split("::", 2);
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  const prefix = groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, ""));
  return `${prefix.join(":")}::/64`;
}
