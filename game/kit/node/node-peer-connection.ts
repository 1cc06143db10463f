/**
 * An RTCPeerConnection for Node that the kit's negotiation can drive: node-datachannel's
 * polyfill (libdatachannel), with the four things it leaves out (0.33.4) filled in.
 *
 * The kit negotiates the W3C "perfect negotiation" way (game/kit/mesh/direct-transport.ts), and
 * relies on what the polyfill does not do:
 * - `negotiationneeded` after the first data channel: the polyfill never fires it, and
 *   libdatachannel's own automatic offer would never reach the peer;
 * - `setLocalDescription()` with no description (an offer, or the answer to the peer's offer)
 *   and `{ type: "rollback" }`: the polyfill ignores anything but an explicit offer;
 * - the implicit rollback of our pending offer when the peer's offer wins a collision;
 * - `localDescription` / `remoteDescription` being null before there is one: the polyfill
 *   gives an empty description, so the kit would think the peer had already offered.
 * So libdatachannel's automatic negotiation is off, and every description is made when the kit
 * asks for it. `restartIce()` still throws (libdatachannel cannot restart ICE): the kit reports
 * that as a problem, and a pair whose ICE fails goes through the edge relay.
 */

import { PeerConnection, type RtcConfig } from "node-datachannel";
import { RTCPeerConnection as Polyfill } from "node-datachannel/polyfill";
import type { PeerConnectionLike } from "../platform/platform.ts";

/** What the kit uses of a peer connection, with the two methods this class replaces. */
interface PolyfillInstance extends PeerConnectionLike, Pick<EventTarget, "dispatchEvent"> {
  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
}

/** The polyfill; it may wrap a native connection made beforehand (`peerConnection`). */
const PolyfillConnection: new (
  configuration: RTCConfiguration & { readonly peerConnection: PeerConnection },
) => PolyfillInstance = Polyfill;

let connections = 0;

export class NodePeerConnection extends PolyfillConnection {
  readonly #native: PeerConnection;
  #negotiationAnnounced = false;

  constructor(configuration: RTCConfiguration = {}) {
    const native = new PeerConnection(`edgeplay-${++connections}`, nativeConfig(configuration));
    super({ ...configuration, peerConnection: native });
    this.#native = native;
  }

  override get localDescription(): RTCSessionDescription | null {
    return descriptionOf(this.#native.localDescription());
  }

  override get remoteDescription(): RTCSessionDescription | null {
    return descriptionOf(this.#native.remoteDescription());
  }

  override createDataChannel(label: string, init?: RTCDataChannelInit) {
    const channel = super.createDataChannel(label, init);
    if (!this.#negotiationAnnounced) {
      this.#negotiationAnnounced = true;
      // As in a browser: queued, so listeners added right after the channels still hear it.
      setTimeout(() => {
        if (this.signalingState !== "closed") this.dispatchEvent(new Event("negotiationneeded"));
      }, 0);
    }
    return channel;
  }

  override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    const type =
      description?.type ?? (this.signalingState === "have-remote-offer" ? "answer" : "offer");
    this.#native.setLocalDescription(type);
  }

  override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (description.sdp === undefined) throw new TypeError("a remote description needs its SDP");
    // Perfect negotiation's polite side: the peer's offer replaces our pending one.
    if (description.type === "offer" && this.signalingState === "have-local-offer") {
      this.#native.setLocalDescription("rollback");
    }
    this.#native.setRemoteDescription(description.sdp, description.type);
  }
}

/** libdatachannel takes ICE servers as URLs, with TURN credentials inside them. */
function nativeConfig(configuration: RTCConfiguration): RtcConfig {
  return {
    iceServers: (configuration.iceServers ?? []).flatMap(iceServerUrls),
    iceTransportPolicy: configuration.iceTransportPolicy === "relay" ? "relay" : "all",
    disableAutoNegotiation: true,
  };
}

function iceServerUrls(server: RTCIceServer): string[] {
  const urls = typeof server.urls === "string" ? [server.urls] : server.urls;
  return urls.map((url) => {
    if (server.username === undefined || server.credential === undefined) return url;
    const [scheme, rest] = url.split(/:(.*)/);
    return `${scheme}:${encodeURIComponent(server.username)}:${encodeURIComponent(server.credential)}@${rest}`;
  });
}

function descriptionOf(
  native: { readonly type: string; readonly sdp: string } | null,
): RTCSessionDescription | null {
  if (native === null) return null;
  const { type, sdp } = native;
  if (type !== "offer" && type !== "answer" && type !== "pranswer") return null;
  return { type, sdp, toJSON: () => ({ type, sdp }) };
}
