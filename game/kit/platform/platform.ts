/**
 * Everything the kit takes from its surroundings, in one place: the WebSocket and
 * RTCPeerConnection classes, `fetch`, the clocks, the "network is back" signal, and the
 * microphone, audio elements and Web Audio for voice. A browser
 * needs to pass none of it; a Node bot passes an RTCPeerConnection (`NodePeerConnection` from
 * `edgeplay/client/node`); tests pass fakes. No other file in the kit reads a global.
 */

/** What the kit needs of a WebSocket class (the browser's, Node's, or a test's). */
export type WebSocketClass = new (url: string) => WebSocket;

/** What the kit uses of a data channel: the browser's, or a Node library's that mimics it. */
export type DataChannelLike = Pick<
  RTCDataChannel,
  | "label"
  | "readyState"
  | "ordered"
  | "maxRetransmits"
  | "negotiated"
  | "id"
  | "binaryType"
  | "bufferedAmount"
  | "send"
  | "close"
  | "addEventListener"
>;

/**
 * What the kit uses of an RTCPeerConnection. Only these members, so a Node implementation
 * (`NodePeerConnection`, say) fits without a cast even where its own types differ from
 * the DOM's in members the kit never touches.
 */
export interface PeerConnectionLike
  extends Pick<
    RTCPeerConnection,
    | "addEventListener"
    | "addIceCandidate"
    | "close"
    | "connectionState"
    | "getConfiguration"
    | "getStats"
    | "localDescription"
    | "remoteDescription"
    | "restartIce"
    | "setConfiguration"
    | "setLocalDescription"
    | "setRemoteDescription"
    | "signalingState"
  > {
  createDataChannel(label: string, init?: RTCDataChannelInit): DataChannelLike;
}

export type PeerConnectionClass = new (configuration: RTCConfiguration) => PeerConnectionLike;

export interface Platform {
  readonly WebSocket: WebSocketClass;
  /** Null in a runtime without WebRTC: a room there can only use the edge relay. */
  readonly RTCPeerConnection: PeerConnectionClass | null;
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
  /**
   * The microphone (`navigator.mediaDevices.getUserMedia`); null where there is none to ask
   * for (Node, or a page that is not a secure context): voice is then unsupported.
   */
  readonly getUserMedia: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | null;
  /** An element that plays a peer's voice (`new Audio()`); null where nothing can play. */
  readonly createAudioElement: (() => HTMLAudioElement) | null;
  /**
   * A Web Audio context (`new AudioContext()`), for voices louder than 100% and voices placed
   * left or right; null where Web Audio cannot play a peer's voice. iOS WebKit is such a place
   * (a MediaStreamAudioSourceNode on a remote track gives silence): voices there play on their
   * elements alone, up to 100% and centred.
   */
  readonly createAudioContext: (() => AudioContext) | null;
}

/** The WebSocket `readyState` of an open socket (the same number in every implementation). */
export const SOCKET_OPEN = 1;

/** `given`, with whatever it leaves out taken from the global scope. */
export function resolvePlatform(given: Partial<Platform> = {}): Platform {
  const WebSocket = given.WebSocket ?? globalThis.WebSocket;
  if (typeof WebSocket !== "function") {
    throw new TypeError("edgeplay: this runtime has no WebSocket; pass platform.WebSocket");
  }
  return {
    WebSocket,
    RTCPeerConnection: given.RTCPeerConnection ?? globalThis.RTCPeerConnection ?? null,
    fetch: given.fetch ?? globalFetch,
    now: given.now ?? (() => performance.now()),
    epochNow: given.epochNow ?? (() => performance.timeOrigin + performance.now()),
    onOnline: given.onOnline ?? globalOnline,
    getUserMedia: given.getUserMedia === undefined ? globalGetUserMedia() : given.getUserMedia,
    createAudioElement:
      given.createAudioElement === undefined ? globalAudioElement() : given.createAudioElement,
    createAudioContext:
      given.createAudioContext === undefined ? globalAudioContext() : given.createAudioContext,
  };
}

function globalGetUserMedia(): Platform["getUserMedia"] {
  const devices = globalThis.navigator?.mediaDevices;
  if (typeof devices?.getUserMedia !== "function") return null;
  return (constraints) => devices.getUserMedia(constraints);
}

function globalAudioElement(): Platform["createAudioElement"] {
  return typeof globalThis.Audio === "function" ? () => new Audio() : null;
}

function globalAudioContext(): Platform["createAudioContext"] {
  if (typeof globalThis.AudioContext !== "function" || isAppleMobileWebKit()) return null;
  return () => new AudioContext();
}

/** iPhone and iPad browsers (all WebKit); an iPad asks for the desktop site as a touch Mac. */
function isAppleMobileWebKit(): boolean {
  const nav = globalThis.navigator;
  if (nav === undefined) return false;
  return (
    /iPhone|iPad|iPod/.test(nav.userAgent) ||
    (/Macintosh/.test(nav.userAgent) && nav.maxTouchPoints > 1)
  );
}

/** The runtime's own `fetch`, looked up at each call (tests and polyfills may replace it). */
export const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

function globalOnline(listener: () => void): () => void {
  if (typeof globalThis.addEventListener !== "function") return () => undefined;
  globalThis.addEventListener("online", listener);
  return () => globalThis.removeEventListener("online", listener);
}
