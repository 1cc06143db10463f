/**
 * Benchmark: the avatar's motion as a stream's payload. Bytes per value and encode/decode time
 * for the kit's public `motionCodec` (with the arena's options) beside JSON, msgpackr's
 * defaults (`new Packr()` and the plain `pack`/`unpack`) and fixed msgpack records of the raw
 * floats, over the same values from a moving avatar, in one run. The kit frames each value into
 * a stream packet with a header of its own (kind, stream tag, seq, tick, hz; the table in
 * game/kit/wire/state-channel.ts), the same for any codec: `upstream.ts` measures whole packets
 * as pages send them.
 */
import { Packr, pack, unpack } from "msgpackr";
import { AVATAR_CODEC } from "../game/session/avatar-stream.ts";
import {
  type AvatarState,
  inputFromKeys,
  inputTowards,
  type MoveInput,
  spawnAvatar,
  stepAvatar,
} from "../game/sim/avatar.ts";
import { type Summary, summarize } from "./stats.ts";

const VALUES = Number(process.env["BENCH_PACKETS"] ?? 10_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 15);
const WARMUP_ROUNDS = 3;
const SIM_HZ = 60;
/** A value every other simulation tick: 30 Hz. */
const TICKS_PER_VALUE = 2;

interface Codec {
  readonly name: string;
  /** Returns bytes the caller owns (what a data channel send needs). */
  encode(value: AvatarState): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so every run sends the same stream. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A player's avatar as the game simulates it: 60 Hz steps, input changing every 0.5-2 s
 * between arrow keys (diagonals too), a held pointer and letting go; a value every 2 ticks.
 */
function movingAvatarStream(count: number): AvatarState[] {
  const random = seededRandom(2026);
  const values: AvatarState[] = [];
  let state: AvatarState = spawnAvatar();
  let tick = 0;
  let nextChange = 0;
  let steer: (from: AvatarState) => MoveInput = () => ({ x: 0, y: 0 });
  while (values.length < count) {
    if (tick >= nextChange) {
      nextChange = tick + 30 + Math.floor(random() * 90);
      const choice = random();
      if (choice < 0.6) {
        const keys = [random() < 0.4, random() < 0.4, random() < 0.4, random() < 0.4] as const;
        const input = inputFromKeys(...keys);
        steer = () => input;
      } else if (choice < 0.9) {
        const targetX = random() * 960;
        const targetY = random() * 540;
        steer = (from) => inputTowards(from, targetX, targetY);
      } else {
        steer = () => ({ x: 0, y: 0 });
      }
    }
    state = stepAvatar(state, steer(state), 1 / SIM_HZ);
    tick++;
    if (tick % TICKS_PER_VALUE === 0) values.push(state);
  }
  return values;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const defaultPackr = new Packr();
/** Fixed records of the raw floats, the structure agreed in advance: what quantizing saves. */
const floatRecords = new Packr({
  structures: [["x", "y", "vx", "vy"]],
  maxSharedStructures: 1,
  shouldShareStructure: () => false,
  saveStructures: () => false,
});

const codecs: readonly Codec[] = [
  {
    name: "edgeplay: `motionCodec` (quantized fixed-width integers)",
    encode: (value) => AVATAR_CODEC.encode(value),
    decode: (bytes) => AVATAR_CODEC.decode(bytes),
  },
  {
    name: "float64, fixed msgpack records (no quantization)",
    encode: ({ x, y, vx, vy }) => new Uint8Array(floatRecords.pack({ x, y, vx, vy })),
    decode: (bytes) => floatRecords.unpack(bytes),
  },
  {
    name: "JSON (TextEncoder + JSON.parse)",
    encode: ({ x, y, vx, vy }) => textEncoder.encode(JSON.stringify({ x, y, vx, vy })),
    decode: (bytes) => JSON.parse(textDecoder.decode(bytes)),
  },
  {
    name: "msgpackr `new Packr()` defaults",
    encode: ({ x, y, vx, vy }) => new Uint8Array(defaultPackr.pack({ x, y, vx, vy })),
    decode: (bytes) => defaultPackr.unpack(bytes),
  },
  {
    name: "msgpackr `pack` / `unpack`",
    encode: ({ x, y, vx, vy }) => new Uint8Array(pack({ x, y, vx, vy })),
    decode: (bytes) => unpack(bytes),
  },
];

interface Timing {
  readonly encodeNs: number[];
  readonly decodeNs: number[];
}

/** Keeps results alive so the engine cannot skip the work. */
let sink = 0;

function measure(
  codec: Codec,
  values: readonly AvatarState[],
): { encodeNs: number; decodeNs: number } {
  const encoded: Uint8Array[] = new Array(values.length);
  const encodeStart = performance.now();
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value) encoded[i] = codec.encode(value);
  }
  const encodeMs = performance.now() - encodeStart;
  const decodeStart = performance.now();
  for (const bytes of encoded) if (codec.decode(bytes) !== null) sink++;
  const decodeMs = performance.now() - decodeStart;
  return {
    encodeNs: (encodeMs * 1e6) / values.length,
    decodeNs: (decodeMs * 1e6) / values.length,
  };
}

