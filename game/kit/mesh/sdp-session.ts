/**
 * Which RTCPeerConnection a description comes from. The SDP origin line (`o=`) carries a session
 * id that a connection picks at random once and keeps for every later offer and answer (JSEP,
 * RFC 8829 5.2.1), so a description whose id differs from the one we hold comes from a new
 * connection on the other side: the peer renewed its direct transport, and ours must follow.
 * This needs nothing on the wire beyond the SDP itself. Pure.
 */

/** The session id of an SDP's origin line, or null when it has none. */
export function sdpSessionId(sdp: string): string | null {
  const origin = /^o=\S+ (\S+) /m.exec(sdp);
  return origin?.[1] ?? null;
}

/**
 * Whether `sdp` comes from another connection than the remote description we hold. False when
 * we hold none yet (any connection may answer or offer first) or either id is unreadable.
 */
export function fromAnotherConnection(sdp: string, currentRemoteSdp: string | null): boolean {
  if (currentRemoteSdp === null) return false;
  const current = sdpSessionId(currentRemoteSdp);
  const incoming = sdpSessionId(sdp);
  return current !== null && incoming !== null && current !== incoming;
}
