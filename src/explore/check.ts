/**
 * `runCheck`: build a system configuration from check options, explore it, and report.
 */
import { MODEL_GUEST_CONFIG } from "../../spec/guest/config.js";
import type { HostConfig, HostProfileName } from "../../spec/host/host.js";
import type { DeviceSpec } from "../../spec/host/interface.js";
import { DEFAULT_DRIVER, type HostileStart, type SystemConfig } from "../../spec/system/config.js";
import { DEFECT_ROWS, type Outcome } from "../../spec/system/outcomes.js";
import { hostileCatalogue } from "../../spec/system/hostile.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemModel } from "../../spec/system/system.js";
import { runMessages, type RunStep } from "../../spec/system/run.js";
import { exploreAsync, type Exploration, type ExploreMode, type ExploreResult, type Finding, type StopReason } from "./bfs.js";
import type { Shape } from "./shape.js";
import { ANY_SYSTEM_STATE, SPEC_SYSTEM_STATE } from "./state-shape.js";
import { traceToJson, traceToMermaid, traceToText, type TraceStepJson } from "./trace.js";
import { liftResult, symmetricSystem, SymmetryRefused, symmetryRefusal } from "./symmetry.js";

export interface CheckOptions {
  readonly profile: HostProfileName;
  /** Channels the guest's drivers open (the first ones offered). */
  readonly channels: number;
  /** Devices the host offers, one channel each (default: `channels`); extra ones stay unopened. */
  readonly offers?: number;
  /** Extra buffer GPADLs the guest creates on each opened channel. */
  readonly gpadls: number;
  readonly depth: number;
  readonly maxStates: number;
  readonly hostile: boolean;
  /** Hostile posts per run (default: DEFAULT_HOSTILE_POSTS of the start point). */
  readonly hostilePosts?: number;
  /**
   * Where the hostile guest starts (default "boot": it replaces the Linux-like guest); the
   * others are mixed mode: the Linux-like guest runs and, from every state after the point, the
   * hostile guest may inject its posts.
   */
  readonly hostileStart?: HostileStart;
  /** RESCIND device events allowed per run. */
  readonly rescinds?: number;
  /** Times each channel is opened and closed (default 1). */
  readonly cycles?: number;
  /** Drivers also send MODIFYCHANNEL. */
  readonly modify?: boolean;
  /** The guest's max_version (Linux module parameter): newer candidates are skipped. */
  readonly maxVersion?: number;
  /** The Linux-like guest's kernel may crash once into kdump (DriverScript.crash). */
  readonly crash?: boolean;
  /** The hostile guest may also change its SynIC: message page, SINT mask (HostileConfig.synic). */
  readonly hostileSynic?: boolean;
  /** Ring size (pages per direction). */
  readonly ringPages?: number;
  /** Host parameter overrides (plant bugs in tests). */
  readonly hostParameters?: HostConfig["parameters"];
  /** Deduplication: 64-bit fingerprints (default), exact canonical states, or a bitstate table. */
  readonly mode?: ExploreMode;
  /** Bitstate mode: log2 of the table's bits (default 27: 16 MiB). */
  readonly bitstateBits?: number;
  /** Guest-signal reduction (default true; see ExploreOptions.reduceSignals). */
  readonly reduceSignals?: boolean;
  /** Channel symmetry (symmetry.ts): one state per permutation of the channels, once the guest holds every offer. */
  readonly symmetry?: boolean;
  /** The breadth-first queue: encoded states (default) or live objects; and its memory budget (ExploreOptions). */
  readonly queue?: "compact" | "live";
  readonly queueBudgetBytes?: number;
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number; readonly seconds: number }) => void;
  /** Receives the running exploration (to interrupt it on Ctrl-C). */
  readonly onStart?: (e: Exploration<HostConfig, unknown>) => void;
}

export interface ViolationReport {
  readonly kind: "invariant" | "deadlock" | "defect" | "liveness";
  readonly rule: string;
  readonly message: string;
  readonly trace: readonly TraceStepJson[];
}

export interface OutcomeReport {
  readonly rule: string;
  /** The QEMU quirk it exhibits in profile qemu (null: none, or another profile). */
  readonly row: number | null;
  readonly message: string;
  readonly trace: readonly TraceStepJson[];
}

