/**
 * docs/protocol.md against the code: a client written from the document alone must
 * interoperate, so its examples must pass their schemas exactly and its tables of codes,
 * texts, advice and limits must say what the code does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { closeText } from "../../game/ui/connection-text.ts";
import {
  ApiErrorCode,
  ApiErrorSchema,
  CreatedLobbySchema,
  CreateLobbyRequestSchema,
  DirectoryListingSchema,
  LeaveLobbyRequestSchema,
  LobbyInfoSchema,
  QuickJoinRequestSchema,
  QuickJoinResultSchema,
} from "../../shared/api.ts";
import {
  CloseCode,
  COUNTED_ERRORS,
  closeAdvice,
  ERROR_MESSAGES,
  ErrorCode,
  LeaveReason,
} from "../../shared/codes.ts";
import * as limits from "../../shared/limits.ts";
import {
  ClientMessageSchema,
  IceServerSchema,
  LobbySettingsSchema,
  PeerInfoSchema,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  SignalDataSchema,
} from "../../shared/protocol.ts";
import { MAX_RELAY_FRAME_BYTES } from "../../shared/relay-frame.ts";
import { LISTING_CLIENT_MAX_AGE_SECONDS } from "../../worker/directory/policy.ts";

const ROOT = join(import.meta.dirname, "../..");
const DOC = readFileSync(join(ROOT, "docs/protocol.md"), "utf8");
const WRANGLER = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
const LINES = DOC.split("\n");

interface Example {
  readonly value: unknown;
  readonly line: number;
  /** The nearest `###` section above it, e.g. "5.2 Client → lobby". */
  readonly section: string;
  /** The nearest line of prose above it. */
  readonly intro: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  let section = "";
  for (let i = 0; i < LINES.length; i++) {
    const line = LINES[i] ?? "";
    const heading = /^#{2,3} (.*)$/.exec(line);
    if (heading) section = heading[1] ?? "";
    if (line.trim() !== "```json") continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < LINES.length && (LINES[i] ?? "").trim() !== "```"; i++) body.push(LINES[i] ?? "");
    const intro =
      LINES.slice(0, start)
        .reverse()
        .find((text) => text.trim() !== "" && !text.trim().startsWith("```")) ?? "";
    found.push({ value: JSON.parse(body.join("\n")), line: start + 1, section, intro });
  }
  return found;
}

/** Every field of `example` kept as it is: nothing the schema would drop, trim or change. */
function keptAsIs(example: unknown, output: unknown): boolean {
  if (typeof example !== "object" || example === null) return example === output;
  if (typeof output !== "object" || output === null) return false;
  if (Array.isArray(example)) {
    return (
      Array.isArray(output) &&
      example.length === output.length &&
      example.every((item, i) => keptAsIs(item, output[i]))
    );
  }
  const out = new Map(Object.entries(output));
  return Object.entries(example).every(
    ([key, value]) => out.has(key) && keptAsIs(value, out.get(key)),
  );
}

function passesExactly(schema: v.GenericSchema, value: unknown): boolean {
  const result = v.safeParse(schema, value);
  return result.success && keptAsIs(value, result.output);
}

const BODY_SCHEMAS: readonly v.GenericSchema[] = [
  CreateLobbyRequestSchema,
  CreatedLobbySchema,
  LobbyInfoSchema,
  DirectoryListingSchema,
  QuickJoinRequestSchema,
  QuickJoinResultSchema,
  LeaveLobbyRequestSchema,
  ApiErrorSchema,
  PeerInfoSchema,
  SignalDataSchema,
  LobbySettingsSchema,
  IceServerSchema,
];

/**
 * Which way a message example travels: from its section, or from the transcript's last arrow
 * before it ("B → lobby: … Lobby → A and B:" introduces what the lobby sends).
 */
function direction(example: Example): "client" | "server" | "either" {
  if (example.section.startsWith("5.2")) return "client";
  if (example.section.startsWith("5.3")) return "server";
  const up = example.intro.lastIndexOf("→ lobby");
  const down = example.intro.lastIndexOf("Lobby →");
  if (up < 0 && down < 0) return "either";
  return up > down ? "client" : "server";
}

