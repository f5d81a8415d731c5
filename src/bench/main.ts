#!/usr/bin/env node
/**
 * `npm run bench -- [<name>] [options]`: runs one benchmark of src/bench/index.ts (default:
 * the first, `ring`). `--help` lists them; `<name> --help` shows one's options. Exit codes as
 * every command (docs/cli.md): 0, 2 usage, 70 internal error, 130 interrupted.
 */
import { UsageError } from "../cli/args.js";
import { BENCHMARKS } from "./index.js";

const main = async (argv: readonly string[]): Promise<number> => {
  const names = Object.keys(BENCHMARKS);
  const first = argv[0];
  const named = first !== undefined && !first.startsWith("-");
  if (named && !Object.hasOwn(BENCHMARKS, first)) {
    process.stderr.write(`bench: unknown benchmark '${first}' (${names.join(", ")})\n`);
    return 2;
  }
  const name = named ? first : names[0]!;
  const rest = named ? argv.slice(1) : argv;
  if (!named && (rest.includes("--help") || rest.includes("-h"))) {
    const lines = [];
    for (const n of names) lines.push(`  ${n.padEnd(12)} ${(await BENCHMARKS[n]!()).summary}`);
    process.stdout.write(`usage: npm run bench -- [<benchmark>] [options]   (npm run bench -- <benchmark> --help)\n\nbenchmarks (default: ${names[0]}):\n${lines.join("\n")}\n`);
    return 0;
  }
  const b = await BENCHMARKS[name]!();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(b.usage + "\n");
    return 0;
  }
  try {
    return await b.run(rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench ${name}: ${e.message}\n${b.usage}\n`);
    return 2;
  }
};

process.on("SIGINT", () => {
  process.stderr.write("\nbench: interrupted\n");
  process.exit(130);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
