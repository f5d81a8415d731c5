import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { writeHostVectors } from "../../vectors/host.js";
import { writeRingVectors } from "../../vectors/ring.js";
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
  DIR/host/<profile>/<id>.json host scenarios (qemu, strict, openvmm): config, inputs and the
                               expected outputs of each (statuses, posted messages, rule IDs,
                               QEMU trace lines)
  DIR/ring/<profile>/<id>.json ring cases (strict, qemu, linux, openvmm, dpdk): initial ring,
                               operations and the expected result of each
  DIR/host/index.json, DIR/ring/index.json, DIR/index.json   file lists and counts
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
      const progress = (area: string) => (tty ? (done: number, total: number, file: string) => process.stderr.write(`\r${area} vectors: ${done}/${total} ${file.padEnd(40)}`) : undefined);
      const wire = await writeWireVectors(resolve(out), { onProgress: progress("wire") });
      if (tty) process.stderr.write("\n");
      const host = await writeHostVectors(resolve(out), { onProgress: progress("host") });
      if (tty) process.stderr.write("\n");
      const ring = await writeRingVectors(resolve(out), { onProgress: progress("ring") });
      if (tty) process.stderr.write("\n");
      await writeFile(join(resolve(out), "index.json"), JSON.stringify({ formatVersion: 1, kind: "vectors-index", directories: ["wire", "host", "ring"] }, null, 1) + "\n");
      const result = { wire, host, ring };
      process.stdout.write(
        json
          ? JSON.stringify(result) + "\n"
          : `wrote ${wire.files} files to ${wire.outDir}: ${wire.valid} valid and ${wire.invalid} invalid cases\n` +
              `wrote ${host.files} files to ${host.outDir}: ${host.scenarios} scenarios, ${host.steps} steps\n` +
              `wrote ${ring.files} files to ${ring.outDir}: ${ring.cases} cases, ${ring.operations} operations\n`,
      );
      return 0;
    } catch (e) {
      process.stderr.write(`vmbus-spec vectors: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  },
};
