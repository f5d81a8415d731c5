import { readFileSync } from "node:fs";
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { decodeMessageJson } from "../../io/messages.js";
import { formatErrors, Guid, Hex, U16, U32 } from "../../io/primitives.js";
import { encodeMessage, validateMessage } from "../../../spec/wire/codec.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import { DEFAULT_DEVICES } from "../../../spec/host/devices.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig } from "../../../spec/host/host.js";
import type { DeviceSpec, HostInput, HostOutput } from "../../../spec/host/interface.js";
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../../spec/host/profiles.js";
import { formatQemuTrace } from "../../../spec/host/trace.js";

const HELP = `usage: vmbus-spec host [--profile qemu|strict|openvmm] [--devices SPEC] [--vcpus N]
                        [--trace qemu] < inputs.jsonl

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

A bad line is reported with its line number and the path of the bad field, and nothing is run
(exit 1). Example:
  printf '%s\\n' '{"kind":"guest","message":{"type":"InitiateContact","form":"interruptPage",\\
    "vmbusVersionRequested":262144,"targetVcpu":0,"interruptPage":"0","monitorPage1":"0",\\
    "monitorPage2":"0"}}' '{"kind":"settle"}' | vmbus-spec host --profile qemu --trace qemu`;

const DeviceJson = t.strict(
  {
    name: t.string,
    interfaceType: Guid,
    interfaceInstance: Guid,
    subChannels: U16,
    channelFlags: U16,
    mmioMegabytes: U16,
    openResult: t.keyof({ ok: null, fail: null }),
  },
  "Device",
);

const Line = t.union([
  t.intersection([t.strict({ kind: t.literal("postMessage"), connectionId: U32, payload: Hex }), t.partial({ payloadSize: U32, messageType: U32 })]),
  t.intersection([t.strict({ kind: t.literal("guest"), message: t.unknown }), t.partial({ connectionId: U32, payloadSize: U32 })]),
  t.strict({ kind: t.literal("run") }),
  t.strict({ kind: t.literal("settle") }),
  t.strict({ kind: t.literal("deliveryResult"), result: t.keyof({ delivered: null, slotBusy: null, fatal: null }) }),
  t.intersection([t.strict({ kind: t.literal("signalEvent"), connectionId: U32, flagNumber: U16 }), t.partial({ interruptPageBits: t.array(U32) })]),
  t.strict({ kind: t.literal("deviceAdded"), device: DeviceJson }),
  t.strict({ kind: t.literal("rescindChannel"), relid: U32 }),
  t.strict({ kind: t.literal("deviceSignal"), relid: U32 }),
  t.strict({ kind: t.literal("reset") }),
]);

type Step = HostInput | { readonly kind: "settle" };
const KINDS = ["postMessage", "guest", "run", "settle", "deliveryResult", "signalEvent", "deviceAdded", "rescindChannel", "deviceSignal", "reset"];

/** One script line -> a step, or error lines naming the line and the bad field. */
export const parseScriptLine = (text: string, lineNo: number): { ok: true; value: Step } | { ok: false; errors: string[] } => {
  const at = `line ${lineNo}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${at}: bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`] };
  }
  const kind = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (typeof kind !== "string" || !KINDS.includes(kind)) return { ok: false, errors: [`${at}: kind: expected one of ${KINDS.join(", ")}, got ${JSON.stringify(kind) ?? "nothing"}`] };
  // Decode against the member for this kind only, so errors name that member's fields.
  const member = Line.types[KINDS.indexOf(kind)]!;
  const r = (member as t.Type<unknown>).decode(json);
  if (isLeft(r)) return { ok: false, errors: formatErrors(`${at}: ${kind}`, r.left) };
  const v = r.right as Record<string, unknown>;
  if (kind === "guest") {
    const m = decodeMessageJson(v.message, `${at}: guest.message`);
    if (!m.ok) return { ok: false, errors: m.errors.map((e) => (e.startsWith(at) ? e : `${at}: guest.message.${e}`)) };
    const valid = validateMessage(m.value);
    if (!valid.ok) return { ok: false, errors: [`${at}: guest.message: ${valid.error.message}`] };
    const bytes = encodeMessage(valid.value);
    return {
      ok: true,
      value: { kind: "postMessage", connectionId: (v.connectionId as number | undefined) ?? 1, messageType: 1, payloadSize: (v.payloadSize as number | undefined) ?? bytes.length, payload: bytesToHex(bytes) },
    };
  }
  if (kind === "postMessage")
    return {
      ok: true,
      value: { kind: "postMessage", connectionId: v.connectionId as number, messageType: (v.messageType as number | undefined) ?? 1, payloadSize: (v.payloadSize as number | undefined) ?? (v.payload as string).length / 2, payload: v.payload as string },
    };
  return { ok: true, value: v as unknown as Step };
};

const loadDevices = (spec: string | undefined): readonly DeviceSpec[] => {
  if (spec === undefined || spec === "default") return DEFAULT_DEVICES;
  if (spec === "none") return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, "utf8"));
  } catch (e) {
    throw new UsageError(`--devices ${spec}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  const r = t.array(DeviceJson).decode(json);
  if (isLeft(r)) throw new UsageError(`--devices ${spec}: ${formatErrors("devices", r.left)[0]}`);
  return r.right;
};

export const command: Command = {
  name: "host",
  summary: "run the host reducer (qemu | strict | openvmm) over a JSON-lines input script",
  help: HELP,
  run: async (argv) => {
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
    const config: HostConfig = { profile: profile as HostProfileName, devices: loadDevices(getString(a, "devices")), vcpuCount: getInt(a, "vcpus", 1, 4096) ?? 2 };

    const lines = readFileSync(0, "utf8").split("\n");
    const steps: { line: number; step: Step }[] = [];
    const errors: string[] = [];
    lines.forEach((text, i) => {
      const s = text.trim();
      if (s === "" || s.startsWith("#")) return;
      const r = parseScriptLine(s, i + 1);
      if (r.ok) steps.push({ line: i + 1, step: r.value });
      else errors.push(...r.errors);
    });
    if (errors.length > 0) {
      process.stderr.write(errors.map((e) => `vmbus-spec host: ${e}`).join("\n") + "\n");
      return 1;
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