/** The rows (as cells) of the Markdown table whose header row matches `header`. */
function table(header: RegExp): string[][] {
  const start = LINES.findIndex((line) => line.startsWith("|") && header.test(line));
  expect(start, `no table header matching ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 1; i < LINES.length && LINES[i]?.trim().startsWith("|"); i++) {
    const cells = (LINES[i] ?? "")
      .trim()
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim());
    if (!cells.every((cell) => /^-+$/.test(cell))) rows.push(cells);
  }
  return rows;
}

/** A line with the one before it: the document wraps, and a value may end the line above. */
function withLineBefore(index: number): string {
  return `${LINES[index - 1] ?? ""} ${LINES[index] ?? ""}`;
}

/** The text inside the first backtick span of a cell. */
function code(cell: string | undefined): string {
  return /`([^`]+)`/.exec(cell ?? "")?.[1] ?? "";
}

/** The ways the document writes a limit's value. */
function spellings(name: string, value: number): string[] {
  const written = [value.toLocaleString("en-US")];
  if (name.includes("_BYTES") && value % 1024 === 0) {
    written.push(
      value % (1024 * 1024) === 0 ? `${value / 1024 / 1024} MiB` : `${value / 1024} KiB`,
    );
  }
  if (name.endsWith("_MS")) written.push(`${value / 1000} seconds`, `${value / 1000} s`);
  return written;
}

describe("docs/protocol.md", () => {
  it("is about the protocol version the code speaks", () => {
    expect(DOC).toContain(`**protocol version ${PROTOCOL_VERSION}**`);
  });

  it("has examples that pass their schemas exactly, in the direction they are shown", () => {
    const all = examples();
    expect(all.length).toBeGreaterThan(30);
    for (const example of all) {
      const where = `line ${example.line}: ${JSON.stringify(example.value).slice(0, 80)}`;
      const value = example.value;
      const isMessage = typeof value === "object" && value !== null && "type" in value;
      if (!isMessage) {
        expect(
          BODY_SCHEMAS.some((schema) => passesExactly(schema, value)),
          where,
        ).toBe(true);
        continue;
      }
      const way = direction(example);
      const asClient = passesExactly(ClientMessageSchema, value);
      const asServer = passesExactly(ServerMessageSchema, value);
      if (way === "client") expect(asClient, where).toBe(true);
      else if (way === "server") expect(asServer, where).toBe(true);
      else expect(asClient || asServer, where).toBe(true);
      if ("v" in value) expect(value.v, where).toBe(PROTOCOL_VERSION);
    }
  });

  it("lists every error code once, with its exact text and whether it counts", () => {
    const rows = table(/^\| `code` +\| message text/);
    expect(rows.map((row) => code(row[0])).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const row of rows) {
      const known = Object.values(ErrorCode).find((c) => c === code(row[0]));
      if (known === undefined) continue;
      expect(row[1], known).toContain(ERROR_MESSAGES[known]);
      expect(row[3]?.startsWith("yes"), known).toBe(COUNTED_ERRORS.has(known));
    }
    const budget = DOC.slice(DOC.indexOf("**The error budget.**"));
    const counted = /> (`[a-z-]+`(?:, `[a-z-]+`)*)/.exec(budget)?.[1] ?? "";
    expect(counted.replaceAll("`", "").split(", ").sort()).toEqual([...COUNTED_ERRORS].sort());
  });

  it("names only real error codes wherever it says `error` `CODE`, with their own texts", () => {
    for (const match of DOC.matchAll(/`error` `([a-z-]+)`/g)) {
      expect(Object.values(ErrorCode)).toContain(match[1]);
    }
    const quoted = [
      ...DOC.replaceAll(/\s+/g, " ").matchAll(/`error` `([a-z-]+)` with the text `([^`]+)`/g),
    ];
    expect(quoted.length).toBeGreaterThan(0);
    for (const [, errorCode = "", text] of quoted) {
      const known = Object.values(ErrorCode).find((c) => c === errorCode);
      expect(known && ERROR_MESSAGES[known], errorCode).toBe(text);
    }
  });

  it("lists every close code once, with closeAdvice's retry and rejoin and the game's sentence", () => {
    const all = table(/^\| code \| reason string sent/);
    const rows = all.filter((row) => /^\d+$/.test(row[0] ?? ""));
    expect(rows.map((row) => Number(row[0])).sort()).toEqual([...Object.values(CloseCode)].sort());
    // The last row, "other (1006, …)", is what a client does for any code not listed.
    const other = all.find((row) => row[0]?.startsWith("other"));
    expect(other, "no row for other close codes").toBeDefined();
    const checked = rows.map((row): [string[], number] => [row, Number(row[0])]);
    if (other) checked.push([other, 1006]);
    for (const [row, code] of checked) {
      const advice = closeAdvice(code);
      expect(row[3], row[0]).toBe(advice.retry ? "yes" : "no");
      expect(row[4], row[0]).toBe(advice.rejoin ? "yes" : "no");
      expect(row[5], row[0]).toBe(closeText(code));
    }
  });

  it("uses only real close codes of edgeplay's own range", () => {
    for (const match of DOC.matchAll(/\b(4\d{3})\b/g)) {
      const number = Number(match[1]);
      if (number >= 4096) continue;
      expect(Object.values(CloseCode) as number[], `close code ${number}`).toContain(number);
    }
  });

  it("lists every reason a player leaves the roster", () => {
    const rows = table(/^\| `reason` +\| what happened/);
    expect(rows.map((row) => code(row[0])).sort()).toEqual(Object.values(LeaveReason).sort());
  });

  it("lists every HTTP error code the API answers with", () => {
    const rows = table(/^\| status +\| `error` +\| `message`/);
    const listed = new Set(rows.map((row) => code(row[1])).filter((c) => c !== ""));
    expect([...listed].sort()).toEqual(Object.values(ApiErrorCode).sort());
  });

  it("gives each limit it names the value the code has", () => {
    const numeric: [string, number][] = [["MAX_RELAY_FRAME_BYTES", MAX_RELAY_FRAME_BYTES]];
    const buckets: [string, limits.TokenBucketLimit][] = [];
    for (const [name, value] of Object.entries(limits)) {
      if (typeof value === "number") numeric.push([name, value]);
      else if (typeof value === "object") buckets.push([name, value]);
    }
    let checked = 0;
    for (const [index, own] of LINES.entries()) {
      const text = withLineBefore(index);
      for (const [name, value] of numeric) {
        if (!own.includes(`\`${name}\``)) continue;
        checked++;
        const written = spellings(name, value).some((spelling) => text.includes(spelling));
        expect(written, `${name} = ${value} in: ${text}`).toBe(true);
      }
      for (const [name, bucket] of buckets) {
        if (!own.includes(`\`${name}\``)) continue;
        checked++;
        const burst = spellings(name, bucket.capacity).map((written) => `burst of ${written}`);
        const refill = spellings(name, bucket.refillPerSecond).map((w) => `refilled at ${w}`);
        expect(
          burst.some((written) => text.includes(written)),
          `${name}: ${text}`,
        ).toBe(true);
        expect(
          refill.some((written) => text.includes(written)),
          `${name}: ${text}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("gives each rate limiter binding the limit wrangler.toml sets", () => {
    const binding =
      /name = "([A-Z_]+)"\s+namespace_id = "\d+"\s+simple = \{ limit = (\d+), period = (\d+) \}/g;
    // Each environment repeats the three (check:deploy keeps the copies equal).
    const bindings = [...WRANGLER.matchAll(binding)];
    expect(new Set(bindings.map(([, name]) => name)).size).toBe(3);
    for (const [, name = "", limit = "", period = ""] of bindings) {
      const periods = [`${period} s`, `${period} seconds`, ...(period === "60" ? ["minute"] : [])];
      const rate = new RegExp(
        `\\b${limit} [a-zA-Z ]*per (?:[a-z ]+ per )?(?:${periods.join("|")})`,
      );
      const lines = LINES.flatMap((line, index) =>
        line.includes(name) ? [withLineBefore(index)] : [],
      );
      expect(lines.length, name).toBeGreaterThan(0);
      for (const line of lines) expect(line, name).toMatch(rate);
    }
  });

  it("gives the listing's cache header as the worker sends it", () => {
    expect(DOC).toContain(`cache-control: public, max-age=${LISTING_CLIENT_MAX_AGE_SECONDS}`);
  });
});
