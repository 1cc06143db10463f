/**
 * ICE grants inside workerd: STUN from settings, coturn shared-secret credentials checked
 * against an HMAC computed outside this code, and Cloudflare TURN keys with the API's fetch
 * replaced per test (the real API is on the internet; its request and answer shapes follow
 * Cloudflare's documentation).
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import type { IceEnv } from "../../worker/ice/config.ts";
import { grantIceServers, refreshDueAt } from "../../worker/ice/grant.ts";

const NOW_MS = 1_700_000_000_000;
const HOUR_MS = 3_600_000;
const COTURN_SECRET = "edgeplay-test-secret";
const CF_KEY_ID = "0123456789abcdef0123456789abcdef";
const CF_TOKEN = "cf-token-that-must-stay-on-the-server";
const TURN_URLS =
  "turn:turn.example.net:3478?transport=udp,turn:turn.example.net:3478?transport=tcp";

/**
 * `printf '%s' 1700003600:peer_A1 | openssl dgst -sha1 -hmac edgeplay-test-secret -binary
 * | base64` (Node's createHmac gives the same): the credential coturn will expect.
 */
const KNOWN_VECTOR = {
  username: "1700003600:peer_A1",
  credential: "7jtMAbOYfzSb/3oOzTU3xelyajc=",
} as const;

/** The documented 201 answer of generate-ice-servers. */
const CLOUDFLARE_ANSWER = {
  iceServers: [
    { urls: ["stun:stun.cloudflare.com:3478", "stun:stun.cloudflare.com:53"] },
    {
      urls: [
        "turn:turn.cloudflare.com:3478?transport=udp",
        "turn:turn.cloudflare.com:53?transport=udp",
        "turn:turn.cloudflare.com:3478?transport=tcp",
        "turn:turn.cloudflare.com:80?transport=tcp",
        "turns:turn.cloudflare.com:5349?transport=tcp",
        "turns:turn.cloudflare.com:443?transport=tcp",
      ],
      username:
        "bc91b63e2b5d759f8eb9f3b58062439e0a0e15893d76317d833265ad08d6631099ce7c7087caabb31ad3e1c386424e3e",
      credential:
        "ebd71f1d3edbc2b0edae3cd5a6d82284aeb5c3b8fdaa9b8e3bf9cec683e0d45fe9f5b44e5145db3300f06c250a15b4a0",
    },
  ],
};

const CLOUDFLARE_ENV: IceEnv = {
  STUN_URLS: "stun:stun.example.net:3478",
  CF_TURN_KEY_ID: CF_KEY_ID,
  CF_TURN_API_TOKEN: CF_TOKEN,
};

interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly authorization: string | null;
  readonly contentType: string | null;
  readonly body: unknown;
}

let logs: MockInstance[];

beforeEach(() => {
  logs = [vi.spyOn(console, "warn"), vi.spyOn(console, "error")].map((spy) =>
    spy.mockImplementation(() => undefined),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything written to the log during the test. */
function logged(): string {
  return logs.flatMap((spy) => spy.mock.calls.map((call) => call.join(" "))).join("\n");
}

/** Replaces `fetch` for this test; records each request the grant makes. */
function answerFetch(answer: (request: Request) => Promise<Response>): SeenRequest[] {
  const seen: SeenRequest[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    seen.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get("authorization"),
      contentType: request.headers.get("content-type"),
      body: text === "" ? null : JSON.parse(text),
    });
    return answer(request);
  });
  return seen;
}

function jsonResponse(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function expectNoSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of [COTURN_SECRET, CF_TOKEN, CF_KEY_ID]) expect(text).not.toContain(secret);
}

