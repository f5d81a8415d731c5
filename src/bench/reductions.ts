/**
 * `npm run bench -- reductions`: what each candidate state-space reduction would buy on a check
 * configuration, measured before any is built (docs/scale.md "Reductions"). Breadth-first walks
 * of the full interleaving (no signal reduction), exact states (canonical keys), each bounded by
 * `--states`:
 * - **plain**: the states there are;
 * - **handles**: states distinct up to a renaming of GPADL handles (renaming.ts: the handles in
 *   order of first occurrence), what a symmetry over the guest's handle counter would keep;
 * - **channels**: states distinct up to a permutation of the channels (relids and all that is
 *   named after them), the smallest key over the n! permutations, once the guest has every offer
 *   (before, the host's offering order breaks the symmetry); **channels+handles** both;
 * - **hostRun first**: a partial-order reduction that takes the host's run alone where it is
 *   most likely to be sound — no message in flight or in the slot (nothing the guest can read
 *   before the run), only driver actions and posts enabled besides it, every enabled post
 *   commuting with the run, the run reporting nothing, and its successor new (the cycle proviso).
 *   An optimistic bound: C1 is checked against the posts enabled now only, and C2 not at all.
 * A symmetry is only sound if each renaming is an automorphism of the system. The walk checks
 * that on the plain states (up to `--check-states`): for each renaming π and state s, the
 * successors of π(s) are the π-images of the successors of s; the failures are counted. A
 * quotient with failures would merge states with different futures: its figure is then an upper
 * bound of nothing, only a count.
 * The spec's reducers are called as they are; nothing is re-implemented.
 */
import { canonicalKey } from "../../spec/system/canonical.js";
import { stepViolations } from "../../spec/system/invariants.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { getInt } from "../cli/args.js";
import { parseConfigArgs } from "./config-args.js";
import { checkConfig } from "../explore/check.js";
import { handleCanonicalRenaming, handleRenaming, relidPermutations, relidRenaming, renameValue, type Renaming } from "../explore/renaming.js";

export const USAGE =
  "usage: npm run bench -- reductions [--profile qemu|strict|openvmm] [--channels N] [--gpadls N] [--states N] [--check-states N] [--json]";

type SpecState = ReturnType<typeof specSystem.initial>;
type Config = ReturnType<typeof checkConfig>;

export interface Walk {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly complete: boolean;
}

export interface Reductions {
  readonly plain: Walk;
  readonly handles: Walk;
  readonly channels: Walk;
  readonly channelsAndHandles: Walk;
  readonly hostRunFirst: Walk & { readonly prunedStates: number };
  /** States of the plain walk where each renaming was checked to commute with the successors. */
  readonly checkedStates: number;
  /** States where the canonical handle renaming does not commute with the successors. */
  readonly handleFailures: number;
  /** States (once the guest has every offer) where some channel permutation does not. */
  readonly channelFailures: number;
  /** The first such state's depth, or -1. */
  readonly firstChannelFailureDepth: number;
}

const rename = (s: SpecState, r: Renaming): SpecState => (renameValue(s, r) as SpecState | undefined) ?? s;
const nextHandle = (s: SpecState): number => s.guest?.nextGpadl ?? 0;
const canonicalHandles = (s: SpecState): SpecState => rename(s, handleRenaming(handleCanonicalRenaming(s, nextHandle(s))));

/** Breadth-first walk with `key` deciding when two states are one, `expand` choosing the inputs taken. */
const walk = (
  config: Config,
  max: number,
  key: (s: SpecState) => string,
  expand: (s: SpecState, enabled: readonly SystemInput[], seen: Set<string>) => readonly SystemInput[] = (_, e) => e,
): Walk => {
  const m = specSystem;
  const first = m.initial(config);
  const seen = new Set([key(first)]);
  let level = [first];
  let states = 1;
  let transitions = 0;
  let depth = 0;
  while (level.length > 0 && states < max) {
    const next: SpecState[] = [];
    for (const s of level) {
      for (const i of expand(s, m.enabled(config, s), seen)) {
        transitions++;
        const t = m.step(config, s, i).state;
        const k = key(t);
        if (!seen.has(k) && states < max) (seen.add(k), next.push(t), states++);
      }
    }
    level = next;
    depth++;
  }
  return { states, transitions, depth, complete: level.length === 0 };
};

const successorKeys = (config: Config, s: SpecState, after: (t: SpecState) => SpecState = (t) => t): Set<string> =>
  new Set(specSystem.enabled(config, s).map((i) => canonicalKey(after(specSystem.step(config, s, i).state))));
