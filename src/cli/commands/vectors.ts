import { resolve } from "node:path";
import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { writeWireVectors } from "../../vectors/wire.js";

export const command: Command = {
  name: "vectors",
  summary: "write the conformance vectors (JSON files, format in docs/vectors.md) to a directory",
  help: `usage: vmbus-spec vectors --out DIR [--json]

Writes deterministic conformance vectors (the same bytes on every run) under DIR:
  DIR/wire/NN-<Message>.json   per message type: valid cases (message JSON, hex, decode
                               context, trailing bytes) and negative cases (hex, context,
                               expected error kind); 00-Generic.json for header-level errors
  DIR/wire/framing.json        SynIC message slots and HvPostMessage inputs
  DIR/wire/gpadl.json          GPADL_HEADER + GPADL_BODY sequences and their ranges
  DIR/wire/index.json          the file list and counts
Every file has a formatVersion field; the format is documented in docs/vectors.md.
Shows a progress line on a terminal; --json prints only a summary object.`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "out", kind: "string" },
      { name: "json", kind: "boolean" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const out = getString(a, "out");
    if (out === undefined) throw new UsageError("--out DIR is required");
    const json = a.booleans.has("json");
    const tty = !json && process.stderr.isTTY === true;
    try {
      const summary = await writeWireVectors(resolve(out), {
        onProgress: tty ? (done, total, file) => process.stderr.write(`\rwire vectors: ${done}/${total} ${file.padEnd(32)}`) : undefined,
      });
      if (tty) process.stderr.write("\n");
      const result = { wire: summary };
      process.stdout.write(json ? JSON.stringify(result) + "\n" : `wrote ${summary.files} files to ${summary.outDir}: ${summary.valid} valid and ${summary.invalid} invalid cases\n`);
      return 0;
    } catch (e) {
      process.stderr.write(`vmbus-spec vectors: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  },
};