describe("STUN", () => {
  it("hands out nothing when nothing is configured (no hard-coded servers)", async () => {
    expect(await grantIceServers({}, "peer_A1", NOW_MS)).toEqual({
      iceServers: [],
      expiresAt: null,
    });
  });

  it("hands out the configured STUN URLs, with no expiry", async () => {
    const grant = await grantIceServers(
      {
        STUN_URLS: " stun:stun.example.net:3478 , stuns:stun.example.net ,stun:[2001:db8::1]:3478",
      },
      "peer_A1",
      NOW_MS,
    );
    expect(grant).toEqual({
      iceServers: [
        {
          urls: ["stun:stun.example.net:3478", "stuns:stun.example.net", "stun:[2001:db8::1]:3478"],
        },
      ],
      expiresAt: null,
    });
  });

  it("drops URLs a browser would reject, and says so in the log", async () => {
    const grant = await grantIceServers(
      {
        STUN_URLS:
          "stun:ok.example.net,https://stun.example.net,turn:t.example.net,stun:x.example.net?transport=udp,stun:bad port:1",
      },
      "peer_A1",
      NOW_MS,
    );
    expect(grant.iceServers).toEqual([{ urls: ["stun:ok.example.net"] }]);
    expect(logged()).toContain("STUN_URLS: ignored 4 URL(s)");
  });
});

describe("coturn shared secret (TURN_URLS + TURN_SECRET)", () => {
  const coturnEnv: IceEnv = { TURN_URLS, TURN_SECRET: COTURN_SECRET };

  it("mints the credential coturn expects: `<expiry>:<peer>` and base64(HMAC-SHA1)", async () => {
    const grant = await grantIceServers(coturnEnv, "peer_A1", NOW_MS);
    expect(grant.iceServers).toEqual([
      {
        urls: [
          "turn:turn.example.net:3478?transport=udp",
          "turn:turn.example.net:3478?transport=tcp",
        ],
        ...KNOWN_VECTOR,
      },
    ]);
  });

  it("expires after the default TTL of one hour", async () => {
    const grant = await grantIceServers(coturnEnv, "peer_A1", NOW_MS);
    expect(grant.expiresAt).toBe(NOW_MS + HOUR_MS);
  });

  it("uses TURN_TTL_SECONDS, and reports the whole second coturn enforces", async () => {
    const now = NOW_MS + 999;
    const grant = await grantIceServers({ ...coturnEnv, TURN_TTL_SECONDS: "600" }, "peer_B2", now);
    expect(grant.expiresAt).toBe(NOW_MS + 600_000);
    const turn = grant.iceServers.at(-1);
    expect(turn?.username).toBe(`${(NOW_MS + 600_000) / 1000}:peer_B2`);
  });

  it("falls back to the default TTL for a TTL that is not a positive integer", async () => {
    for (const ttl of ["", "abc", "0", "-60", "1.5"]) {
      const grant = await grantIceServers(
        { ...coturnEnv, TURN_TTL_SECONDS: ttl },
        "peer_A1",
        NOW_MS,
      );
      expect(grant.expiresAt, `TTL ${JSON.stringify(ttl)}`).toBe(NOW_MS + HOUR_MS);
    }
  });

  it("gives each peer its own credential", async () => {
    const a = await grantIceServers(coturnEnv, "peer_A1", NOW_MS);
    const b = await grantIceServers(coturnEnv, "peer_B2", NOW_MS);
    expect(a.iceServers[0]?.credential).not.toBe(b.iceServers[0]?.credential);
  });

  it("puts the STUN URLs first", async () => {
    const grant = await grantIceServers(
      { ...coturnEnv, STUN_URLS: "stun:stun.example.net" },
      "peer_A1",
      NOW_MS,
    );
    expect(grant.iceServers.map((server) => server.urls)).toEqual([
      ["stun:stun.example.net"],
      ["turn:turn.example.net:3478?transport=udp", "turn:turn.example.net:3478?transport=tcp"],
    ]);
  });

  it("hands out no TURN when half configured, and never the secret", async () => {
    for (const env of [
      { TURN_URLS },
      { TURN_SECRET: COTURN_SECRET },
      { TURN_URLS: "stun:x.example.net", TURN_SECRET: COTURN_SECRET },
    ]) {
      const grant = await grantIceServers(env, "peer_A1", NOW_MS);
      expect(grant).toEqual({ iceServers: [], expiresAt: null });
    }
    expect(logged()).toContain("TURN_URLS is set without TURN_SECRET");
    expect(logged()).toContain("TURN_SECRET is set without TURN_URLS");
    expectNoSecrets(logged());
  });

  it("never puts the secret into what the client receives", async () => {
    expectNoSecrets(await grantIceServers(coturnEnv, "peer_A1", NOW_MS));
  });
});

