/**
 * Ctrl-C tests of the CLI: run a command, send SIGINT after `delay` ms and collect what it printed.
 * A SIGINT that lands before the command has installed its handler (a slow start on a loaded
 * machine) kills the process by the signal instead of being reported; then the run is repeated
 * with the next, longer delay, so the test checks the handler, not the machine's load.
 */
import { spawn } from "node:child_process";

export interface Interrupted {
  /** Exit code (null only if every attempt was killed by the signal). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const interruptAfter = async (argv: readonly string[], delays: readonly number[] = [2500, 6000, 15_000]): Promise<Interrupted> => {
  let last: Interrupted = { code: null, stdout: "", stderr: "" };
  for (const delay of delays) {
    const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), delay);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on("close", (c, s) => done([c, s])));
    clearTimeout(timer);
    last = { code, stdout, stderr };
    if (signal === null) break;
  }
  return last;
};
