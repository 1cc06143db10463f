/**
 * Child-process entry: the bare relay (bare-relay.ts) in a process of its own, so a bench can
 * meter its CPU and memory apart from the clients'. Sends `{ url }` over IPC once listening and
 * exits when its parent goes.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { startBareRelay } from "./bare-relay.ts";

const ReadySchema = v.object({ url: v.string() });

export interface BareRelayProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startBareRelayProcess(): Promise<BareRelayProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: "inherit" });
  const [message]: unknown[] = await once(child, "message");
  const ready = v.parse(ReadySchema, message);
  const pid = child.pid;
  if (pid === undefined) throw new Error("the bare relay process has no pid");
  return {
    url: ready.url,
    pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const relay = await startBareRelay();
  process.send({ url: relay.url });
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}