export interface CheckReport {
  readonly profile: HostProfileName;
  readonly hostile: boolean;
  /** Hostile mode: start point and budget of posts per run. */
  readonly hostileStart?: HostileStart;
  readonly hostilePosts?: number;
  readonly channels: number;
  readonly offers?: number;
  readonly gpadls: number;
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  /** Every reachable state was explored (no depth or state bound was hit). */
  readonly complete: boolean;
  /** Why the search stopped early (null: complete). */
  readonly stoppedBy?: StopReason | null;
  readonly mode?: ExploreMode;
  /** Probability that a state was missed (fingerprint collision, or bitstate omission); 0 in exact mode. */
  readonly collisionProbability?: number;
  /** Bitstate mode: table size (log2 bits), hashes per state, bits per stored state. */
  readonly bitstate?: { readonly log2Bits: number; readonly hashes: number; readonly hashFactor: number };
  /** False when SYS-LIVE-1/-2 were not checked (bitstate mode). */
  readonly livenessChecked?: boolean;
  /** Channel symmetry was used: states are counted one per permutation of the channels. */
  readonly symmetry?: true;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly violations: readonly ViolationReport[];
  /** Protocol outcomes (not violations): host rejections and QEMU quirks, with shortest traces. */
  readonly outcomes: readonly OutcomeReport[];
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

/** Default budget of hostile posts per run: from boot 2, mixed 1 (each post multiplies the state space by about 50). */
export const DEFAULT_HOSTILE_POSTS: Readonly<Record<HostileStart, number>> = { boot: 2, connected: 1, open: 1, closed: 1 };
/**
 * From boot against `qemu` the default budget is 3: the smallest that reaches every QEMU defect
 * the spec must find from boot (#1 needs INITIATE_CONTACT, GPADL_HEADER, GPADL_BODY), ~136k
 * states. Other profiles keep 2, which is exhaustive within the default state budget (3 is not).
 */
export const QEMU_BOOT_HOSTILE_POSTS = 3;
export const hostilePosts = (o: Pick<CheckOptions, "hostilePosts" | "hostileStart" | "profile">): number =>
  o.hostilePosts ?? ((o.hostileStart ?? "boot") === "boot" && o.profile === "qemu" ? QEMU_BOOT_HOSTILE_POSTS : DEFAULT_HOSTILE_POSTS[o.hostileStart ?? "boot"]);

export const checkConfig = (o: CheckOptions): SystemConfig<HostConfig> => {
  const host: HostConfig = { profile: o.profile, devices: checkDevices(Math.max(o.offers ?? o.channels, o.channels)), vcpuCount: 2, ...(o.hostParameters ? { parameters: o.hostParameters } : {}) };
  const pages = o.ringPages ?? 2;
  return {
    host,
    guest: o.maxVersion === undefined ? MODEL_GUEST_CONFIG : { ...MODEL_GUEST_CONFIG, maxVersion: o.maxVersion },
    driver: { ...DEFAULT_DRIVER, channels: o.channels, cycles: o.cycles ?? 1, buffers: o.gpadls, ringPages: { send: pages, recv: pages }, modify: o.modify ?? false, ...(o.crash ? { crash: true } : {}) },
    rescinds: o.rescinds ?? 0,
    ...(o.hostile
      ? {
          hostile: {
            catalogue: hostileCatalogue({ knownRelid: 1, lengths: true, openvmm: o.profile === "openvmm" }),
            live: true,
            posts: hostilePosts(o),
            start: o.hostileStart ?? "boot",
            ...(o.hostileSynic ? { synic: true } : {}),
          },
        }
      : {}),
  };
};

export const findingReport = (f: Finding): ViolationReport => ({
  kind: f.violation.kind,
  rule: f.violation.rule,
  message: f.violation.message.replace(/\s+/g, " "),
  trace: traceToJson(f.trace),
});

export const runCheckWith = async <HS>(model: SystemModel<HostConfig, HS>, o: CheckOptions, shape?: Shape): Promise<CheckReport> => {
  const config = checkConfig(o);
  if (o.symmetry) {
    const refusal = symmetryRefusal(o);
    if (refusal !== undefined) throw new SymmetryRefused(refusal);
  }
  const t0 = performance.now();
  const r = await exploreAsync(
    o.symmetry ? symmetricSystem(model, o.channels) : model,
    config,
    {
      maxDepth: o.depth,
      maxStates: o.maxStates,
      mode: o.mode ?? "fingerprint",
      ...(o.bitstateBits !== undefined ? { bitstateBits: o.bitstateBits } : {}),
      reduceSignals: o.reduceSignals ?? true,
      ...(o.queue !== undefined ? { queue: o.queue } : {}),
      ...(o.queueBudgetBytes !== undefined ? { queueBudgetBytes: o.queueBudgetBytes } : {}),
      shape: shape ?? ((model as unknown) === specSystem ? SPEC_SYSTEM_STATE : ANY_SYSTEM_STATE),
      onProgress: (p) => o.onProgress?.({ ...p, seconds: (performance.now() - t0) / 1000 }),
    },
    o.onStart as ((e: Exploration<HostConfig, HS>) => void) | undefined,
  );
  return checkReport(o, o.symmetry ? liftResult(model, config, o.channels, r) : r, (performance.now() - t0) / 1000);
};

/** The report of a check from its search's result (one thread or several: parallel.ts). */
export const checkReport = (o: CheckOptions, r: ExploreResult, seconds: number): CheckReport => {
  const row = (x: Outcome): number | null => (o.profile === "qemu" ? x.row : null);
  return {
    profile: o.profile,
    hostile: o.hostile,
    ...(o.hostile ? { hostileStart: o.hostileStart ?? "boot", hostilePosts: hostilePosts(o) } : {}),
    channels: o.channels,
    ...(o.offers !== undefined && o.offers !== o.channels ? { offers: o.offers } : {}),
    gpadls: o.gpadls,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    complete: r.complete,
    stoppedBy: r.stoppedBy,
    mode: r.mode,
    collisionProbability: r.collisionProbability,
    ...(r.bitstate ? { bitstate: r.bitstate } : {}),
    ...(r.livenessChecked ? {} : { livenessChecked: false }),
    ...(o.symmetry ? { symmetry: true as const } : {}),
    seconds: Math.round(seconds * 1000) / 1000,
    statesPerSecond: seconds > 0 ? Math.round(r.states / seconds) : r.states,
    violations: r.findings.map(findingReport),
    outcomes: r.outcomes.map((x) => ({ rule: x.outcome.rule, row: row(x.outcome), message: x.outcome.message.replace(/\s+/g, " "), trace: traceToJson(x.trace) })),
    runs: r.findings.map((f) => f.trace.map((t) => ({ input: t.input, messages: runMessages(t.outputs) }))),
  };
};

/** Explore the spec's guest + host + transport (spec/system/spec-host.ts). */
export const runCheck = (o: CheckOptions): Promise<CheckReport> => runCheckWith(specSystem, o);

/** QEMU quirks a report exhibits (qemu): defects found as violations and quirks found as outcomes, with shortest trace lengths. */
export const rowsFound = (r: CheckReport): ReadonlyMap<number, { readonly rule: string; readonly steps: number }> => {
  const m = new Map<number, { rule: string; steps: number }>();
  if (r.profile !== "qemu") return m;
  const add = (row: number | null | undefined, rule: string, steps: number): void => {
    if (row === null || row === undefined) return;
    const cur = m.get(row);
    if (!cur || steps < cur.steps) m.set(row, { rule, steps });
  };
  for (const v of r.violations) add(DEFECT_ROWS[v.rule], v.rule, v.trace.length);
  for (const x of r.outcomes) add(x.row, x.rule, x.trace.length);
  return new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
};

const hostileLabel = (r: CheckReport): string =>
  !r.hostile ? "" : r.hostileStart === "boot" || r.hostileStart === undefined ? ` (hostile guest, ${r.hostilePosts} posts)` : ` (Linux-like guest + hostile posts after "${r.hostileStart}", ${r.hostilePosts} per run)`;

export type Verdict = "violation" | "no violation" | "bounded: not exhaustive" | "interrupted";

/** A violation found is a verdict whatever the bounds; no violation means something only when the search was exhaustive. */
/** A bitstate search may have taken unexplored states as seen: it is never exhaustive. */
export const verdictOf = (r: Pick<CheckReport, "violations" | "complete" | "stoppedBy"> & { readonly mode?: ExploreMode }): Verdict =>
  r.violations.length > 0 ? "violation" : r.stoppedBy === "interrupted" ? "interrupted" : r.complete && r.mode !== "bitstate" ? "no violation" : "bounded: not exhaustive";

export const steps = (n: number): string => `${n} step${n === 1 ? "" : "s"}`;

const STOPPED: Readonly<Record<StopReason, string>> = { depth: "the --depth bound", states: "the --max-states bound", interrupted: "Ctrl-C" };

/** The fingerprint line every run prints (as TLC does). */
export const missLine = (r: Pick<CheckReport, "mode" | "collisionProbability" | "bitstate">): string =>
  r.mode === "exact"
    ? "exact mode: every state stored in full"
    : r.mode === "bitstate" && r.bitstate
      ? `bitstate mode: 2^${r.bitstate.log2Bits}-bit table, ${r.bitstate.hashes} hashes, ${Math.round(r.bitstate.hashFactor)} bits per state; probability that a new state was taken as seen ≈ ${(r.collisionProbability ?? 0).toExponential(1)} (such states are never explored: not exhaustive); liveness not checked`
      : `fingerprint mode: probability that a state was missed ≤ ${(r.collisionProbability ?? 0).toExponential(1)} (64-bit fingerprints; --mode exact for none)`;

export const formatReport = (r: CheckReport, opts: { readonly outcomeTraces?: boolean } = {}): string => {
  const rows = rowsFound(r);
  const outcomes =
    r.outcomes.length === 0
      ? ""
      : `  ${r.outcomes.length} protocol outcome(s) (not violations):\n` +
        r.outcomes.map((x) => `    ${x.rule}${x.row !== null ? ` (QEMU quirk Q${x.row})` : ""}: ${x.message} — shortest trace ${steps(x.trace.length)}\n`).join("") +
        (rows.size ? `  QEMU quirks exhibited: ${[...rows].map(([n, x]) => `Q${n} ${x.rule} (${steps(x.steps)})`).join(", ")}\n` : "") +
        (opts.outcomeTraces ? r.outcomes.map((x) => `\nOUTCOME ${x.rule}${x.row !== null ? ` (QEMU quirk Q${x.row})` : ""}: ${x.message}\nshortest trace (${steps(x.trace.length)}):\n${traceToText(x.trace)}\n`).join("") : "");
  const bound = r.complete && r.mode === "bitstate" ? " (search complete; bitstate: not exhaustive)" : r.complete ? " (exhaustive)" : ` (bounded: not exhaustive, stopped by ${r.stoppedBy ? STOPPED[r.stoppedBy] : "a bound"})`;
  const head =
    `check: profile ${r.profile}${hostileLabel(r)}, ${r.channels} channel(s)${r.offers !== undefined ? ` of ${r.offers} offered` : ""}, ${r.gpadls} extra GPADL(s)\n` +
    `  ${r.states} states, ${r.transitions} transitions, depth ${r.depth}${bound}, ` +
    `${r.seconds.toFixed(2)} s, ${r.statesPerSecond} states/s\n` +
    (r.mode ? `  ${missLine(r)}\n` : "") +
    (r.symmetry ? "  channel symmetry: one state per permutation of the channels once the guest holds every offer; traces are real runs\n" : "");
  const verdict = verdictOf(r);
  if (r.violations.length === 0) return `${head}  ${verdict === "no violation" ? "no violation" : `no violation found so far (${verdict})`}\n${outcomes}`;
  const body = r.violations
    .map((v) => {
      const verdict = `${v.kind.toUpperCase()} ${v.rule}: ${v.message}`;
      return `\n${verdict}\nshortest trace (${steps(v.trace.length)}):\n${traceToText(v.trace)}\n\n\`\`\`mermaid\n${traceToMermaid(v.trace, verdict)}\n\`\`\`\n`;
    })
    .join("");
  return `${head}  ${r.violations.length} violation(s)\n${outcomes}${body}`;
};

/** The JSON form of a report (no run files). */
export const reportJson = (report: CheckReport): Record<string, unknown> => {
  const { states, transitions, depth, seconds, statesPerSecond, violations, outcomes, complete, stoppedBy, mode, collisionProbability, profile: p, hostile } = report;
  const modeFields = hostile ? { hostileStart: report.hostileStart, hostilePosts: report.hostilePosts } : {};
  const bitstate = report.bitstate ? { bitstate: report.bitstate, livenessChecked: false } : {};
  return { profile: p, hostile, ...modeFields, verdict: verdictOf(report), states, transitions, depth, complete, stoppedBy, mode, collisionProbability, ...bitstate, ...(report.symmetry ? { symmetry: true } : {}), seconds, statesPerSecond, violations, outcomes };
};
