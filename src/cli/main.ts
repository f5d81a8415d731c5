#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { UsageError } from "./args.js";
import { COMMANDS } from "./commands/index.js";
import { FileError, InputError } from "./files.js";

/** The package version (package.json next to dist/). */
const version = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
};

const TOP_HELP = (summaries: string[]): string =>
  [
    "vmbus-spec — the executable specification of Hyper-V VMBus",
    "",
    "usage: vmbus-spec <command> [options]    (vmbus-spec help <command>, or <command> --help, for details)",
    "       vmbus-spec --version",
    "",
    "commands:",
    ...summaries,
  ].join("\n");

const main = async (argv: readonly string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    process.stdout.write(`vmbus-spec ${version()}\n`);
    return 0;
  }
  if (name === "help" && rest.length > 0) {
    const load = Object.hasOwn(COMMANDS, rest[0]!) ? COMMANDS[rest[0]!] : undefined;
    if (!load || rest.length > 1) {
      process.stderr.write(`vmbus-spec: ${load ? "help takes one command name" : `unknown command '${rest[0]}'`} (try vmbus-spec --help)\n`);
      return 2;
    }
    process.stdout.write((await load()).help.trimEnd() + "\n");
    return 0;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const lines: string[] = [];
    for (const [n, load] of Object.entries(COMMANDS)) lines.push(`  ${n.padEnd(12)} ${(await load()).summary}`);
    // No command at all is a usage error: the usage goes to stderr, exit 2 (docs/cli.md).
    (name === undefined ? process.stderr : process.stdout).write(TOP_HELP(lines) + "\n");
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
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
    if (e instanceof InputError) {
      process.stderr.write(`vmbus-spec ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof FileError) {
      process.stderr.write(`vmbus-spec ${name}: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // One line for the user; the stack with VMBUS_SPEC_DEBUG=1 (docs/cli.md).
    const debug = process.env["VMBUS_SPEC_DEBUG"] === "1";
    const text = e instanceof Error ? (debug ? (e.stack ?? e.message) : e.message.split("\n")[0]) : String(e);
    process.stderr.write(`vmbus-spec: internal error (a bug in vmbus-spec; please report it with the command line${debug ? "" : ", and VMBUS_SPEC_DEBUG=1 for the stack"}): ${text}\n`);
    process.exitCode = 70;
  },
);
