/** Runs a system tool (`ip`, `nft`) and fails with its own error text, not just an exit code. */
import { spawn } from "node:child_process";

export interface RunOptions {
  /** Written to the tool's stdin (e.g. an `nft -f -` ruleset). */
  readonly input?: string;
}

export async function runTool(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const input = options.input;
  const child = spawn(file, args, {
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A missing tool surfaces as an `error` event, not as an exit code.
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`${file} could not start: ${error.message}`)));
    child.once("close", (code) => resolve(code));
  });
  if (input !== undefined && child.stdin !== null) {
    // A tool that exits early closes its stdin; its exit code tells what went wrong.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  }
  const code = await exited;
  if (code !== 0) {
    throw new Error(`${file} ${args.join(" ")} failed (exit ${String(code)}): ${stderr.trim()}`);
  }
  return stdout;
}
