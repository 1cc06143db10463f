/**
 * An observation-only page probe for the join bench, installed before any page script runs:
 * when the lobby socket was created, opened and got its `welcome`, when the page first set an
 * offer (its own or a peer's), and when each RTCPeerConnection had both its `state` and `events`
 * channels open. It works the same on the game's pages and on the raw WebRTC pages, so both
 * targets are timed by one clock and one rule. Times are epoch ms
 * (`performance.timeOrigin + performance.now()`).
 */
import type { Page } from "playwright-core";

export interface JoinTimeline {
  readonly socketCreatedAt: number | null;
  readonly socketOpenAt: number | null;
  readonly welcomeAt: number | null;
  /** When the page was next free after handling `welcome` (what the page did with it). */
  readonly welcomeHandledAt: number | null;
  /** The first offer this page set, local or remote. */
  readonly firstOfferAt: number | null;
  /** One entry per connection whose `state` and `events` channels have both opened. */
  readonly pairsOpenAt: readonly number[];
}

interface ProbeState {
  socketCreatedAt: number | null;
  socketOpenAt: number | null;
  welcomeAt: number | null;
  welcomeHandledAt: number | null;
  firstOfferAt: number | null;
  readonly channelOpen: Map<RTCPeerConnection, Map<string, number>>;
}

declare global {
  var edgeplayJoinProbe: ProbeState | undefined;
}

export async function installJoinProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const now = (): number => performance.timeOrigin + performance.now();
    const probe: ProbeState = {
      socketCreatedAt: null,
      socketOpenAt: null,
      welcomeAt: null,
      welcomeHandledAt: null,
      firstOfferAt: null,
      channelOpen: new Map(),
    };
    globalThis.edgeplayJoinProbe = probe;
    const OriginalSocket = WebSocket;
    class TimedSocket extends OriginalSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        if (!String(url).includes("/api/lobbies/")) return;
        probe.socketCreatedAt ??= now();
        this.addEventListener("open", () => {
          probe.socketOpenAt ??= now();
        });
        this.addEventListener("message", (event: MessageEvent<unknown>) => {
          if (probe.welcomeAt === null && typeof event.data === "string") {
            if (!event.data.startsWith('{"type":"welcome"')) return;
            probe.welcomeAt = now();
            // Runs once the task that delivers `welcome` (and the page's handlers) is over.
            setTimeout(() => {
              probe.welcomeHandledAt = now();
            }, 0);
          }
        });
      }
    }
    globalThis.WebSocket = TimedSocket;
    const offerSeen = (description: RTCSessionDescriptionInit | null | undefined): void => {
      if (description?.type === "offer") probe.firstOfferAt ??= now();
    };
    const proto = RTCPeerConnection.prototype;
    const setLocal = proto.setLocalDescription;
    proto.setLocalDescription = async function (
      this: RTCPeerConnection,
      description?: RTCLocalSessionDescriptionInit,
    ): Promise<void> {
      await Reflect.apply(setLocal, this, description === undefined ? [] : [description]);
      offerSeen(this.localDescription);
    };
    const setRemote = proto.setRemoteDescription;
    proto.setRemoteDescription = async function (
      this: RTCPeerConnection,
      description: RTCSessionDescriptionInit,
    ): Promise<void> {
      offerSeen(description);
      await Reflect.apply(setRemote, this, [description]);
    };
    const createChannel = proto.createDataChannel;
    proto.createDataChannel = function (
      this: RTCPeerConnection,
      label: string,
      init?: RTCDataChannelInit,
    ): RTCDataChannel {
      const channel: RTCDataChannel = Reflect.apply(createChannel, this, [label, init]);
      const opened = probe.channelOpen.get(this) ?? new Map<string, number>();
      probe.channelOpen.set(this, opened);
      channel.addEventListener("open", () => {
        if (!opened.has(label)) opened.set(label, now());
      });
      return channel;
    };
  });
}

export async function readJoinTimeline(page: Page): Promise<JoinTimeline> {
  return page.evaluate(() => {
    const probe = globalThis.edgeplayJoinProbe;
    if (!probe) throw new Error("the join probe is not installed");
    const pairsOpenAt: number[] = [];
    for (const opened of probe.channelOpen.values()) {
      const state = opened.get("state");
      const events = opened.get("events");
      if (state !== undefined && events !== undefined) pairsOpenAt.push(Math.max(state, events));
    }
    return {
      socketCreatedAt: probe.socketCreatedAt,
      socketOpenAt: probe.socketOpenAt,
      welcomeAt: probe.welcomeAt,
      welcomeHandledAt: probe.welcomeHandledAt,
      firstOfferAt: probe.firstOfferAt,
      pairsOpenAt,
    };
  });
}

/** Waits until the page has `pairs` connections with both channels open. */
export async function waitForPairs(page: Page, pairs: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const probe = globalThis.edgeplayJoinProbe;
      if (!probe) return false;
      let open = 0;
      for (const opened of probe.channelOpen.values()) {
        if (opened.has("state") && opened.has("events")) open++;
      }
      return open >= expected;
    },
    pairs,
    { polling: 20, timeout: timeoutMs },
  );
}
