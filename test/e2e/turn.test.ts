/**
 * TURN end to end: a real coturn, the real worker (wrangler dev) minting credentials into
 * `welcome`, and two Chromium pages that may only use relay candidates
 * (`iceTransportPolicy: "relay"`), so a data channel opens only through coturn.
 */
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, JSHandle, Page } from "playwright-core";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/chromium.ts";
import { COTURN_HOST, type Coturn, startCoturn, TURNSERVER_PATH } from "../../scripts/coturn.ts";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { CreatedLobbySchema } from "../../shared/api.ts";
import {
  type IceServer,
  PROTOCOL_VERSION,
  parseServerMessage,
  type Welcome,
} from "../../shared/protocol.ts";
import { mintCoturnCredential } from "../../worker/ice/coturn.ts";

// Without coturn a developer may skip (loudly); CI must fail, with startCoturn's install hint.
const coturnMissing = !existsSync(TURNSERVER_PATH) && !process.env["CI"];
if (coturnMissing) {
  console.warn(`SKIPPING TURN tests: no coturn at ${TURNSERVER_PATH} (apt-get install -y coturn)`);
}

/** What each page keeps: its connection, and everything ICE and the channel report. */
interface PagePeer {
  readonly pc: RTCPeerConnection;
  readonly channel: RTCDataChannel;
  readonly candidates: RTCIceCandidateInit[];
  readonly errors: { errorCode: number; errorText: string; url: string }[];
  readonly received: string[];
}

interface SelectedPair {
  readonly state: string;
  readonly localType: string;
  readonly localRelayProtocol: string;
  readonly remoteType: string;
}

