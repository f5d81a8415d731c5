import type { Command } from "../command.js";

/**
 * The command table: name -> loader. Commands load lazily so that `vmbus-spec decode` does not
 * pay for the explorer. Each command lives in its own file under src/cli/commands/.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  start: async () => (await import("./start.js")).command,
  docs: async () => (await import("./docs.js")).command,
  check: async () => (await import("./check.js")).command,
  host: async () => (await import("./host.js")).command,
  decode: async () => (await import("./decode.js")).command,
  encode: async () => (await import("./encode.js")).command,
  layout: async () => (await import("./layout.js")).command,
  vectors: async () => (await import("./vectors.js")).command,
  ring: async () => (await import("./ring.js")).command,
  verify: async () => (await import("./verify.js")).command,
  guest: async () => (await import("./guest.js")).command,
  trace: async () => (await import("./trace.js")).command,
  "ring-check": async () => (await import("./ring-check.js")).command,
};
