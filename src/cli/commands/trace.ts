import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { loadDevices } from "../../trace/devices-option.js";
import { prepareOutput, writeAtomically } from "../files.js";
import { openLog, type LogSource } from "../../trace/input.js";
import { checkQemuLog, type TraceVerdict } from "../../trace/qemu/check.js";
import { prescanQemu } from "../../trace/qemu/prescan.js";
import { devicesPath, replayCommand, sessionToMermaid, sessionToScript } from "../../trace/qemu/session.js";
import { checkLinuxLog } from "../../trace/linux/check.js";
import type { HostConfig } from "../../../spec/host/host.js";

const HELP = `usage: vmbus-spec trace [--role host] [--profile qemu] [--devices SPEC] [--vcpus N]
                         [--no-resets] [--script FILE [--force]] [--mermaid] [--json] LOG|-
       vmbus-spec trace --role guest [--profile linux] [--json] LOG|-

Checks a recorded log against the spec: "accepted" when some behaviour the spec allows prints
exactly these lines, else "rejected at line N" with what the spec allows there and the rule IDs.
See docs/trace.md for how to capture each kind of log.

--role host   (default) QEMU's log trace backend output of -trace 'vmbus_*' (lines
              "PID@SEC.USEC:event args" or "event args"; other lines are ignored). The guest's
              message bytes, when QEMU's bottom half ran and the delivery results are searched for.
--role guest  Linux's tracefs "trace" file with the hyperv events (vmbus_on_*, vmbus_open, …),
              checked against the spec's Linux-like guest (spec/guest).
--profile     qemu (host role) or linux (guest role): the only ones with a trace format.
--devices     default: what the log implies (the vmbus_send_offer lines; none without offers);
              none; or a JSON file with an array of devices (as for vmbus-spec host).
--vcpus       vCPUs of the machine (default: the highest target VP in the log + 1).
--no-resets   do not assume machine resets (QEMU traces none) anywhere in the log.
--script F    write the reconstructed session as a vmbus-spec host script that replays to the
              same lines, and its devices (if any) to F.devices.json for --devices (existing
              files are only replaced with --force).
--mermaid     print the reconstructed session as a Mermaid sequence diagram.
--json        one JSON object: {"verdict": "accepted"|"rejected", ...}; no progress.

Exit: 0 accepted, 1 rejected, 2 usage error or a log that is not a readable trace log,
3 file error, 130 interrupted.
Example:
  $ vmbus-spec trace docs/examples/trace/qemu-7.2-linux-6.1-boot.log`;

const PROGRESS_MIN_BYTES = 8 << 20;