describe.skipIf(coturnMissing)("TURN through a real coturn", () => {
  let coturn: Coturn;
  let browser: Browser;

  beforeAll(async () => {
    coturn = await startCoturn();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await coturn?.stop();
  });

  /** A blank page in its own context: WebRTC needs no document, and the game would only add load. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  /** Two relay-only pages with these grants exchange a message; both sides use a relay pair. */
  async function connectThroughTurn(
    grants: readonly [Welcome, Welcome],
    transport: "udp" | "tcp",
  ): Promise<void> {
    const [a, b] = await Promise.all(
      grants.map(async (welcome) =>
        createPeer(await newPage(), onlyTransport(welcome.iceServers, transport)),
      ),
    );
    if (!a || !b) throw new Error("expected two peers");
    await negotiate(a, b);
    await a.evaluate((peer) => peer.channel.send("hello through coturn"));
    await expect
      .poll(() => b.evaluate((peer) => peer.received), { timeout: 5000 })
      .toEqual(["hello through coturn"]);
    // Data already flows; the pair's stats can still read "in-progress" for a moment.
    for (const peer of [a, b]) {
      await expect
        .poll(() => selectedPair(peer), { timeout: 5000 })
        .toEqual({
          state: "succeeded",
          localType: "relay",
          localRelayProtocol: transport,
          remoteType: "relay",
        });
    }
    for (const welcome of grants) await expectCoturnAllocated(coturn, welcome);
  }

  describe("coturn shared secret (TURN_URLS + TURN_SECRET)", () => {
    let server: LocalServer;
    let persistTo: string;

    beforeAll(async () => {
      persistTo = await mkdtemp(join(tmpdir(), "edgeplay-turn-"));
      server = await startLocalServer({ persistTo, vars: coturn.workerVars });
    });

    afterAll(async () => {
      await server?.stop();
      if (persistTo) await rm(persistTo, { recursive: true, force: true });
    });

    it("welcome carries coturn credentials minted for this peer", async () => {
      const welcome = await joinLobby(server.url, "Alice");
      const turn = welcome.iceServers.find((s) => s.username !== undefined);
      expect(turn?.urls).toEqual([coturn.udpUrl, coturn.tcpUrl]);
      expect(turn?.username).toBe(`${(welcome.iceServersExpireAt ?? 0) / 1000}:${welcome.peerId}`);
      expect(welcome.iceServersExpireAt).toBeGreaterThan(Date.now() + 3_500_000);
      expect(JSON.stringify(welcome)).not.toContain(coturn.secret);
    });

    for (const transport of ["udp", "tcp"] as const) {
      it(`connects two pages over TURN/${transport} with credentials from welcome`, async () => {
        const grants = await Promise.all([
          joinLobby(server.url, "Alice"),
          joinLobby(server.url, "Bob"),
        ]);
        await connectThroughTurn(grants, transport);
      });
    }

    it("gathers a relay candidate with a fresh credential (control for the refusals below)", async () => {
      const credential = await mintCoturnCredential(coturn.secret, "fresh", Date.now() + 600_000);
      const gathered = await gather(await newPage(), [{ urls: coturn.udpUrl, ...credential }]);
      expect(gathered.relayCandidates).toBeGreaterThan(0);
      expect(gathered.errorCodes).toEqual([]);
    });

    it("refuses an expired credential: no relay candidate, error 401", async () => {
      const expired = await mintCoturnCredential(coturn.secret, "expired", Date.now() - 60_000);
      const gathered = await gather(await newPage(), [{ urls: coturn.udpUrl, ...expired }]);
      expect(gathered.relayCandidates).toBe(0);
      expect(gathered.errorCodes).toContain(401);
      await expectCoturnRefused(coturn, expired.username);
    });

    it("refuses a credential signed with the wrong secret: no relay candidate, error 401", async () => {
      const forged = await mintCoturnCredential("not-the-secret", "forged", Date.now() + 600_000);
      const gathered = await gather(await newPage(), [{ urls: coturn.udpUrl, ...forged }]);
      expect(gathered.relayCandidates).toBe(0);
      expect(gathered.errorCodes).toContain(401);
      await expectCoturnRefused(coturn, forged.username);
    });
  });

  // Cloudflare's API is on the internet: a stand-in on 127.0.0.1 (CF_TURN_API_URL) answers in
  // its documented shape, with credentials for the real coturn, so the path runs end to end.
  describe("Cloudflare TURN key (CF_TURN_KEY_ID + CF_TURN_API_TOKEN, API stand-in)", () => {
    let api: CloudflareStandIn;
    let server: LocalServer;
    let persistTo: string;

    beforeAll(async () => {
      api = await startCloudflareStandIn(coturn);
      persistTo = await mkdtemp(join(tmpdir(), "edgeplay-turn-cf-"));
      server = await startLocalServer({
        persistTo,
        vars: {
          STUN_URLS: `stun:${COTURN_HOST}:${coturn.port}`,
          CF_TURN_KEY_ID: CF_KEY_ID,
          CF_TURN_API_TOKEN: CF_TOKEN,
          CF_TURN_API_URL: `${api.url}/v1`,
          TURN_TTL_SECONDS: "900",
        },
      });
    });

    afterAll(async () => {
      await server?.stop();
      await api?.stop();
      if (persistTo) await rm(persistTo, { recursive: true, force: true });
    });

    it("mints through the API with the bearer token and TTL, and the credentials relay", async () => {
      api.failWith = null;
      const grants = await Promise.all([
        joinLobby(server.url, "Alice"),
        joinLobby(server.url, "Bob"),
      ]);
      expect(api.requests.splice(0)).toEqual([
        { path: `/v1/turn/keys/${CF_KEY_ID}/credentials/generate-ice-servers`, ...API_REQUEST },
        { path: `/v1/turn/keys/${CF_KEY_ID}/credentials/generate-ice-servers`, ...API_REQUEST },
      ]);
      for (const welcome of grants) {
        expect(welcome.iceServers[0]).toEqual({ urls: [`stun:${COTURN_HOST}:${coturn.port}`] });
        expect(welcome.iceServers[1]?.urls).toEqual([coturn.udpUrl, coturn.tcpUrl]);
        expect(welcome.iceServersExpireAt).toBeGreaterThan(Date.now() + 800_000);
        expect(JSON.stringify(welcome)).not.toContain(CF_TOKEN);
      }
      await connectThroughTurn(grants, "udp");
    });

    it("still welcomes players, with STUN only, when the API fails", async () => {
      api.failWith = 500;
      const welcome = await joinLobby(server.url, "Carol");
      expect(welcome.iceServers).toEqual([{ urls: [`stun:${COTURN_HOST}:${coturn.port}`] }]);
      expect(welcome.iceServersExpireAt).toBeNull();
      expect(JSON.stringify(welcome)).not.toContain(CF_TOKEN);
      expect(JSON.stringify(welcome)).not.toContain(API_FAILURE_DETAIL);
    });
  });
});

