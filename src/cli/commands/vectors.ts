import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { asFileError, FileError, fileReason, writeFileAtomic } from "../files.js";
import { writeHostVectors } from "../../vectors/host.js";
import { writeRingVectors } from "../../vectors/ring.js";
import { writeWireVectors } from "../../vectors/wire.js";
import { writeSchemas } from "../../schema/write.js";

export const command: Command = {
  name: "vectors",
  summary: "write the conformance vectors (JSON files, format in docs/vectors.md) to a directory",
  help: `usage: vmbus-spec vectors --out DIR [--force] [--json]

Writes deterministic conformance vectors (the same bytes on every run) under DIR:
  DIR/wire/NN-<Message>.json   per message type: valid cases (message JSON, hex, decode
                               context, trailing bytes) and negative cases (hex, context,
                               expected error kind), at every boundary length of every
                               form; 00-Generic.json for header-level errors
  DIR/wire/framing.json        SynIC message slots and HvPostMessage inputs
  DIR/wire/gpadl.json          GPADL_HEADER + GPADL_BODY sequences and their ranges
  DIR/wire/index.json          the file list and counts
  DIR/host/<profile>/<id>.json host scenarios (qemu, strict, openvmm): config, inputs and the
                               expected outputs of each (statuses, posted messages, rule IDs,
                               QEMU trace lines)
  DIR/ring/<profile>/<id>.json ring cases (strict, qemu, linux, openvmm, dpdk): initial ring,
                               operations and the expected result of each
  DIR/host/index.json, DIR/ring/index.json, DIR/index.json   file lists and counts
  DIR/schemas/*.schema.json    JSON Schemas (draft 2020-12) of every file above and of the
                               host script / ring write input lines
Every file has a formatVersion field; the format is documented in docs/vectors.md.
The vectors are written into a fresh directory next to DIR and then put in DIR's place, so DIR
never mixes files of two runs (a runner that globs *.json sees exactly one run). An existing
DIR is replaced only if it is empty or holds vectors (DIR/index.json), or with --force.
Shows a progress line on a terminal; --json prints only a summary object.
Exit codes: 0 written; 2 usage; 3 a file error (one line naming the file and the cause).`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "out", kind: "string" },
      { name: "json", kind: "boolean" },
      { name: "force", kind: "boolean" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const out = getString(a, "out");
    if (out === undefined) throw new UsageError("--out DIR is required");
    if (out.trim() === "") throw new UsageError("--out must name a directory, got ''");
    const final = resolve(out);
    await checkTarget(final, a.booleans.has("force"));
    const json = a.booleans.has("json");
    const tty = !json && process.stderr.isTTY === true;
    const tmp = `${final}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      const progress = (area: string) => (tty ? (done: number, total: number, file: string) => process.stderr.write(`\r${area} vectors: ${done}/${total} ${file.padEnd(40)}`) : undefined);
      const wire = await writeWireVectors(tmp, { onProgress: progress("wire") });
      if (tty) process.stderr.write("\n");
      const host = await writeHostVectors(tmp, { onProgress: progress("host") });
      if (tty) process.stderr.write("\n");
      const ring = await writeRingVectors(tmp, { onProgress: progress("ring") });
      if (tty) process.stderr.write("\n");
      const schemas = await writeSchemas(tmp);
      await writeFileAtomic(join(tmp, "index.json"), JSON.stringify({ formatVersion: 1, kind: "vectors-index", directories: ["wire", "host", "ring", "schemas"] }, null, 1) + "\n");
      await swapIn(tmp, final);
      const moved = <T extends { outDir: string }>(x: T): T => ({ ...x, outDir: final + x.outDir.slice(tmp.length) });
      const result = { wire: moved(wire), host: moved(host), ring: moved(ring), schemas: moved(schemas) };
      process.stdout.write(
        json
          ? JSON.stringify(result) + "\n"
          : `wrote ${wire.files} files to ${result.wire.outDir}: ${wire.valid} valid and ${wire.invalid} invalid cases\n` +
              `wrote ${host.files} files to ${result.host.outDir}: ${host.scenarios} scenarios, ${host.steps} steps\n` +
              `wrote ${ring.files} files to ${result.ring.outDir}: ${ring.cases} cases, ${ring.operations} operations\n` +
              `wrote ${schemas.files} JSON Schema files to ${result.schemas.outDir}\n`,
      );
      return 0;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw asFileError(final, e);
    }
  },
};

/** DIR may be replaced: it does not exist, is empty, holds vectors, or --force was given. */
export const checkTarget = async (dir: string, force: boolean): Promise<void> => {
  const parent = dirname(dir);
  const pst = await stat(parent).catch((e: unknown) => {
    throw new FileError(dir, `cannot create: ${parent}: ${fileReason(e)}`);
  });
  if (!pst.isDirectory()) throw new FileError(dir, `cannot create: ${parent} is not a directory`);
  const st = await stat(dir).catch(() => undefined);
  if (st === undefined) return;
  if (!st.isDirectory()) throw new UsageError(`${dir} exists and is not a directory`);
  if (force) return;
  const entries = await readdir(dir).catch((e: unknown) => {
    throw asFileError(dir, e);
  });
  if (entries.length === 0) return;
  const index = await readFile(join(dir, "index.json"), "utf8").catch(() => "");
  if (!/"kind":\s*"vectors-index"/.test(index)) throw new UsageError(`${dir} is not empty and holds no vectors (no index.json of kind vectors-index): give --force to replace it`);
};

/** Put `tmp` in `final`'s place; the old directory is removed only once the new one is there. */
const swapIn = async (tmp: string, final: string): Promise<void> => {
  const old = `${final}.old-${process.pid}-${randomBytes(4).toString("hex")}`;
  const hadOld = await stat(final).then(
    () => true,
    () => false,
  );
  if (hadOld) await rename(final, old);
  try {
    await rename(tmp, final);
  } catch (e) {
    if (hadOld) await rename(old, final).catch(() => undefined);
    throw e;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
};