describe("Cloudflare TURN key (CF_TURN_KEY_ID + CF_TURN_API_TOKEN)", () => {
  it("asks the API with the bearer token and the TTL, and passes the credentials on", async () => {
    const seen = answerFetch(async () => jsonResponse(CLOUDFLARE_ANSWER, 201));
    const grant = await grantIceServers(CLOUDFLARE_ENV, "peer_A1", NOW_MS);

    expect(seen).toEqual([
      {
        url: `https://rtc.live.cloudflare.com/v1/turn/keys/${CF_KEY_ID}/credentials/generate-ice-servers`,
        method: "POST",
        authorization: `Bearer ${CF_TOKEN}`,
        contentType: "application/json",
        body: { ttl: 3600 },
      },
    ]);
    expect(grant.expiresAt).toBe(NOW_MS + HOUR_MS);
    const cfTurn = CLOUDFLARE_ANSWER.iceServers[1];
    expect(grant.iceServers).toEqual([
      { urls: ["stun:stun.example.net:3478"] },
      // Port 53 alternates are dropped: browsers cannot use them.
      { urls: ["stun:stun.cloudflare.com:3478"] },
      {
        urls: [
          "turn:turn.cloudflare.com:3478?transport=udp",
          "turn:turn.cloudflare.com:3478?transport=tcp",
          "turn:turn.cloudflare.com:80?transport=tcp",
          "turns:turn.cloudflare.com:5349?transport=tcp",
          "turns:turn.cloudflare.com:443?transport=tcp",
        ],
        username: cfTurn?.username,
        credential: cfTurn?.credential,
      },
    ]);
    expectNoSecrets(grant);
  });

  it("uses TURN_TTL_SECONDS, capped at Cloudflare's 48-hour maximum", async () => {
    const seen = answerFetch(async () => jsonResponse(CLOUDFLARE_ANSWER, 201));
    const short = await grantIceServers(
      { ...CLOUDFLARE_ENV, TURN_TTL_SECONDS: "900" },
      "p",
      NOW_MS,
    );
    const long = await grantIceServers(
      { ...CLOUDFLARE_ENV, TURN_TTL_SECONDS: "604800" },
      "p",
      NOW_MS,
    );
    expect(seen.map((request) => request.body)).toEqual([{ ttl: 900 }, { ttl: 172_800 }]);
    expect(short.expiresAt).toBe(NOW_MS + 900_000);
    expect(long.expiresAt).toBe(NOW_MS + 172_800_000);
  });

  it("goes to CF_TURN_API_URL when set, and escapes the key id in the path", async () => {
    const seen = answerFetch(async () => jsonResponse(CLOUDFLARE_ANSWER, 201));
    await grantIceServers(
      { ...CLOUDFLARE_ENV, CF_TURN_KEY_ID: "key/../x", CF_TURN_API_URL: "http://127.0.0.1:9/v1/" },
      "peer_A1",
      NOW_MS,
    );
    expect(seen[0]?.url).toBe(
      "http://127.0.0.1:9/v1/turn/keys/key%2F..%2Fx/credentials/generate-ice-servers",
    );
  });

  const failures: readonly [string, (request: Request) => Promise<Response>][] = [
    [
      "HTTP 500",
      async () =>
        jsonResponse({ success: false, errors: [{ message: `bad token ${CF_TOKEN}` }] }, 500),
    ],
    ["HTTP 401", async () => new Response("unauthorized", { status: 401 })],
    [
      "an answer that is not JSON",
      async () => new Response("<html>gateway</html>", { status: 201 }),
    ],
    ["iceServers that is not a list", async () => jsonResponse({ iceServers: "nope" }, 201)],
    ["an empty list", async () => jsonResponse({ iceServers: [] }, 201)],
    [
      "no server with credentials",
      async () => jsonResponse({ iceServers: [{ urls: ["turn:turn.cloudflare.com:3478"] }] }, 201),
    ],
    [
      "a URL that is not STUN/TURN",
      async () =>
        jsonResponse(
          { iceServers: [{ urls: "https://evil.example", username: "u", credential: "c" }] },
          201,
        ),
    ],
    [
      "a credential that is not a string",
      async () =>
        jsonResponse(
          { iceServers: [{ urls: "turn:turn.cloudflare.com:3478", username: "u", credential: 7 }] },
          201,
        ),
    ],
    [
      "only port 53 TURN URLs, which browsers cannot use",
      async () =>
        jsonResponse(
          {
            iceServers: [
              { urls: ["stun:stun.cloudflare.com:3478"] },
              {
                urls: ["turn:turn.cloudflare.com:53?transport=udp"],
                username: "u",
                credential: "c",
              },
            ],
          },
          201,
        ),
    ],
    [
      "a network error",
      async () => {
        throw new TypeError(`connect failed to ${CF_TOKEN}`);
      },
    ],
  ];

  for (const [what, answer] of failures) {
    it(`falls back to STUN only on ${what}, with nothing secret in the grant or the log`, async () => {
      answerFetch(answer);
      const grant = await grantIceServers(CLOUDFLARE_ENV, "peer_A1", NOW_MS);
      expect(grant).toEqual({
        iceServers: [{ urls: ["stun:stun.example.net:3478"] }],
        expiresAt: null,
      });
      expect(logged()).toContain("Cloudflare TURN unavailable");
      expect(logged()).toContain("handing out STUN only");
      expectNoSecrets(grant);
      expectNoSecrets(logged());
    });
  }

  it("gives up after the timeout instead of holding the join", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const started = Date.now();
    const grant = await grantIceServers(CLOUDFLARE_ENV, "peer_A1", NOW_MS, {
      cloudflareTimeoutMs: 100,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(grant).toEqual({
      iceServers: [{ urls: ["stun:stun.example.net:3478"] }],
      expiresAt: null,
    });
    expect(logged()).toContain("no answer within 100 ms");
  });

  it("needs both the key id and the token", async () => {
    const seen = answerFetch(async () => jsonResponse(CLOUDFLARE_ANSWER, 201));
    const grant = await grantIceServers({ CF_TURN_KEY_ID: CF_KEY_ID }, "peer_A1", NOW_MS);
    expect(seen).toEqual([]);
    expect(grant).toEqual({ iceServers: [], expiresAt: null });
    expect(logged()).toContain("CF_TURN_KEY_ID and CF_TURN_API_TOKEN must be set together");
  });
});

describe("both sources configured", () => {
  const bothEnv: IceEnv = { ...CLOUDFLARE_ENV, TURN_URLS, TURN_SECRET: COTURN_SECRET };

  it("uses the Cloudflare key", async () => {
    const seen = answerFetch(async () => jsonResponse(CLOUDFLARE_ANSWER, 201));
    const grant = await grantIceServers(bothEnv, "peer_A1", NOW_MS);
    expect(seen).toHaveLength(1);
    expect(grant.iceServers.at(-1)?.username).toBe(CLOUDFLARE_ANSWER.iceServers[1]?.username);
  });

  it("falls back to coturn credentials when Cloudflare's API fails", async () => {
    answerFetch(async () => new Response("down", { status: 503 }));
    const grant = await grantIceServers(bothEnv, "peer_A1", NOW_MS);
    expect(grant.expiresAt).toBe(NOW_MS + HOUR_MS);
    expect(grant.iceServers.at(-1)).toEqual({
      urls: [
        "turn:turn.example.net:3478?transport=udp",
        "turn:turn.example.net:3478?transport=tcp",
      ],
      ...KNOWN_VECTOR,
    });
    expect(logged()).toContain("handing out coturn credentials");
    expectNoSecrets(grant);
  });
});

describe("refreshDueAt", () => {
  it("is due after 80% of the lifetime", () => {
    expect(refreshDueAt(NOW_MS + HOUR_MS, HOUR_MS)).toBe(NOW_MS + 0.8 * HOUR_MS);
  });

  it("is never due when nothing expires", () => {
    expect(refreshDueAt(null, HOUR_MS)).toBeNull();
  });
});
