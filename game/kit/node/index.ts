/**
 * `edgeplay/client/node`: what a room needs in Node beyond `edgeplay/client` (Node 22+ has
 * WebSocket and fetch): an RTCPeerConnection on node-datachannel (a peer dependency here) that
 * the kit's negotiation can drive. `connect({ ..., platform: { RTCPeerConnection: NodePeerConnection } })`.
 */
export { NodePeerConnection } from "./node-peer-connection.ts";
