/**
 * Host conformance vectors (format: docs/vectors.md `host/`). Each scenario of
 * host-scenarios.ts is run through the host reducer (spec/host: the reducer IS the spec) once
 * per profile it is written for; the file records the configuration, every input (a `settle`
 * is expanded into the explicit run / delivered inputs it stands for) with the outputs the
 * reducer produced, and the host's final view. Host invariants are checked after every step
 * while writing (a violation aborts). Deterministic: no randomness, stable key order.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { checkHostInvariants, hostRunnable, hostStep, hostView, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { formatQemuTrace } from "../../spec/host/trace.js";
import { decodeScriptStep } from "../io/host-inputs.js";
import { HOST_SCENARIO_PROFILES, HOST_SCENARIOS, type HostScenario } from "./host-scenarios.js";

export const HOST_VECTORS_FORMAT_VERSION = 1;
/** Bound on the run/deliver loop of one `settle` (a scenario that does not settle aborts). */
const SETTLE_LIMIT = 10_000;

/** An output as recorded: the reducer's HostOutput; trace outputs also carry the QEMU log line. */
export type HostOutputRecord = HostOutput | (Extract<HostOutput, { kind: "trace" }> & { readonly text: string });

export interface HostVectorStep {
  readonly input: HostInput;
  readonly outputs: readonly HostOutputRecord[];
}

export interface HostScenarioFile {
  readonly formatVersion: number;
  readonly kind: "host-scenario";
  readonly id: string;
  readonly profile: HostProfileName;
  readonly title: string;
  readonly config: { readonly profile: HostProfileName; readonly vcpuCount: number; readonly devices: HostConfig["devices"] };
  readonly steps: readonly HostVectorStep[];
  readonly final: ReturnType<typeof hostView>;
}

export interface HostVectorSummary {
  readonly outDir: string;
  readonly files: number;
  readonly scenarios: number;
  readonly steps: number;
}

export interface WriteOptions {
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

const record = (o: HostOutput): HostOutputRecord => {
  if (o.kind !== "trace") return o;
  const text = formatQemuTrace(o);
  return text === undefined ? o : { ...o, text };
};

/** Run one scenario under one profile: the vector file's content. Throws on a bad step or a broken invariant. */
export const hostScenarioFile = (sc: HostScenario, profile: HostProfileName): HostScenarioFile => {
  const config: HostConfig = { profile, devices: sc.devices === "none" ? [] : DEFAULT_DEVICES, vcpuCount: sc.vcpuCount ?? 2 };
  let state: HostState = initialHostState(config);
  const steps: HostVectorStep[] = [];
  const apply = (input: HostInput): void => {
    const r = hostStep(config, state, input);
    state = r.state;
    const bad = checkHostInvariants(config, state);
    if (bad.length > 0) throw new Error(`host vectors: ${profile}/${sc.id}: invariant broken after step ${steps.length}: ${JSON.stringify(bad)}`);
    steps.push({ input, outputs: r.outputs.map(record) });
  };
  sc.steps.forEach((raw, i) => {
    const d = decodeScriptStep(raw, `${sc.id} step ${i}`);
    if (!d.ok) throw new Error(`host vectors: ${d.errors.join("; ")}`);
    const step = d.value;
    if (step.kind !== "settle") return apply(step);
    let n = 0;
    for (; n < SETTLE_LIMIT && (state.inFlight || hostRunnable(config, state)); n++) apply(state.inFlight ? { kind: "deliveryResult", result: "delivered" } : { kind: "run" });
    if (n === SETTLE_LIMIT) throw new Error(`host vectors: ${profile}/${sc.id}: step ${i} does not settle`);
  });
  return {
    formatVersion: HOST_VECTORS_FORMAT_VERSION,
    kind: "host-scenario",
    id: sc.id,
    profile,
    title: sc.title,
    config: { profile, vcpuCount: config.vcpuCount, devices: config.devices },
    steps,
    final: hostView(state),
  };
};

/** Every (scenario, profile) pair, in a fixed order, with its relative file name. */
export const hostVectorFiles = (): { name: string; file: HostScenarioFile }[] =>
  HOST_SCENARIO_PROFILES.flatMap((profile) =>
    HOST_SCENARIOS.filter((sc) => (sc.profiles ?? HOST_SCENARIO_PROFILES).includes(profile)).map((sc) => ({ name: `${profile}/${sc.id}.json`, file: hostScenarioFile(sc, profile) })),
  );

/** Write every host scenario file under `outDir/host/<profile>/` and `host/index.json`; returns counts. */
export const writeHostVectors = async (outDir: string, opts: WriteOptions = {}): Promise<HostVectorSummary> => {
  const dir = join(outDir, "host");
  const files = hostVectorFiles();
  for (const p of HOST_SCENARIO_PROFILES) await mkdir(join(dir, p), { recursive: true });
  let steps = 0;
  for (const [i, { name, file }] of files.entries()) {
    await writeFile(join(dir, name), JSON.stringify(file, null, 1) + "\n");
    steps += file.steps.length;
    opts.onProgress?.(i + 1, files.length, name);
  }
  const index = { formatVersion: HOST_VECTORS_FORMAT_VERSION, kind: "host-index", files: files.map((f) => f.name), scenarios: files.length, steps };
  await writeFile(join(dir, "index.json"), JSON.stringify(index, null, 1) + "\n");
  return { outDir: dir, files: files.length + 1, scenarios: files.length, steps };
};
