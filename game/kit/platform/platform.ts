/**
 * Everything the kit takes from its surroundings, in one place: the WebSocket and
 * RTCPeerConnection classes, `fetch`, the clocks and the "network is back" signal. A browser
 * needs to pass none of it; a Node bot passes an RTCPeerConnection (node-datachannel's
 * polyfill, say); tests pass fakes. No other file in the kit reads a global.
 */

/** What the kit needs of a WebSocket class (the browser's, Node's, or a test's). */
export type WebSocketClass = new (url: string) => WebSocket;

export type PeerConnectionClass = new (configuration: RTCConfiguration) => RTCPeerConnection;

export interface Platform {
  readonly WebSocket: WebSocketClass;
  readonly RTCPeerConnection: PeerConnectionClass;
  readonly fetch: typeof fetch;
  /** Monotonic milliseconds (`performance.now()`): every netcode time. */
  readonly now: () => number;
  /**
   * Wall-clock milliseconds comparable across pages and processes on one machine, with
   * sub-millisecond precision (`performance.timeOrigin + performance.now()`).
   */
  readonly epochNow: () => number;
  /** Calls `listener` when the device reports it is back online; returns the unsubscribe. */
  readonly onOnline: (listener: () => void) => () => void;
}

/** The WebSocket `readyState` of an open socket (the same number in every implementation). */
export const SOCKET_OPEN = 1;

/** `given`, with whatever it leaves out taken from the global scope. */
export function resolvePlatform(given: Partial<Platform> = {}): Platform {
  return {
    WebSocket: given.WebSocket ?? globalClass("WebSocket", globalThis.WebSocket),
    RTCPeerConnection:
      given.RTCPeerConnection ?? globalClass("RTCPeerConnection", globalThis.RTCPeerConnection),
    fetch: given.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: given.now ?? (() => performance.now()),
    epochNow: given.epochNow ?? (() => performance.timeOrigin + performance.now()),
    onOnline: given.onOnline ?? globalOnline,
  };
}

/**
 * The global class, or one that fails with a clear error when constructed: a client that
 * never needs it (edge relay only, say) still runs in a runtime without it.
 */
function globalClass<C extends new (...args: never[]) => object>(
  name: string,
  found: C | undefined,
): C {
  if (typeof found === "function") return found;
  return class Missing {
    constructor() {
      throw new TypeError(`edgeplay: this runtime has no ${name}; pass it in options.platform`);
    }
  } as unknown as C;
}

function globalOnline(listener: () => void): () => void {
  if (typeof globalThis.addEventListener !== "function") return () => undefined;
  globalThis.addEventListener("online", listener);
  return () => globalThis.removeEventListener("online", listener);
}
