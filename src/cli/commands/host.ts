import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { readDevicesFile } from "../devices-file.js";
import { InputError, LIMITS, readFileCapped, readLines } from "../files.js";
import { parseScriptLine, type ScriptStep } from "../../io/host-inputs.js";
import { DEFAULT_DEVICES } from "../../../spec/host/devices.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig } from "../../../spec/host/host.js";
import type { DeviceSpec, HostInput, HostOutput } from "../../../spec/host/interface.js";
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../../spec/host/profiles.js";
import { formatQemuTrace } from "../../../spec/host/trace.js";

const HELP = `usage: vmbus-spec host [--profile qemu|strict|openvmm] [--devices SPEC] [--vcpus N]
                        [--trace qemu] < inputs.jsonl
       vmbus-spec host --serve [--profile P]   (the spec as an implementation: docs/verify.md)

Runs the host reducer (spec/host) over a JSON-lines script of inputs and prints every output
as one JSON line {"line": N, ...output}. With --trace qemu only QEMU-format trace lines are
printed (e.g. "vmbus_recv_message type 14 size 40"), as QEMU's log trace backend would.

--profile   qemu (QEMU hw/hyperv/vmbus.c exactly), strict (default: the whole protocol),
            openvmm (strict with OpenVMM's differences). See docs/host.md.
--devices   default: two devices, netvsc (one sub-channel: relids 1, 2) and storvsc (relid 3);
            none: no devices; or a path to a JSON file holding an array of devices:
            {"name", "interfaceType" (GUID), "interfaceInstance" (GUID), "subChannels",
             "channelFlags", "mmioMegabytes", "openResult": "ok" | "fail"}
--vcpus     number of virtual processors (VP indices 0..N-1), default 2.

Script lines (blank lines and lines starting with # are ignored):
  {"kind":"guest","message":{...},"connectionId":1}    a guest HvPostMessage of a message given
        as JSON (the decode command's "message"); optional "payloadSize" (default: its length)
  {"kind":"postMessage","connectionId":1,"payload":"0e000000…","payloadSize":40,"messageType":1}
        a raw HvPostMessage (payloadSize defaults to the payload's length, messageType to 1)
  {"kind":"run"}                                       one unit of the host's deferred work
  {"kind":"deliveryResult","result":"delivered"|"slotBusy"|"fatal"}
  {"kind":"settle"}     run and deliver (delivered) until the host has nothing left to do
  {"kind":"signalEvent","connectionId":17,"flagNumber":0}   (connection 2, < 2.4: optional
        "interruptPageBits": [relid, …] set in the interrupt page's send half)
  {"kind":"deviceAdded","device":{...}}   {"kind":"rescindChannel","relid":3}
  {"kind":"deviceSignal","relid":1}       {"kind":"reset"}

A bad line (bad JSON, a missing or mistyped field, an unknown field) is reported with its line
number and the path of the field, and nothing is run (exit 2). Lines are capped at 1 MiB each and
1,000,000 in all. --trace qemu needs --profile qemu (only QEMU prints QEMU trace lines).

Example (docs/examples/host/qemu-connect.jsonl: INITIATE_CONTACT at 4.0, then settle):
  $ vmbus-spec host --profile qemu --trace qemu < docs/examples/host/qemu-connect.jsonl`;

type Step = ScriptStep;
export { parseScriptLine };

const loadDevices = async (spec: string | undefined): Promise<readonly DeviceSpec[]> => {
  if (spec === undefined || spec === "default") return DEFAULT_DEVICES;
  if (spec === "none") return [];
  return readDevicesFile(spec);
};

export const command: Command = {
  name: "host",
  summary: "run the host reducer (qemu | strict | openvmm) over a JSON-lines input script",
  help: HELP,
  run: async (argv) => {
    if (argv.includes("--serve")) return (await import("./host-serve.js")).serveHost(argv); // runner contract, docs/verify.md
    const a = parseArgs(argv, [
      { name: "profile", kind: "string" },
      { name: "devices", kind: "string" },
      { name: "vcpus", kind: "string" },
      { name: "trace", kind: "string" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}' (the script is read from stdin)`);
    const profile = getString(a, "profile") ?? "strict";
    if (!(HOST_PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`--profile must be one of ${HOST_PROFILE_NAMES.join(", ")}, got '${profile}'`);
    const trace = getString(a, "trace");
    if (trace !== undefined && trace !== "qemu") throw new UsageError(`--trace only knows 'qemu', got '${trace}'`);
    if (trace === "qemu" && profile !== "qemu") throw new UsageError(`--trace qemu prints QEMU's trace lines, which exist only for --profile qemu (got --profile ${profile})`);
    const config: HostConfig = { profile: profile as HostProfileName, devices: await loadDevices(getString(a, "devices")), vcpuCount: getInt(a, "vcpus", 1, 4096) ?? 2 };

    const steps: { line: number; step: Step }[] = [];
    const errors: string[] = [];
    for await (const [n, text] of readLines(process.stdin)) {
      const s = text.trim();
      if (s === "" || s.startsWith("#")) continue;
      const r = parseScriptLine(s, n);
      if (r.ok) steps.push({ line: n, step: r.value });
      else if (errors.length < 20) errors.push(...r.errors);
    }
    if (errors.length > 0) {
      process.stderr.write(errors.map((e) => `vmbus-spec host: ${e}`).join("\n") + "\n");
      return 2;
    }

    let state = initialHostState(config);
    const out: string[] = [];
    const print = (line: number, o: HostOutput): void => {
      if (trace === "qemu") {
        const f = formatQemuTrace(o);
        if (f !== undefined) out.push(f);
      } else out.push(JSON.stringify({ line, ...o }));
    };
    const apply = (line: number, input: HostInput): void => {
      const r = hostStep(config, state, input);
      state = r.state;
      for (const o of r.outputs) print(line, o);
    };
    for (const { line, step } of steps) {
      if (step.kind !== "settle") {
        apply(line, step);
        continue;
      }
      for (let i = 0; i < 100000 && (state.inFlight || hostRunnable(config, state)); i++)
        apply(line, state.inFlight ? { kind: "deliveryResult", result: "delivered" } : { kind: "run" });
    }
    process.stdout.write(out.length ? out.join("\n") + "\n" : "");
    return 0;
  },
};
