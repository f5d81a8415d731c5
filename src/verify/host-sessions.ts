/**
 * Host-role test generation, in the order of issue 8: (1) the host conformance vectors of the
 * profile (src/vectors/host.ts), (2) sessions derived from the explorer so that every host rule
 * reachable in the bounded system model (spec/system, src/explore) is exercised once, (3) seeded
 * fast-check random sessions including hostile posts. Every session is sanitized against the
 * spec (a delivery result is only sent while a message is in flight) and carries the rules the
 * spec applies along it (the coverage).
 */
import fc from "fast-check";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { RULES as HOST_RULES } from "../../spec/host/rules.js";
import { canonicalKey } from "../../spec/system/canonical.js";
import { hostileCatalogue } from "../../spec/system/hostile.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { specHost } from "../../spec/system/spec-host.js";
import { createSystem } from "../../spec/system/system.js";
import type { SystemState } from "../../spec/system/state.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { Version } from "../../spec/wire/versions.js";
import { visibleOutputs } from "../conformance/host-model.js";
import { checkConfig, type CheckOptions } from "../explore/check.js";
import { fingerprint } from "../explore/hash.js";
import { hostVectorFiles } from "../vectors/host.js";
import type { HostSession } from "./session.js";

const SETTLE_LIMIT = 10_000;

/** The host rules that apply to a profile (the coverage denominator). */
export const profileHostRules = (profile: HostProfileName): string[] =>
  HOST_RULES.filter((r) => !r.id.startsWith("HOST-INV-") && (r.profiles === "all" || (r.profiles as readonly string[]).includes(profile))).map((r) => r.id);

/** Rules an input exercises by its kind alone (they have no rejection output to show it). */
const inputRules = (h: HostState, i: HostInput): string[] => {
  const out: string[] = [];
  if (i.kind === "postMessage" && h.inFlight) out.push("HOST-RUN-1");
  if (i.kind === "deliveryResult") out.push(i.result === "slotBusy" ? "HOST-RUN-2" : i.result === "fatal" ? "HOST-RUN-3" : "HOST-RUN-1");
  if (i.kind === "reset") out.push("HOST-RESET-1");
  if (i.kind === "deviceAdded") out.push("HOST-OFFER-2");
  return out;
};

/** Run the spec over a session as the contract has it (quiescence after each input); drop inputs the verifier would never send. */
export const sanitizeHost = (profile: HostProfileName, s: HostSession): { session: HostSession; rules: Set<string> } => {
  const config: HostConfig = { profile, devices: s.devices, vcpuCount: s.vcpus };
  let h: HostState = initialHostState(config);
  const rules = new Set<string>();
  const apply = (i: HostInput): void => {
    const r = hostStep(config, h, i);
    h = r.state;
    const v = visibleOutputs(config, r.outputs);
    for (const x of v.rules) rules.add(x);
    for (const p of v.visible) for (const x of p.rules) rules.add(x);
  };
  const kept: HostInput[] = [];
  for (const i of s.inputs) {
    if (i.kind === "run") continue;
    if (i.kind === "deliveryResult" && !h.inFlight) continue; // HOST-RUN-4: the verifier never does this
    kept.push(i);
    for (const x of inputRules(h, i)) rules.add(x);
    apply(i);
    for (let n = 0; n < SETTLE_LIMIT && hostRunnable(config, h); n++) apply({ kind: "run" });
  }
  return { session: { ...s, inputs: kept }, rules };
};

// ---- (1) vectors -------------------------------------------------------------------------------

export const vectorSessions = (profile: HostProfileName): HostSession[] =>
  hostVectorFiles()
    .filter((f) => f.file.profile === profile)
    .map((f) => ({ source: `vector ${f.name.replace(/\.json$/, "")}`, vcpus: f.file.config.vcpuCount, devices: f.file.config.devices, inputs: f.file.steps.map((s) => s.input) }));

// ---- (2) explorer ------------------------------------------------------------------------------

/** Bounded system configurations whose union reaches the host rules: a Linux-like guest, and a hostile one. */
const exploreConfigs = (profile: HostProfileName): CheckOptions[] => [
  { profile, channels: 1, offers: 2, gpadls: 1, depth: 200, maxStates: 1500, hostile: false, modify: profile !== "qemu", rescinds: profile === "qemu" ? 0 : 1 },
  { profile, channels: 1, gpadls: 0, depth: 30, maxStates: 2500, hostile: true, hostilePosts: 2 },
  { profile, channels: 1, gpadls: 0, depth: 60, maxStates: 1500, hostile: true, hostileStart: "open", hostilePosts: 1 },
];

/** The host inputs a system path gives the host (recorded by replaying it through a recording host). */
const hostInputsOf = (o: CheckOptions, path: readonly SystemInput[]): HostInput[] => {
  const log: HostInput[] = [];
  const recording = { ...specHost, step: (c: HostConfig, s: HostState, i: HostInput) => (log.push(i), specHost.step(c, s, i)) };
  const sys = createSystem(recording);
  const config = checkConfig(o);
  let s = sys.initial(config);
  for (const i of path) s = sys.step(config, s, i).state;
  return log.filter((i) => i.kind !== "run");
};