const sameSets = (a: Set<string>, b: Set<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

export const measureReductions = (o: { profile: HostProfileName; channels: number; gpadls: number; states: number; checkStates: number }): Reductions => {
  const config = checkConfig({ profile: o.profile, channels: o.channels, gpadls: o.gpadls, depth: 400, maxStates: o.states, hostile: false });
  const m = specSystem;
  const perms = relidPermutations(o.channels).map((p) => relidRenaming(p));
  // QEMU offers its channels in list order (HOST-QEMU offers, relid order): a permutation cannot
  // commute with the host while offers remain, so it is applied once the guest has every offer.
  const offered = (s: SpecState): boolean => s.guest !== null && s.guest.allOffersDelivered;
  const symmetric = (withHandles: boolean) => (s: SpecState): string => {
    if (!offered(s)) return canonicalKey(withHandles ? canonicalHandles(s) : s);
    let best: string | undefined;
    for (const p of perms) {
      const t = rename(s, p);
      const k = canonicalKey(withHandles ? canonicalHandles(t) : t);
      if (best === undefined || k < best) best = k;
    }
    return best!;
  };

  // The automorphism checks, on the first states of the plain walk.
  let checkedStates = 0;
  let handleFailures = 0;
  let channelFailures = 0;
  let firstChannelFailureDepth = -1;
  {
    const first = m.initial(config);
    const seen = new Set([canonicalKey(first)]);
    let level = [first];
    let depth = 0;
    while (level.length > 0 && checkedStates < o.checkStates) {
      const next: SpecState[] = [];
      for (const s of level) {
        if (checkedStates >= o.checkStates) break;
        checkedStates++;
        const h = handleRenaming(handleCanonicalRenaming(s, nextHandle(s)));
        if (!sameSets(successorKeys(config, s, (t) => rename(t, h)), successorKeys(config, rename(s, h)))) handleFailures++;
        if (offered(s) && perms.slice(1).some((p) => !sameSets(successorKeys(config, s, (t) => rename(t, p)), successorKeys(config, rename(s, p))))) {
          channelFailures++;
          if (firstChannelFailureDepth < 0) firstChannelFailureDepth = depth;
        }
        for (const i of m.enabled(config, s)) {
          const t = m.step(config, s, i).state;
          const k = canonicalKey(t);
          if (!seen.has(k)) (seen.add(k), next.push(t));
        }
      }
      level = next;
      depth++;
    }
  }

  let prunedStates = 0;
  const hostRun: SystemInput = { kind: "hostRun" };
  const hostRunFirst = walk(config, o.states, canonicalKey, (s, enabled, seen) => {
    if (s.slot !== null || s.inFlight.length > 0) return enabled;
    if (!enabled.some((i) => i.kind === "hostRun") || enabled.length === 1) return enabled;
    if (!enabled.every((i) => i.kind === "hostRun" || i.kind === "driver" || i.kind === "guestPost")) return enabled;
    const r = m.step(config, s, hostRun);
    if (stepViolations(r.outputs).length > 0 || seen.has(canonicalKey(r.state))) return enabled;
    const commute = enabled
      .filter((i) => i.kind === "guestPost")
      .every((p) => {
        const b1 = m.step(config, s, p).state;
        return m.enabled(config, b1).some((i) => i.kind === "hostRun") && canonicalKey(m.step(config, r.state, p).state) === canonicalKey(m.step(config, b1, hostRun).state);
      });
    if (!commute) return enabled;
    prunedStates++;
    return [hostRun];
  });

  return {
    plain: walk(config, o.states, canonicalKey),
    handles: walk(config, o.states, (s) => canonicalKey(canonicalHandles(s))),
    channels: walk(config, o.states, symmetric(false)),
    channelsAndHandles: walk(config, o.states, symmetric(true)),
    hostRunFirst: { ...hostRunFirst, prunedStates },
    checkedStates,
    handleFailures,
    channelFailures,
    firstChannelFailureDepth,
  };
};

export const main = async (argv: readonly string[]): Promise<number> => {
  const c = parseConfigArgs(argv, [{ name: "check-states", kind: "string" }], { maxChannels: 4, channels: 2, gpadls: 1, maxStates: 2_000_000, states: 100_000 });
  const o = { profile: c.profile, channels: c.channels, gpadls: c.gpadls, states: c.states, checkStates: getInt(c.args, "check-states", 0, 2_000_000) ?? 5_000 };
  const r = measureReductions(o);
  if (c.json) {
    process.stdout.write(`${JSON.stringify({ ...o, ...r })}\n`);
    return 0;
  }
  const row = (name: string, w: Walk, extra = ""): string =>
    `  ${name.padEnd(17)} ${String(w.states).padStart(9)} states  ${(r.plain.states / w.states).toFixed(2).padStart(5)}×  depth ${w.depth}${w.complete ? "" : " (bounded)"}${extra}`;
  const lines = [
    `${o.profile}, ${o.channels} channel(s) × ${o.gpadls} GPADL(s), full interleaving${r.plain.complete ? ", exhaustive" : `, first ${o.states} states`}:`,
    row("plain", r.plain),
    row("handles", r.handles, r.handleFailures > 0 ? `  NOT a symmetry: ${r.handleFailures} of ${r.checkedStates} states fail` : `  (a symmetry on the ${r.checkedStates} states checked)`),
    row("channels", r.channels, r.channelFailures > 0 ? `  NOT a symmetry: ${r.channelFailures} of ${r.checkedStates} states fail, the first at depth ${r.firstChannelFailureDepth}` : `  (a symmetry on the ${r.checkedStates} states checked)`),
    row("channels+handles", r.channelsAndHandles),
    row("hostRun first", r.hostRunFirst, `  (taken alone in ${r.hostRunFirst.prunedStates} states; optimistic)`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
};
