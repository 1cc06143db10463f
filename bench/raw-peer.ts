/**
 * The join bench's floor client: raw WebRTC in a blank page, signaling over the bare relay
 * (bare-relay.ts) with the least a mesh needs. `hello` -> `welcome`; the newcomer offers to
 * everyone the welcome lists, with the same two pre-negotiated channels the kit opens and
 * trickle ICE; nothing is validated, paced or retried.
 */
import type { Page } from "playwright-core";

export interface RawPeer {
  /** Epoch ms when the page was told to join. */
  joinStartedAt: number | null;
  join(code: string, name: string, version: number): void;
}

declare global {
  var edgeplayRawPeer: RawPeer | undefined;
}

export async function installRawPeer(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const field = (value: unknown, key: string): unknown =>
      typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
    const peer: RawPeer = {
      joinStartedAt: null,
      join(code, name, version) {
        peer.joinStartedAt = performance.timeOrigin + performance.now();
        const socket = new WebSocket(`ws://${location.host}/api/lobbies/${code}/ws`);
        const links = new Map<string, RTCPeerConnection>();
        const send = (to: string, data: unknown): void => {
          socket.send(JSON.stringify({ type: "signal", to, data }));
        };
        const link = (id: string): RTCPeerConnection => {
          const existing = links.get(id);
          if (existing) return existing;
          const pc = new RTCPeerConnection();
          links.set(id, pc);
          pc.createDataChannel("state", {
            negotiated: true,
            id: 0,
            ordered: false,
            maxRetransmits: 0,
          });
          pc.createDataChannel("events", { negotiated: true, id: 1 });
          pc.addEventListener("icecandidate", (event) => {
            if (event.candidate) send(id, { candidate: event.candidate.toJSON() });
          });
          return pc;
        };
        const offerTo = async (id: string): Promise<void> => {
          const pc = link(id);
          await pc.setLocalDescription();
          send(id, { description: pc.localDescription?.toJSON() });
        };
        const onSignal = async (from: string, data: unknown): Promise<void> => {
          const pc = link(from);
          const description = field(data, "description");
          const type = field(description, "type");
          const sdp = field(description, "sdp");
          const candidate = field(data, "candidate");
          const text = field(candidate, "candidate");
          if ((type === "offer" || type === "answer") && typeof sdp === "string") {
            await pc.setRemoteDescription({ type, sdp });
            if (pc.signalingState === "have-remote-offer") {
              await pc.setLocalDescription();
              send(from, { description: pc.localDescription?.toJSON() });
            }
          } else if (typeof text === "string") {
            const mid = field(candidate, "sdpMid");
            const index = field(candidate, "sdpMLineIndex");
            await pc.addIceCandidate({
              candidate: text,
              sdpMid: typeof mid === "string" ? mid : null,
              sdpMLineIndex: typeof index === "number" ? index : null,
            });
          }
        };
        socket.addEventListener("open", () => {
          socket.send(JSON.stringify({ type: "hello", v: version, name }));
        });
        socket.addEventListener("message", (event: MessageEvent<unknown>) => {
          if (typeof event.data !== "string") return;
          const message: unknown = JSON.parse(event.data);
          const type = field(message, "type");
          const peers = field(message, "peers");
          const from = field(message, "from");
          if (type === "welcome" && Array.isArray(peers)) {
            for (const entry of peers) {
              const id = field(entry, "id");
              if (typeof id === "string" && id !== field(message, "peerId")) void offerTo(id);
            }
          } else if (type === "signal" && typeof from === "string") {
            void onSignal(from, field(message, "data"));
          }
        });
      },
    };
    globalThis.edgeplayRawPeer = peer;
  });
}