/** Breadth-first over the bounded system models; the first (shortest) path to each host rule becomes a session. */
export const exploreSessions = (profile: HostProfileName): HostSession[] => {
  const sys = createSystem(specHost);
  const found = new Map<string, { o: CheckOptions; path: SystemInput[] }>();
  for (const o of exploreConfigs(profile)) {
    const config = checkConfig(o);
    const seen = new Set<string>();
    type Node = { s: SystemState<HostState>; parent: Node | null; via: SystemInput | null };
    let frontier: Node[] = [{ s: sys.initial(config), parent: null, via: null }];
    const pathOf = (n: Node, last: SystemInput): SystemInput[] => {
      const p: SystemInput[] = [last];
      for (let x: Node | null = n; x && x.via; x = x.parent) p.push(x.via);
      return p.reverse();
    };
    for (let depth = 0; frontier.length > 0 && depth < o.depth && seen.size < o.maxStates; depth++) {
      const next: Node[] = [];
      for (const n of frontier) {
        for (const input of sys.enabled(config, n.s)) {
          const r = sys.step(config, n.s, input);
          const hostOut = r.outputs.flatMap((x) => (x.source === "host" ? [x.output] : []));
          const v = visibleOutputs(config.host, hostOut);
          const rules = [...v.rules, ...v.visible.flatMap((p) => p.rules)];
          for (const rule of rules) if (!found.has(rule)) found.set(rule, { o, path: pathOf(n, input) });
          if (hostOut.some((x) => x.kind === "defect")) continue; // a real host crashed here
          const fp = fingerprint(canonicalKey(r.state));
          if (seen.has(fp) || seen.size >= o.maxStates) continue;
          seen.add(fp);
          next.push({ s: r.state, parent: n, via: input });
        }
      }
      frontier = next;
    }
  }
  return [...found.entries()]
    .sort((a, b) => a[1].path.length - b[1].path.length || a[0].localeCompare(b[0]))
    .map(([rule, { o, path }]) => ({ source: `explore ${rule}`, vcpus: 1, devices: checkConfig(o).host.devices, inputs: hostInputsOf(o, path) }));
};

// ---- (3) random --------------------------------------------------------------------------------

const post = (connectionId: number, bytes: Uint8Array, payloadSize = bytes.length): HostInput => ({ kind: "postMessage", connectionId, messageType: 1, payloadSize, payload: bytesToHex(bytes) });
const contact = (v: number, connectionId = v >= Version.WIN10_V5 ? 4 : 1): HostInput =>
  v >= Version.WIN10_V5
    ? post(connectionId, encodeMessage({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: v, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" }))
    : post(connectionId, encodeMessage({ type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: v, targetVcpu: 0, interruptPage: "12288", monitorPage1: "4096", monitorPage2: "8192" }));
const DELIVERED: HostInput = { kind: "deliveryResult", result: "delivered" };

/** A random session: an optional connect prefix, then guest posts (well-formed and hostile), delivery results and device events. */
const sessionArb = (profile: HostProfileName, depth: number): fc.Arbitrary<HostInput[]> => {
  const catalogue = [1, 2, 3].flatMap((r) => hostileCatalogue({ knownRelid: r, lengths: r === 1 }));
  const hostile = fc.constantFrom(...catalogue).map((e): HostInput => ({ kind: "postMessage", connectionId: e.connectionId, messageType: 1, payloadSize: e.payloadSize, payload: e.payload }));
  const versions = profile === "qemu" ? [Version.WIN10, Version.WIN8_1, Version.WIN8, Version.WIN7, 0x00050000] : [Version.WIN10_V6_0, Version.WIN10_V5_3, Version.WIN10, Version.WIN8_1];
  const input: fc.Arbitrary<HostInput> = fc.oneof(
    { weight: 6, arbitrary: fc.constant(DELIVERED) },
    { weight: 5, arbitrary: hostile },
    { weight: 1, arbitrary: fc.constantFrom<HostInput>({ kind: "deliveryResult", result: "slotBusy" }, { kind: "deliveryResult", result: "fatal" }, { kind: "reset" }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("signalEvent" as const), connectionId: fc.constantFrom(2, 17, 18, 0x2001, 0x2002, 0x1000000), flagNumber: fc.constantFrom(0, 0, 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("deviceSignal" as const, "rescindChannel" as const), relid: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...versions), fc.constantFrom(1, 4)).map(([v, c]) => contact(v, c)) },
  );
  const prefix = fc.tuple(fc.constantFrom(...versions), fc.constantFrom(1, 4)).map(([v, c]) => [contact(v, c), DELIVERED, post(1, encodeMessage({ type: "RequestOffers" })), ...Array<HostInput>(8).fill(DELIVERED)]);
  return fc.tuple(fc.option(prefix, { freq: 3 }), fc.array(input, { minLength: 1, maxLength: depth })).map(([p, xs]) => [...(p ?? []), ...xs]);
};

export const randomSessions = (profile: HostProfileName, seed: number, count: number, depth: number): HostSession[] =>
  count <= 0 ? [] : fc.sample(sessionArb(profile, depth), { seed, numRuns: count }).map((inputs, i) => ({ source: `random ${seed}/${i}`, vcpus: 2, devices: DEFAULT_DEVICES, inputs }));

export interface GeneratedSession {
  readonly session: HostSession;
  /** Rules the spec applies along the session. */
  readonly rules: ReadonlySet<string>;
}

/**
 * The sessions in order, generated lazily: a verdict in an early vector session does not pay
 * for the explorer.
 */
export function* generateHostSessions(profile: HostProfileName, o: { seed: number; sessions: number; depth: number; explore: boolean }): Generator<GeneratedSession> {
  const phases: (() => HostSession[])[] = [() => vectorSessions(profile), () => (o.explore ? exploreSessions(profile) : []), () => randomSessions(profile, o.seed, o.sessions, o.depth)];
  for (const phase of phases) for (const s of phase()) yield sanitizeHost(profile, s);
}
