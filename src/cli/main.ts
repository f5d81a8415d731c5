#!/usr/bin/env node
import { UsageError } from "./args.js";
import { COMMANDS } from "./commands/index.js";

const TOP_HELP = (summaries: string[]): string =>
  [
    "vmbus-spec — the executable specification of Hyper-V VMBus",
    "",
    "usage: vmbus-spec <command> [options]    (vmbus-spec <command> --help for details)",
    "",
    "commands:",
    ...summaries,
  ].join("\n");

const main = async (argv: readonly string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const lines: string[] = [];
    for (const [n, load] of Object.entries(COMMANDS)) lines.push(`  ${n.padEnd(10)} ${(await load()).summary}`);
    process.stdout.write(TOP_HELP(lines) + "\n");
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`vmbus-spec: unknown command '${name}' (try vmbus-spec --help)\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help.trimEnd() + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`vmbus-spec ${name}: ${e.message} (see vmbus-spec ${name} --help)\n`);
      return 2;
    }
    throw e;
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vmbus-spec: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
