import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { progressReporter } from "./check.js";
import type { Exploration } from "../../explore/bfs.js";

/**
 * The main job on built-in defaults (`npm start`): model-check the default configurations, then
 * write the conformance vectors. It composes the `check` defaults and the `vectors` command
 * rather than repeating either.
 */
export const command: Command = {
  name: "start",
  summary: "the main job: run the default model checks (strict, qemu), then write vectors to ./vectors",
  help: `usage: vmbus-spec start [--out DIR] [--json]

1. Runs the default checks (src/explore/default.ts): the strict and qemu host profiles against a
   Linux-like guest (no violation allowed) and against a hostile guest, from boot and mixed in
   after a channel is open (strict: nothing may be found; qemu: together they must find QEMU's
   known defects #1-#3 and the quirks they reach). Prints a summary table (states, exhaustive or
   bounded, states per second, what was found, whether the expectation was met) and writes the
   shortest trace of every finding (text and a Mermaid sequence diagram) to
   DIR/check-traces/check-N.md, naming each file.
2. Writes the conformance vectors to DIR (default ./vectors), as \`vmbus-spec vectors\`.

Exit 0 when every check met its expectation, 1 otherwise, 130 on Ctrl-C (after the summary of
the checks run so far). Progress goes to stderr (a line every 5 s when it is not a terminal);
--json prints two JSON lines (the checks, then the vector summary) and nothing else.`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "out", kind: "string" },
      { name: "json", kind: "boolean" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const json = a.booleans.has("json");
    const out = getString(a, "out") ?? "vectors";
    const { runDefaultCheck } = await import("../../explore/default.js");
    let running: Exploration<unknown, unknown> | undefined;
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
      running?.interrupt();
    };
    process.on("SIGINT", onSigint);
    // The output directory is checked before the long work (the vectors replace it as a whole).
    const { checkTarget } = await import("./vectors.js");
    await checkTarget(resolve(out), false);
    // Traces are staged beside DIR and moved into DIR/check-traces once the vectors are in place.
    const tracesDir = join(out, "check-traces");
    const staging = `${resolve(out)}.check-traces-${process.pid}`;
    const checks = await runDefaultCheck({
      json,
      progress: (label) => {
        const p = progressReporter(json, label);
        return p && ((x) => p(x));
      },
      onStart: (e) => (running = e as Exploration<unknown, unknown>),
      writeTraces: async (index, _c, text) => {
        await mkdir(staging, { recursive: true });
        await writeFile(join(staging, `check-${index}.md`), text);
        return join(tracesDir, `check-${index}.md`);
      },
    }).finally(() => process.off("SIGINT", onSigint));
    if (process.stderr.isTTY && !json) process.stderr.write("\r\x1b[K");
    if (interrupted || checks.interrupted) {
      await rm(staging, { recursive: true, force: true });
      return 130;
    }
    const vectors = (await import("./vectors.js")).command;
    let code: number;
    try {
      code = await vectors.run(["--out", out, ...(json ? ["--json"] : [])]);
      if (code === 0 && (await stat(staging).catch(() => undefined))) await rename(staging, resolve(tracesDir));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    if (!json) process.stdout.write(checks.ok ? "all default checks met their expectations\n" : "SOME DEFAULT CHECKS FAILED (see the table above)\n");
    return checks.ok && code === 0 ? 0 : 1;
  },
};
