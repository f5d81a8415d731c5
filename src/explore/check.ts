/**
 * `runCheck`: build a system configuration from check options, explore it, and report.
 */
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import type { HostConfig, HostProfileName } from "../../spec/host/host.js";
import type { DeviceSpec } from "../../spec/host/interface.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { hostileCatalogue } from "../../spec/system/hostile.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemModel } from "../../spec/system/system.js";
import { runMessages, type RunStep } from "../../spec/system/run.js";
import { explore, type Finding } from "./bfs.js";
import { traceToJson, traceToMermaid, traceToText, type TraceStepJson } from "./trace.js";

export interface CheckOptions {
  readonly profile: HostProfileName;
  /** Devices the host offers (one channel each) and the guest opens. */
  readonly channels: number;
  /** Extra buffer GPADLs the guest creates on each opened channel. */
  readonly gpadls: number;
  readonly depth: number;
  readonly maxStates: number;
  readonly hostile: boolean;
  /** RESCIND device events allowed per run. */
  readonly rescinds?: number;
  /** Times each channel is opened and closed (default 1). */
  readonly cycles?: number;
  /** Drivers also send MODIFYCHANNEL. */
  readonly modify?: boolean;
  /** The guest's max_version (Linux module parameter): newer candidates are skipped. */
  readonly maxVersion?: number;
  /** Ring size (pages per direction). */
  readonly ringPages?: number;
  /** Host parameter overrides (plant bugs in tests). */
  readonly hostParameters?: HostConfig["parameters"];
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number; readonly seconds: number }) => void;
}

export interface ViolationReport {
  readonly kind: "invariant" | "deadlock" | "defect";
  readonly rule: string;
  readonly message: string;
  readonly trace: readonly TraceStepJson[];
}

export interface CheckReport {
  readonly profile: HostProfileName;
  readonly hostile: boolean;
  readonly channels: number;
  readonly gpadls: number;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  /** Every reachable state was explored (no depth or state bound was hit). */
  readonly complete: boolean;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly violations: readonly ViolationReport[];
  /** Per violation, the recorded run of its shortest trace (inputs + message bytes), for run files. */
  readonly runs: readonly (readonly RunStep[])[];
}

/** Device i of a check: a storvsc-like device without sub-channels. */
export const checkDevices = (n: number): readonly DeviceSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `dev${i}`,
    interfaceType: "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f",
    interfaceInstance: `5a0b7a8e-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`,
    subChannels: 0,
    channelFlags: 0,
    mmioMegabytes: 0,
    openResult: "ok" as const,
  }));

export const checkConfig = (o: CheckOptions): SystemConfig<HostConfig> => {
  const host: HostConfig = { profile: o.profile, devices: checkDevices(o.channels), vcpuCount: 1, ...(o.hostParameters ? { parameters: o.hostParameters } : {}) };
  const pages = o.ringPages ?? 2;
  return {
    host,
    guest: o.maxVersion === undefined ? DEFAULT_GUEST_CONFIG : { ...DEFAULT_GUEST_CONFIG, maxVersion: o.maxVersion },
    driver: { ...DEFAULT_DRIVER, channels: o.channels, cycles: o.cycles ?? 1, buffers: o.gpadls, ringPages: { send: pages, recv: pages }, modify: o.modify ?? false },
    rescinds: o.rescinds ?? 0,
    ...(o.hostile ? { hostile: { catalogue: hostileCatalogue({ knownRelid: 1, lengths: true }), queueBound: 1 } } : {}),
  };
};

export const findingReport = (f: Finding): ViolationReport => ({
  kind: f.violation.kind,
  rule: f.violation.rule,
  message: f.violation.message.replace(/\s+/g, " "),
  trace: traceToJson(f.trace),
});

export const runCheckWith = async <HS>(model: SystemModel<HostConfig, HS>, o: CheckOptions): Promise<CheckReport> => {
  const config = checkConfig(o);
  const t0 = performance.now();
  const r = explore(model, config, {
    maxDepth: o.depth,
    maxStates: o.maxStates,
    onProgress: (p) => o.onProgress?.({ ...p, seconds: (performance.now() - t0) / 1000 }),
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    profile: o.profile,
    hostile: o.hostile,
    channels: o.channels,
    gpadls: o.gpadls,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    complete: r.complete,
    seconds: Math.round(seconds * 1000) / 1000,
    statesPerSecond: seconds > 0 ? Math.round(r.states / seconds) : r.states,
    violations: r.findings.map(findingReport),
    runs: r.findings.map((f) => f.trace.map((t) => ({ input: t.input, messages: runMessages(t.outputs) }))),
  };
};

/** Explore the spec's guest + host + transport (spec/system/spec-host.ts). */
export const runCheck = (o: CheckOptions): Promise<CheckReport> => runCheckWith(specSystem, o);

export const formatReport = (r: CheckReport): string => {
  const head =
    `check: profile ${r.profile}${r.hostile ? " (hostile guest)" : ""}, ${r.channels} channel(s), ${r.gpadls} extra GPADL(s)\n` +
    `  ${r.states} states, ${r.transitions} transitions, depth ${r.depth}${r.complete ? " (exhaustive)" : " (bounded)"}, ` +
    `${r.seconds.toFixed(2)} s, ${r.statesPerSecond} states/s\n`;
  if (r.violations.length === 0) return `${head}  no violation\n`;
  const body = r.violations
    .map((v) => {
      const verdict = `${v.kind.toUpperCase()} ${v.rule}: ${v.message}`;
      return `\n${verdict}\nshortest trace (${v.trace.length} steps):\n${traceToText(v.trace)}\n\n\`\`\`mermaid\n${traceToMermaid(v.trace, verdict)}\n\`\`\`\n`;
    })
    .join("");
  return `${head}  ${r.violations.length} violation(s)\n${body}`;
};