/** Creates a lobby over HTTP and joins it from Node, the way the game does. */
async function joinLobby(origin: string, name: string): Promise<Welcome> {
  const created = await fetch(`${origin}/api/lobbies`, { method: "POST" });
  expect(created.status).toBe(201);
  const { code } = v.parse(CreatedLobbySchema, await created.json());
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/lobbies/${code}/ws`);
  try {
    return await new Promise<Welcome>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no welcome within 10 s")), 10_000);
      ws.addEventListener("open", () => {
        ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name }));
      });
      ws.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        const parsed = parseServerMessage(event.data);
        if (!parsed.ok) {
          reject(new Error(`invalid frame from the lobby: ${parsed.detail}`));
        } else if (parsed.message.type === "welcome") {
          clearTimeout(timer);
          resolve(parsed.message);
        }
      });
      ws.addEventListener("close", (event) => {
        reject(new Error(`socket closed before welcome: ${event.code} ${event.reason}`));
      });
    });
  } finally {
    ws.close();
  }
}

/** coturn's own word that it allocated a relay for this peer's minted username. */
async function expectCoturnAllocated(coturn: Coturn, welcome: Welcome): Promise<void> {
  const username = welcome.iceServers.find((s) => s.username !== undefined)?.username;
  expect(username).toBeDefined();
  await expect
    .poll(() => coturn.log(), { timeout: 5000 })
    .toContain(`user <${username}>: incoming packet ALLOCATE processed, success`);
}

/** coturn's own word that it refused this username. */
async function expectCoturnRefused(coturn: Coturn, username: string): Promise<void> {
  await expect
    .poll(() => coturn.log(), { timeout: 5000 })
    .toContain(`user <${username}>: incoming packet message processed, error 401`);
}

const CF_KEY_ID = "e2e0123456789abcdef0123456789abc";
const CF_TOKEN = "e2e-token-that-must-stay-on-the-server";
const API_REQUEST = {
  method: "POST",
  authorization: `Bearer ${CF_TOKEN}`,
  body: { ttl: 900 },
} as const;
const API_FAILURE_DETAIL = "stand-in failure detail";

interface CloudflareStandIn {
  readonly url: string;
  readonly requests: { path: string; method: string; authorization: string; body: unknown }[];
  /** An HTTP status to fail with, or null to answer like Cloudflare does. */
  failWith: number | null;
  stop(): Promise<void>;
}

/** Answers generate-ice-servers like Cloudflare (201, `{ iceServers }`) with coturn credentials. */
async function startCloudflareStandIn(coturn: Coturn): Promise<CloudflareStandIn> {
  const http = createServer();
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const address = http.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const standIn: CloudflareStandIn = {
    url: `http://127.0.0.1:${address.port}`,
    requests: [],
    failWith: null,
    async stop() {
      http.closeAllConnections();
      http.close();
      await once(http, "close");
    },
  };
  http.on("request", async (request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    for await (const chunk of request) text += String(chunk);
    standIn.requests.push({
      path: request.url ?? "",
      method: request.method ?? "",
      authorization: request.headers.authorization ?? "",
      body: parseJsonOrText(text),
    });
    if (standIn.failWith !== null) {
      response.writeHead(standIn.failWith, { "content-type": "application/json" });
      response.end(JSON.stringify({ success: false, errors: [{ message: API_FAILURE_DETAIL }] }));
      return;
    }
    const minted = await mintCoturnCredential(coturn.secret, "cf", Date.now() + 900_000);
    response.writeHead(201, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        iceServers: [
          // A port 53 alternate, as Cloudflare lists them; the worker must drop it.
          {
            urls: [coturn.udpUrl, `turn:${COTURN_HOST}:53?transport=udp`, coturn.tcpUrl],
            ...minted,
          },
        ],
      }),
    );
  });
  return standIn;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The TURN entries of a grant, keeping only URLs of one transport. */
function onlyTransport(servers: readonly IceServer[], transport: "udp" | "tcp"): IceServer[] {
  return servers.flatMap((server) => {
    if (server.username === undefined) return [];
    const urls = (typeof server.urls === "string" ? [server.urls] : server.urls).filter((url) =>
      url.endsWith(`?transport=${transport}`),
    );
    return urls.length > 0 ? [{ ...server, urls }] : [];
  });
}