export const command: Command = {
  name: "trace",
  summary: "check a QEMU -trace 'vmbus_*' log or a Linux hyperv tracefs log against the spec",
  help: HELP,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "role", kind: "string" },
      { name: "profile", kind: "string" },
      { name: "devices", kind: "string" },
      { name: "vcpus", kind: "string" },
      { name: "script", kind: "string" },
      { name: "force", kind: "boolean" },
      { name: "mermaid", kind: "boolean" },
      { name: "json", kind: "boolean" },
      { name: "no-resets", kind: "boolean" },
    ]);
    if (a.positionals.length !== 1) throw new UsageError(a.positionals.length === 0 ? "no log given (a file, or - for stdin)" : `one log only, got ${a.positionals.length}`);
    const role = getString(a, "role") ?? "host";
    if (role !== "host" && role !== "guest") throw new UsageError(`--role must be host or guest, got '${role}'`);
    const profile = getString(a, "profile") ?? (role === "host" ? "qemu" : "linux");
    if (role === "host" && profile !== "qemu") throw new UsageError(`--profile for --role host must be qemu (the only host with a trace format), got '${profile}'`);
    if (role === "guest" && profile !== "linux") throw new UsageError(`--profile for --role guest must be linux, got '${profile}'`);
    const json = a.booleans.has("json");
    const script = getString(a, "script");
    const mermaid = a.booleans.has("mermaid");
    if (role === "guest" && (script !== undefined || mermaid || a.strings.has("devices") || a.strings.has("vcpus") || a.booleans.has("no-resets")))
      throw new UsageError("--script, --mermaid, --devices, --vcpus and --no-resets are for --role host");
    const vcpusOpt = getInt(a, "vcpus", 1, 4096);
    const err = (m: string): void => void process.stderr.write(`vmbus-spec trace: ${m}\n`);

    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
    };
    let src: LogSource | undefined;
    process.on("SIGINT", onSigint);
    try {
      const force = a.booleans.has("force");
      if (script !== undefined) await prepareOutput(script, force);
      if (script !== undefined) await prepareOutput(devicesPath(script), force);
      const devicesOpt = await loadDevices(getString(a, "devices"));
      src = await openLog(a.positionals[0]!);
      const tty = !json && process.stderr.isTTY === true && src.size >= PROGRESS_MIN_BYTES;
      const size = src.size;
      const progress = tty
        ? (bytes: number, lines: number): void => void process.stderr.write(`\r\x1b[Kvmbus-spec trace: ${lines} lines, ${Math.round((100 * bytes) / Math.max(1, size))}%`)
        : undefined;
      if (role === "guest") {
        const v = await checkLinuxLog(src.path, { progress, interrupted: () => interrupted });
        if (tty) process.stderr.write("\r\x1b[K");
        return report(v, json, src.name, err, () => "", "host messages received");
      }
      const implied = devicesOpt === undefined || vcpusOpt === undefined ? await prescanQemu(src.path, () => interrupted) : undefined;
      const config: HostConfig = { profile: "qemu", devices: devicesOpt ?? implied!.devices, vcpuCount: vcpusOpt ?? implied!.vcpus };
      const v = await checkQemuLog(src.path, {
        config,
        resets: !a.booleans.has("no-resets"),
        compareDevices: devicesOpt === undefined,
        keepHistory: script !== undefined || mermaid,
        progress,
        interrupted: () => interrupted,
      });
      if (tty) process.stderr.write("\r\x1b[K");
      if (v.verdict === "accepted" && v.session) {
        if (script !== undefined) {
          if (config.devices.length > 0) await writeAtomically(devicesPath(script), JSON.stringify(config.devices, null, 2) + "\n", force);
          await writeAtomically(script, sessionToScript(v.session, script, config.devices, config.vcpuCount, src.name), force);
        }
      }
      return report(v, json, src.name, err, () => {
        const lines: string[] = [];
        if (v.verdict === "accepted" && script !== undefined)
          lines.push(`session written to ${script}${config.devices.length ? ` and ${devicesPath(script)}` : ""} (replay: ${replayCommand(script, config.devices, config.vcpuCount)})`);
        if (v.verdict === "accepted" && mermaid && v.session) lines.push(sessionToMermaid(v.session, config, `accepted - ${v.events} events`).trimEnd());
        return lines.join("\n");
      }, "guest messages reconstructed");
    } finally {
      process.off("SIGINT", onSigint);
      await src?.dispose();
    }
  },
};

const report = (v: TraceVerdict, json: boolean, name: string, err: (m: string) => void, extra: () => string, messages: string): number => {
  if (!json) for (const w of v.warnings) err(w);
  const code = v.verdict === "accepted" ? 0 : v.verdict === "rejected" ? 1 : v.verdict === "badLog" ? 2 : 130;
  if (json) {
    const { session: _s, ...rest } = v as TraceVerdict & { session?: unknown };
    void _s;
    process.stdout.write(JSON.stringify({ log: name, ...rest }) + "\n");
    if (v.verdict === "accepted") {
      const x = extra();
      if (x) process.stderr.write(x + "\n");
    }
    return code;
  }
  switch (v.verdict) {
    case "accepted": {
      process.stdout.write(`accepted: ${v.events} events, ${v.guestMessages} ${messages}${v.truncated ? " (state set truncated: the search was bounded)" : ""}\n`);
      const x = extra();
      if (x) process.stdout.write(x + "\n");
      break;
    }
    case "rejected":
      process.stdout.write(
        [
          `rejected at line ${v.lineNo}: ${v.line}`,
          "  the spec allows here:",
          ...v.expected.map((e) => `    ${e.description}${e.rules.length ? `  [${e.rules.join(", ")}]` : ""}`),
          `  rules: ${v.rules.join(", ") || "(none)"}`,
        ].join("\n") + "\n",
      );
      break;
    case "badLog":
      err(`${name}: line ${v.lineNo}: ${v.error}`);
      break;
    case "interrupted":
      err(`interrupted at line ${v.lineNo}: ${v.events} events checked, no rejection so far`);
      break;
  }
  return code;
};
