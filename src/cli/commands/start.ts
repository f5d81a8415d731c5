import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";

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
   known defects #1-#3 and the quirks of the fact sheet's §12.2 they reach), printing states,
   transitions, states per second and the shortest trace of every finding.
2. Writes the conformance vectors to DIR (default ./vectors), as \`vmbus-spec vectors\`.

Exit 0 when every check met its expectation, 1 otherwise. Progress goes to a terminal's stderr;
--json prints two JSON lines (the checks, then the vector summary) and nothing else.`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "out", kind: "string" },
      { name: "json", kind: "boolean" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const json = a.booleans.has("json");
    const { runDefaultCheck } = await import("../../explore/default.js");
    const checks = await runDefaultCheck({ json, progress: !json && process.stderr.isTTY === true });
    const vectors = (await import("./vectors.js")).command;
    const code = await vectors.run(["--out", getString(a, "out") ?? "vectors", ...(json ? ["--json"] : [])]);
    if (!json) process.stdout.write(checks.ok ? "all default checks met their expectations\n" : "SOME DEFAULT CHECKS FAILED (see above)\n");
    return checks.ok && code === 0 ? 0 : 1;
  },
};