/** A relay-only RTCPeerConnection in the page, with a pre-negotiated data channel. */
function createPeer(page: Page, iceServers: IceServer[]): Promise<JSHandle<PagePeer>> {
  return page.evaluateHandle((servers) => {
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: "relay" });
    const peer: PagePeer = {
      pc,
      channel: pc.createDataChannel("test", { negotiated: true, id: 0 }),
      candidates: [],
      errors: [],
      received: [],
    };
    pc.addEventListener("icecandidate", (event) => {
      if (event.candidate) peer.candidates.push(event.candidate.toJSON());
    });
    pc.addEventListener("icecandidateerror", (event) => {
      peer.errors.push({ errorCode: event.errorCode, errorText: event.errorText, url: event.url });
    });
    peer.channel.addEventListener("message", (event) => {
      if (typeof event.data === "string") peer.received.push(event.data);
    });
    return peer;
  }, iceServers.map(toRtcIceServer));
}

/** The protocol's optional fields may be `undefined`; RTCIceServer's must be absent instead. */
function toRtcIceServer({ urls, username, credential }: IceServer): RTCIceServer {
  return {
    urls,
    ...(username === undefined ? {} : { username }),
    ...(credential === undefined ? {} : { credential }),
  };
}

/** Offer, answer and trickled candidates, carried by Node, until both channels are open. */
async function negotiate(a: JSHandle<PagePeer>, b: JSHandle<PagePeer>): Promise<void> {
  const offer = await a.evaluate(async (peer) => {
    await peer.pc.setLocalDescription();
    return peer.pc.localDescription?.toJSON();
  });
  const answer = await b.evaluate(async (peer, description) => {
    await peer.pc.setRemoteDescription(description ?? { type: "offer" });
    await peer.pc.setLocalDescription();
    return peer.pc.localDescription?.toJSON();
  }, offer);
  await a.evaluate(
    (peer, description) => peer.pc.setRemoteDescription(description ?? { type: "answer" }),
    answer,
  );

  const deadline = Date.now() + 20_000;
  for (;;) {
    await forwardCandidates(a, b);
    await forwardCandidates(b, a);
    const open = await Promise.all(
      [a, b].map((p) => p.evaluate((peer) => peer.channel.readyState)),
    );
    if (open.every((state) => state === "open")) return;
    if (Date.now() > deadline) {
      const states = await Promise.all(
        [a, b].map((p) =>
          p.evaluate((peer) => ({
            ice: peer.pc.iceConnectionState,
            candidates: peer.candidates.map((c) => c.candidate),
            errors: peer.errors,
          })),
        ),
      );
      throw new Error(`channels did not open over TURN: ${JSON.stringify(states, null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function forwardCandidates(from: JSHandle<PagePeer>, to: JSHandle<PagePeer>): Promise<void> {
  const candidates = await from.evaluate((peer) => peer.candidates.splice(0));
  for (const candidate of candidates) {
    await to.evaluate((peer, init) => peer.pc.addIceCandidate(init), candidate);
  }
}

/** The candidate pair ICE chose, from `getStats()`. */
function selectedPair(peer: JSHandle<PagePeer>): Promise<SelectedPair | null> {
  return peer.evaluate(async ({ pc }) => {
    const stats = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((report: Record<string, unknown>) => {
      if (typeof report["id"] === "string") byId.set(report["id"], report);
    });
    const text = (report: Record<string, unknown> | undefined, key: string): string => {
      const value = report?.[key];
      return typeof value === "string" ? value : "";
    };
    const transport = [...byId.values()].find((r) => r["type"] === "transport");
    const pair = byId.get(text(transport, "selectedCandidatePairId"));
    if (!pair) return null;
    const local = byId.get(text(pair, "localCandidateId"));
    const remote = byId.get(text(pair, "remoteCandidateId"));
    return {
      state: text(pair, "state"),
      localType: text(local, "candidateType"),
      localRelayProtocol: text(local, "relayProtocol"),
      remoteType: text(remote, "candidateType"),
    };
  });
}

/** Gathers relay-only candidates in a page with these servers; counts relays and errors. */
async function gather(
  page: Page,
  iceServers: IceServer[],
): Promise<{ relayCandidates: number; errorCodes: number[] }> {
  const peer = await createPeer(page, iceServers);
  return peer.evaluate(async (p) => {
    const complete = new Promise<void>((resolve) => {
      p.pc.addEventListener("icegatheringstatechange", () => {
        if (p.pc.iceGatheringState === "complete") resolve();
      });
    });
    await p.pc.setLocalDescription();
    await Promise.race([complete, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    return {
      relayCandidates: p.candidates.filter((c) => c.candidate?.includes(" typ relay")).length,
      errorCodes: p.errors.map((e) => e.errorCode),
    };
  });
}
