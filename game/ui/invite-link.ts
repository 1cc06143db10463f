/**
 * The invite the panel shows: the lobby's join link as the server built it (on the LAN address
 * under `npm run start:lan`), and whether other devices can open it at all.
 */

export interface Invite {
  readonly url: string;
  /** The link names this computer (127.0.0.1, localhost, [::1]): a phone would open itself. */
  readonly localOnly: boolean;
}

/** Said beside a link only this computer can open, instead of a QR code no phone can use. */
export const LOCAL_ONLY_NOTE =
  "This link only works on this computer; run npm run start:lan to play across your network.";

/** `joinUrl` is the server's validated absolute URL. */
export function invite(joinUrl: string): Invite {
  return { url: joinUrl, localOnly: isLoopbackHost(new URL(joinUrl).hostname) };
}

/** Host names that mean "this computer" to whoever opens the link (URL hostnames, so IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    host === "0.0.0.0" ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}
