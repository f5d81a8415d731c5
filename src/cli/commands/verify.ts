/**
 * `vmbus-spec verify host|guest --impl "<command>"`: drive an implementation over the runner
 * contract (docs/verify.md) with the spec as the oracle. The ring role is docs/verify-ring.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { HELP as RING_HELP, verifyRingCommand } from "./verify-ring.js";
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../../spec/host/profiles.js";
import { CONTRACT_VERSION } from "../../verify/contract.js";
import { driveVerifyCommand } from "../../verify/drive-command.js";
import { formatVerifyReport, verifyHost, type VerifyReport } from "../../verify/host-verify.js";
import { parseSessionFile, sessionFileText } from "../../verify/replay-file.js";
import type { HostSession } from "../../verify/session.js";

const HELP = `usage: vmbus-spec verify host|guest --impl "<command>" [--profile P] [--seed S]
                          [--sessions N] [--depth D] [--timeout-ms T] [--replay FILE]
                          [--out FILE] [--force] [--json] [--any-guest]

Runs <command> (under a shell) as an implementation of the role and drives it over the runner
contract ${CONTRACT_VERSION} (docs/verify.md: JSON lines on stdin/stdout, a hello handshake, an idle
marker after each input). The spec is the oracle: the conformance engine keeps every spec state
consistent with what the implementation printed and stops at the first line no state explains.

Sessions, in this order: the host conformance vectors of the profile, sessions derived from the
explorer (one per host rule reachable in the bounded model), then N seeded random sessions with
hostile posts. The rule coverage reached is printed. On a divergence, crash (the process exits),
hang (no idle within --timeout-ms) or garbage (a line that is not contract JSON) the session is
shrunk by delta debugging and the minimal session is written to --out (default
vmbus-verify-<role>-<profile>.json, never overwriting a file: a free name is chosen).

--impl        the implementation's command line (required), e.g. "python3 host.py"
--profile     qemu | strict (default) | openvmm
--seed        random-session seed (default 1)
--sessions    random sessions (default 100)
--depth       inputs per random session, at most (default 24)
--timeout-ms  per-step timeout: input sent -> idle marker (default 5000)
--replay      re-run the minimal session of a file written by verify (its profile unless --profile)
--out         where to write the minimal session (an existing file needs --force)
--force       allow --out to overwrite an existing file
--json        one JSON object on stdout (schema: docs/verify.md), no progress
--any-guest   guest role: check guest posts only against the host's rules (not the spec guest)

Exit codes: 0 conforming, 1 divergence / crash / hang / garbage, 2 usage or contract error
(bad options, the implementation's hello is missing or names another contract), 3 file error,
130 interrupted (Ctrl-C: what was found so far is printed).

Example (the spec against itself):
  $ vmbus-spec verify host --impl "vmbus-spec host --serve" --profile qemu --sessions 20`;


export const command: Command = {
  name: "verify",
  summary: "drive an implementation (any language) over the runner contract and judge it against the spec",
  help: `${HELP.trimEnd()}

---- the ring role ----

${RING_HELP}`,
  run: async (argv) => {
    // The ring role has its own contract and driver (docs/verify-ring.md).
    if (argv[0] === "ring") return verifyRingCommand(argv.slice(1));
    const a = parseArgs(argv, [
      { name: "impl", kind: "string" },
      { name: "profile", kind: "string" },
      { name: "seed", kind: "string" },
      { name: "sessions", kind: "string" },
      { name: "depth", kind: "string" },
      { name: "timeout-ms", kind: "string" },
      { name: "replay", kind: "string" },
      { name: "out", kind: "string" },
      { name: "force", kind: "boolean" },
      { name: "json", kind: "boolean" },
      { name: "any-guest", kind: "boolean" },
    ]);
    const role = a.positionals[0];
    if (role === undefined) throw new UsageError("which role? verify host|guest|ring");
    if (a.positionals.length > 1) throw new UsageError(`unexpected argument '${a.positionals[1]}'`);
    if (role !== "host" && role !== "guest") throw new UsageError(`unknown role '${role}' (host, guest, ring)`);
    const impl = getString(a, "impl");
    if (impl === undefined || impl.trim() === "") throw new UsageError("--impl \"<command>\" is required");
    const json = a.booleans.has("json");
    const profileArg = getString(a, "profile");
    if (profileArg !== undefined && !(HOST_PROFILE_NAMES as readonly string[]).includes(profileArg)) throw new UsageError(`--profile must be one of ${HOST_PROFILE_NAMES.join(", ")}, got '${profileArg}'`);
    const seed = getInt(a, "seed", 0, 0x7fffffff) ?? 1;
    const sessions = getInt(a, "sessions", 0, 1_000_000) ?? 100;
    const depth = getInt(a, "depth", 1, 10_000) ?? 24;
    const timeoutMs = getInt(a, "timeout-ms", 1, 3_600_000) ?? 5000;
    const out = getString(a, "out");
    if (out !== undefined && existsSync(out) && !a.booleans.has("force")) {
      process.stderr.write(`vmbus-spec verify: ${out}: exists (use --force to overwrite, or another --out)\n`);
      return 3;
    }
    let replay: HostSession[] | undefined;
    let profile = (profileArg ?? "strict") as HostProfileName;
    const replayFile = getString(a, "replay");
    if (role === "guest") {
      const { verifyGuestCommand } = await import("../../verify/guest-command.js");
      return verifyGuestCommand({ impl, profile, profileGiven: profileArg !== undefined, seed, sessions, depth, timeoutMs, json, out, force: a.booleans.has("force"), anyGuest: a.booleans.has("any-guest"), replayFile });
    }
    if (replayFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(replayFile, "utf8");
      } catch (e) {
        process.stderr.write(`vmbus-spec verify: ${replayFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
        return 3;
      }
      const f = parseSessionFile(text, replayFile);
      if (!f.ok) {
        process.stderr.write(`vmbus-spec verify: ${f.error}\n`);
        return 2;
      }
      replay = [f.value.session];
      if (profileArg === undefined) profile = f.value.profile;
    }

    return driveVerifyCommand<VerifyReport>({
      role: "host",
      profile,
      json,
      out,
      run: (hooks) => verifyHost({ command: impl, profile, seed, sessions, depth, timeoutMs, ...(replay ? { replay } : {}), ...hooks }),
      sessionFile: (v) => sessionFileText(profile, CONTRACT_VERSION, v.minimal, { ...v, minimal: undefined }),
      format: formatVerifyReport,
    });
  },
};
