/**
 * Benchmark: the avatar's motion on the wire. Bytes per packet and encode/decode time for
 * edgeplay's motion stream packet (a fixed record around `motionCodec`'s quantized bytes)
 * beside JSON, msgpackr's defaults (`new Packr()` and the plain `pack`/`unpack`) and fixed
 * records of the raw floats, over the same stream of packets from a moving avatar, in one run.
 */
import { Packr, pack, unpack } from "msgpackr";
import { FixedRecordCodec } from "../game/kit/wire/fixed-records.ts";
import { MAX_WIRE_SPEED, WORLD_HEIGHT, WORLD_WIDTH } from "../game/kit/wire/quantize.ts";
import { motionCodec } from "../game/kit/wire/stream-codec.ts";
import { StreamRegistry } from "../game/kit/wire/stream-registry.ts";
import {
  type AvatarState,
  inputFromKeys,
  inputTowards,
  type MoveInput,
  spawnAvatar,
  stepAvatar,
} from "../game/sim/avatar.ts";
import { type Summary, summarize } from "./stats.ts";

const PACKETS = Number(process.env["BENCH_PACKETS"] ?? 10_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 15);
const WARMUP_ROUNDS = 3;
const SIM_HZ = 60;
/** A state packet every other simulation tick: 30 Hz. */
const TICKS_PER_PACKET = 2;

/** One avatar state as the simulation has it, with the sender's counter and tick. */
interface AvatarPacket {
  readonly seq: number;
  readonly tick: number;
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}

interface Codec {
  readonly name: string;
  /** Returns bytes the caller owns (what a data channel send needs). */
  encode(packet: AvatarPacket): Uint8Array;
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
 * between arrow keys (diagonals too), a held pointer and letting go; a packet every 2 ticks.
 */
function movingAvatarStream(count: number): AvatarPacket[] {
  const random = seededRandom(2026);
  const packets: AvatarPacket[] = [];
  let state: AvatarState = spawnAvatar();
  let tick = 0;
  let nextChange = 0;
  let steer: (from: AvatarState) => MoveInput = () => ({ x: 0, y: 0 });
  while (packets.length < count) {
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
    if (tick % TICKS_PER_PACKET === 0) {
      packets.push({ seq: packets.length + 1, tick, ...state });
    }
  }
  return packets;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const defaultPackr = new Packr();
/** The same fixed records without quantization: isolates what quantizing saves. */
const floatRecords = new FixedRecordCodec([["seq", "tick", "x", "y", "vx", "vy"]]);

const streams = new StreamRegistry();
streams.add(
  "motion",
  motionCodec({ bounds: { width: WORLD_WIDTH, height: WORLD_HEIGHT }, maxSpeed: MAX_WIRE_SPEED }),
);

const codecs: readonly Codec[] = [
  {
    name: "edgeplay: motion stream (game/kit/wire/)",
    encode: ({ seq, tick, x, y, vx, vy }) =>
      streams.encode("motion", seq, tick, SIM_HZ, { x, y, vx, vy }),
    decode: (bytes) => streams.decode(bytes),
  },
  {
    name: "float64, fixed records (no quantization)",
    encode: ({ seq, tick, x, y, vx, vy }) => floatRecords.pack({ seq, tick, x, y, vx, vy }),
    decode: (bytes) => floatRecords.unpack(bytes),
  },
  {
    name: "JSON (TextEncoder + JSON.parse)",
    encode: ({ seq, tick, x, y, vx, vy }) =>
      textEncoder.encode(JSON.stringify({ seq, tick, x, y, vx, vy })),
    decode: (bytes) => JSON.parse(textDecoder.decode(bytes)),
  },
  {
    name: "msgpackr `new Packr()` defaults",
    encode: ({ seq, tick, x, y, vx, vy }) =>
      new Uint8Array(defaultPackr.pack({ seq, tick, x, y, vx, vy })),
    decode: (bytes) => defaultPackr.unpack(bytes),
  },
  {
    name: "msgpackr `pack` / `unpack`",
    encode: ({ seq, tick, x, y, vx, vy }) => new Uint8Array(pack({ seq, tick, x, y, vx, vy })),
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
  packets: readonly AvatarPacket[],
): { encodeNs: number; decodeNs: number } {
  const encoded: Uint8Array[] = new Array(packets.length);
  const encodeStart = performance.now();
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i];
    if (packet) encoded[i] = codec.encode(packet);
  }
  const encodeMs = performance.now() - encodeStart;
  const decodeStart = performance.now();
  for (const bytes of encoded) if (codec.decode(bytes) !== null) sink++;
  const decodeMs = performance.now() - decodeStart;
  return {
    encodeNs: (encodeMs * 1e6) / packets.length,
    decodeNs: (decodeMs * 1e6) / packets.length,
  };
}

function sizes(codec: Codec, packets: readonly AvatarPacket[]): { mean: number; max: number } {
  let total = 0;
  let max = 0;
  for (const packet of packets) {
    const length = codec.encode(packet).length;
    total += length;
    max = Math.max(max, length);
  }
  return { mean: total / packets.length, max };
}

const packets = movingAvatarStream(PACKETS);
const timings = new Map<Codec, Timing>(codecs.map((c) => [c, { encodeNs: [], decodeNs: [] }]));
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  // Rotate the order each round so no codec always runs first (or right after another).
  const order = codecs.map((_, i) => codecs[(i + round) % codecs.length]);
  for (const codec of order) {
    if (!codec) continue;
    const result = measure(codec, packets);
    const timing = timings.get(codec);
    if (round >= WARMUP_ROUNDS && timing) {
      timing.encodeNs.push(result.encodeNs);
      timing.decodeNs.push(result.decodeNs);
    }
  }
}

const json = codecs[2];
if (!json) throw new Error("JSON codec missing");
const jsonSize = sizes(json, packets).mean;
const jsonTiming = timings.get(json);
const jsonEncode = summarize(jsonTiming?.encodeNs ?? []).median;
const jsonDecode = summarize(jsonTiming?.decodeNs ?? []).median;

console.log(
  `\nMotion packet codecs: ${PACKETS.toLocaleString("en")} packets of a moving avatar, ` +
    `${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up, medians\n`,
);
console.log(
  "| method | bytes/packet | max bytes | size vs JSON | encode ns/packet | decode ns/packet | encode vs JSON | decode vs JSON |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const spread: ({ readonly name: string } & Summary)[] = [];
for (const codec of codecs) {
  const size = sizes(codec, packets);
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
console.log("\nSpread over rounds, ns/packet:\n");
console.log("| target | runs | median | p90 | min | max |\n|---|---:|---:|---:|---:|---:|");
for (const row of spread) {
  console.log(
    `| ${row.name} | ${row.runs} | ${row.median.toFixed(0)} | ${row.p90.toFixed(0)} | ${row.min.toFixed(0)} | ${row.max.toFixed(0)} |`,
  );
}
if (sink === 0) console.log("(nothing decoded)");
