/**
 * `vmbus-spec guest --serve [--profile P]`: the spec guest (spec/guest) as an implementation
 * under test, speaking the runner contract (docs/verify.md) on stdin/stdout.
 */
import { getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { HOST_PROFILE_NAMES } from "../../../spec/host/profiles.js";
import { createGuestServer } from "../../verify/guest-server.js";
import { serveLines } from "../../verify/serve.js";
import { pinProfile } from "./host-serve.js";

const HELP = `usage: vmbus-spec guest --serve [--profile qemu|strict|openvmm]

Serves the spec's Linux-like guest (spec/guest) over the runner contract 1 (docs/verify.md),
guest role: JSON lines on stdin/stdout. With --profile a hello for another host profile is
refused. Example:
  $ vmbus-spec verify guest --impl "vmbus-spec guest --serve" --profile qemu --sessions 5`;

export const command: Command = {
  name: "guest",
  summary: "serve the spec guest over the runner contract (verify guest --impl)",
  help: HELP,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "serve", kind: "boolean" },
      { name: "profile", kind: "string" },
    ]);
    if (!a.booleans.has("serve")) throw new UsageError("only --serve is available (see --help)");
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const profile = getString(a, "profile");
    if (profile !== undefined && !(HOST_PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`--profile must be one of ${HOST_PROFILE_NAMES.join(", ")}, got '${profile}'`);
    return serveLines(pinProfile(createGuestServer(), profile));
  },
};
