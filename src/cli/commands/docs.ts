import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs, getString } from "../args.js";
import type { Command } from "../command.js";
import { FileError, fileReason, makeDir, writeFileAtomic } from "../files.js";
import { GENERATED_DOCS } from "../../docs/registry.js";

export const command: Command = {
  name: "docs",
  summary: "regenerate (--write) or check (--check) the generated files under docs/",
  help: `usage: vmbus-spec docs (--write | --check) [--root DIR]

Generated documents (layout tables, profile tables, the rule catalogue, state diagrams) come
from the spec's own data. --write rewrites them; --check exits 1 and names every stale file.
--root is the project root (default: the current directory); a root that does not exist or
has no docs/ folder is a file error (exit 3), not a stale doc. Files are replaced atomically.`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "write", kind: "boolean" },
      { name: "check", kind: "boolean" },
      { name: "root", kind: "string" },
    ]);
    const root = resolve(getString(a, "root") ?? ".");
    const write = a.booleans.has("write");
    if (write === a.booleans.has("check")) {
      process.stderr.write("vmbus-spec docs: give exactly one of --write or --check\n");
      return 2;
    }
    for (const need of [root, resolve(root, "spec")]) {
      const st = await stat(need).catch((e: unknown) => {
        throw new FileError(need, `${fileReason(e)} (--root must be the project root)`);
      });
      if (!st.isDirectory()) throw new FileError(need, "not a directory (--root must be the project root)");
    }
    let stale = 0;
    for (const doc of GENERATED_DOCS) {
      const path = resolve(root, doc.path);
      const text = doc.generate(root);
      if (write) {
        await makeDir(dirname(path));
        await writeFileAtomic(path, text);
        process.stdout.write(`wrote ${doc.path}\n`);
      } else {
        const current = await readFile(path, "utf8").catch(() => undefined);
        if (current !== text) {
          stale++;
          process.stdout.write(`stale: ${doc.path} (run: npm run docs)\n`);
        }
      }
    }
    if (!write) process.stdout.write(`${GENERATED_DOCS.length - stale} of ${GENERATED_DOCS.length} generated docs up to date\n`);
    return stale === 0 ? 0 : 1;
  },
};
