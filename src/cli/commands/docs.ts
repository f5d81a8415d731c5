import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs, getString } from "../args.js";
import type { Command } from "../command.js";
import { GENERATED_DOCS } from "../../docs/registry.js";

export const command: Command = {
  name: "docs",
  summary: "regenerate (--write) or check (--check) the generated files under docs/",
  help: `usage: vmbus-spec docs (--write | --check) [--root DIR]

Generated documents (layout tables, profile tables, the rule catalogue, state diagrams) come
from the spec's own data. --write rewrites them; --check exits 1 and names every stale file.
--root is the project root (default: the current directory).`,
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
    let stale = 0;
    for (const doc of GENERATED_DOCS) {
      const path = resolve(root, doc.path);
      const text = doc.generate();
      if (write) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
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