function sizes(codec: Codec, values: readonly AvatarState[]): { mean: number; max: number } {
  let total = 0;
  let max = 0;
  for (const value of values) {
    const length = codec.encode(value).length;
    total += length;
    max = Math.max(max, length);
  }
  return { mean: total / values.length, max };
}

const values = movingAvatarStream(VALUES);
const timings = new Map<Codec, Timing>(codecs.map((c) => [c, { encodeNs: [], decodeNs: [] }]));
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  // Rotate the order each round so no codec always runs first (or right after another).
  const order = codecs.map((_, i) => codecs[(i + round) % codecs.length]);
  for (const codec of order) {
    if (!codec) continue;
    const result = measure(codec, values);
    const timing = timings.get(codec);
    if (round >= WARMUP_ROUNDS && timing) {
      timing.encodeNs.push(result.encodeNs);
      timing.decodeNs.push(result.decodeNs);
    }
  }
}

const json = codecs[2];
if (!json) throw new Error("JSON codec missing");
const jsonSize = sizes(json, values).mean;
const jsonTiming = timings.get(json);
const jsonEncode = summarize(jsonTiming?.encodeNs ?? []).median;
const jsonDecode = summarize(jsonTiming?.decodeNs ?? []).median;

console.log(
  `\nMotion codecs (a stream's payload): ${VALUES.toLocaleString("en")} values of a moving avatar, ` +
    `${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up, medians\n`,
);
console.log(
  "| method | bytes/value | max bytes | size vs JSON | encode ns/value | decode ns/value | encode vs JSON | decode vs JSON |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const spread: ({ readonly name: string } & Summary)[] = [];
for (const codec of codecs) {
  const size = sizes(codec, values);
  const timing = timings.get(codec);
  const encode = summarize(timing?.encodeNs ?? []);
  const decode = summarize(timing?.decodeNs ?? []);
  spread.push(
    { name: `${codec.name}: encode`, ...encode },
    { name: `${codec.name}: decode`, ...decode },
  );
  console.log(
    `| ${codec.name} | ${size.mean.toFixed(1)} | ${size.max} | ${(size.mean / jsonSize).toFixed(2)}x | ` +
      `${encode.median.toFixed(0)} | ${decode.median.toFixed(0)} | ` +
      `${(encode.median / jsonEncode).toFixed(2)}x | ${(decode.median / jsonDecode).toFixed(2)}x |`,
  );
}
console.log("\nSpread over rounds, ns/value:\n");
console.log("| target | runs | median | p90 | min | max |\n|---|---:|---:|---:|---:|---:|");
for (const row of spread) {
  console.log(
    `| ${row.name} | ${row.runs} | ${row.median.toFixed(0)} | ${row.p90.toFixed(0)} | ${row.min.toFixed(0)} | ${row.max.toFixed(0)} |`,
  );
}
if (sink === 0) console.log("(nothing decoded)");
