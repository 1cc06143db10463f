/**
 * The bench driver's handle on the bot fleet (`bot-fleet.ts`), a child process on the same
 * Node: start it, ask it for its bots' view and its CPU time, stop it. One question at a time.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { type FleetCommand, type FleetMessage, FleetMessageSchema } from "./bot-fleet-messages.ts";

const FLEET_ENTRY = fileURLToPath(new URL("./bot-fleet.ts", import.meta.url));
const ANSWER_TIMEOUT_MS = 60_000;

type Answer<T extends FleetMessage["type"]> = Extract<FleetMessage, { type: T }>;

export interface CpuTime {
  /** User + system CPU time of the fleet process so far, in ms. */
  readonly cpuMs: number;
  /** performance.now() in the driver when it was read. */
  readonly atMs: number;
}

export class BotFleet {
  #peerIds: readonly string[] = [];
  readonly #child: ChildProcess;
  readonly #inbox: FleetMessage[] = [];
  #wake: () => void = () => {};
  #exitCode: number | null = null;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on("message", (raw) => {
      const parsed = v.safeParse(FleetMessageSchema, raw);
      if (parsed.success) this.#inbox.push(parsed.output);
      else process.stderr.write("bot fleet: ignored a malformed message\n");
      this.#wake();
    });
    child.on("exit", (code) => {
      this.#exitCode = code ?? -1;
      this.#wake();
    });
  }

  /** Starts `count` bots in lobby `code`; resolves once every bot has been welcomed. */
  static async start(origin: string, code: string, count: number): Promise<BotFleet> {
    const child = fork(FLEET_ENTRY, [origin, code, String(count)], {
      execPath: process.execPath,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const fleet = new BotFleet(child);
    const first = await fleet.#next(
      (m): m is Answer<"ready" | "failed"> => m.type === "ready" || m.type === "failed",
    );
    if (first.type === "failed") throw new Error(`bot fleet: ${first.message}`);
    fleet.#peerIds = first.peerIds;
    return fleet;
  }

  /** The bots' peer ids, in the order they joined. */
  get peerIds(): readonly string[] {
    return this.#peerIds;
  }

  async report(): Promise<Answer<"report">> {
    return this.#ask({ type: "report" }, "report");
  }

  async cpuTime(): Promise<CpuTime> {
    const usage = await this.#ask({ type: "cpu" }, "cpu");
    return { cpuMs: (usage.userMicros + usage.systemMicros) / 1000, atMs: performance.now() };
  }

  /** Bots leave the lobby, then the process ends (killed if it lingers). */
  async stop(): Promise<void> {
    if (this.#exitCode !== null) return;
    const exited = once(this.#child, "exit");
    this.#child.send({ type: "stop" } satisfies FleetCommand);
    const timeout = setTimeout(() => this.#child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timeout);
  }

  async #ask<T extends FleetMessage["type"]>(command: FleetCommand, type: T): Promise<Answer<T>> {
    this.#child.send(command);
    return this.#next((message): message is Answer<T> => message.type === type);
  }

  /** The first message in the inbox that `wanted` accepts, waiting for it if needed. */
  async #next<M extends FleetMessage>(wanted: (message: FleetMessage) => message is M): Promise<M> {
    const deadline = performance.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const index = this.#inbox.findIndex(wanted);
      const found = this.#inbox[index];
      if (found !== undefined && wanted(found)) {
        this.#inbox.splice(index, 1);
        return found;
      }
      if (this.#exitCode !== null) throw new Error(`bot fleet exited (${this.#exitCode})`);
      if (performance.now() > deadline) throw new Error("bot fleet: no answer");
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
  }
}
