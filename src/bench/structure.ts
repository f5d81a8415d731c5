/**
 * `npm run bench -- structure`: how much room a reduction or a cache has, measured on a check
 * configuration before it is built (docs/scale.md "Per-core speed"). A breadth-first walk of the
 * full interleaving (no signal reduction), exact states (canonical keys), reporting:
 * - the product structure: distinct host and guest states among the states walked, and how many
 *   of the steps that change the host (the guest) are a (component state, input) pair met before —
 *   what a cache of component steps would skip;
 * - commuting steps: for each pair of steps enabled in a state, whether both orders are possible
 *   and reach the same state (a diamond), per pair of input kinds — the room for partial-order
 *   reduction;
 * - what bounds a partial-order reduction that keeps the invariants' verdicts: a step the
 *   reduction may take alone in a state must be invisible to them (SPIN's condition C2: it
 *   changes nothing an invariant reads — the guest's and the host's views, the slot's size, the
 *   rescinds, the hostile posts, the unload request, the host's own invariants — and reports no
 *   finding or outcome) and must commute with every other step enabled there (a necessary part
 *   of C1). The states where some enabled step is both are the only ones where such a reduction
 *   can prune a successor: an upper bound on its room, before the rest of C1 and the cycle
 *   proviso C3 take their share.
 * The spec's reducers are called as they are; nothing is re-implemented.
 */
import { canonicalKey } from "../../spec/system/canonical.js";
import { guestView } from "../../spec/guest/view.js";
import { stepViolations } from "../../spec/system/invariants.js";
import { stepOutcomes } from "../../spec/system/outcomes.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { getInt } from "../cli/args.js";
import { parseConfigArgs } from "./config-args.js";
import { checkConfig } from "../explore/check.js";
import type { HostProfileName } from "../../spec/host/profiles.js";

export const USAGE = "usage: npm run bench -- structure [--profile qemu|strict|openvmm] [--channels N] [--gpadls N] [--states N] [--pairs-states N] [--json]";

export interface Structure {
  readonly states: number;
  readonly distinctHosts: number;
  readonly distinctGuests: number;
  readonly hostSteps: number;
  readonly hostStepsNew: number;
  readonly guestSteps: number;
  readonly guestStepsNew: number;
  readonly pairStates: number;
  readonly statesWithChoice: number;
  readonly pairs: number;
  readonly commuting: number;
  readonly statesAllCommuting: number;
  /** "kindA+kindB" → [commuting, pairs]. */
  readonly byKinds: Readonly<Record<string, readonly [number, number]>>;
  /** Steps (in the pair states) invisible to the invariants, of all steps there. */
  readonly invisibleSteps: number;
  readonly steps: number;
  /** Per input kind: [invisible, steps]. */
  readonly invisibleByKind: Readonly<Record<string, readonly [number, number]>>;
  /** States with a choice where some enabled step is invisible and commutes with every other one. */
  readonly statesWithAmpleCandidate: number;
  /** Successors such states have besides the candidate's: what a single-step reduction could prune at most. */
  readonly prunableSuccessors: number;
  /** Successors of all states with a choice. */
  readonly successorsWithChoice: number;
}

type SpecState = ReturnType<typeof specSystem.initial>;

/**
 * Everything the system's invariants (spec/system/invariants.ts) read of a state, as one key:
 * a step that leaves it unchanged cannot change their verdict (conservative: the host's own
 * invariants are taken by their verdicts, their inputs being the whole host state).
 */
const invariantInputs = (config: ReturnType<typeof checkConfig>, s: SpecState): string => {
  const h = specSystem.host.view(s.host);
  const g = s.guest ? guestView(s.guest) : null;
  return canonicalKey({
    host: { connected: h.connected, version: h.version ?? null, offeredRelids: h.offeredRelids, openChannels: h.openChannels, gpadls: h.gpadls },
    hostInvariants: specSystem.host.invariants(config.host, s.host),
    guest: g && { phase: g.phase, version: g.version, channelsOpen: g.channelsOpen, gpadlsCreated: g.gpadlsCreated },
    guestVersion: s.guest?.version ?? null,
    slot: s.slot !== null && (s.slot.payloadSize > 240 || s.slot.payload.length > 480),
    rescinded: s.rescinded,
    hostilePosts: s.hostile.posts,
    unloadRequested: s.driver.unloadRequested,
  });
};

export const measureStructure = (o: { profile: HostProfileName; channels: number; gpadls: number; states: number; pairStates: number }): Structure => {
  const config = checkConfig({ profile: o.profile, channels: o.channels, gpadls: o.gpadls, depth: 400, maxStates: o.states, hostile: false });
  const m = specSystem;
  const first = m.initial(config);
  const seen = new Set([canonicalKey(first)]);
  const hosts = new Set<string>();
  const guests = new Set<string>();
  const hostPairs = new Set<string>();
  const guestPairs = new Set<string>();
  let hostSteps = 0;
  let guestSteps = 0;
  let walked = 0;
  let pairStates = 0;
  let withChoice = 0;
  let pairs = 0;
  let commuting = 0;
  let allCommuting = 0;
  const byKinds = new Map<string, [number, number]>();
  const invisibleByKind = new Map<string, [number, number]>();
  let steps = 0;
  let invisibleSteps = 0;
  let ampleStates = 0;
  let prunable = 0;
  let successorsWithChoice = 0;
  let level = [first];
  while (level.length > 0 && walked < o.states) {
    const next: typeof level = [];
    for (const s of level) {
      if (walked >= o.states) break;
      walked++;
      const hostKey = canonicalKey(s.host);
      const guestKey = canonicalKey(s.guest);
      hosts.add(hostKey);
      guests.add(guestKey);
      const inputs = m.enabled(config, s);
      const after = inputs.map((i) => m.step(config, s, i).state);
      inputs.forEach((i, k) => {
        const t = after[k]!;
        if (t.host !== s.host) (hostSteps++, hostPairs.add(hostKey + canonicalKey(i)));
        if (t.guest !== s.guest) (guestSteps++, guestPairs.add(guestKey + canonicalKey(i)));
        const key = canonicalKey(t);
        if (!seen.has(key)) (seen.add(key), next.push(t));
      });
      if (pairStates >= o.pairStates) continue;
      pairStates++;
      if (inputs.length > 1) (withChoice++, (successorsWithChoice += inputs.length));
      let every = inputs.length > 1;
      const before = invariantInputs(config, s);
      const invisible = inputs.map((i) => {
        const r = m.step(config, s, i);
        const quiet = stepViolations(r.outputs).length === 0 && stepOutcomes(r.outputs, () => m.host.view(s.host), () => m.host.view(r.state.host)).length === 0;
        const inv = quiet && invariantInputs(config, r.state) === before;
        const row = invisibleByKind.get(i.kind) ?? [0, 0];
        row[1]++;
        if (inv) row[0]++;
        invisibleByKind.set(i.kind, row);
        steps++;
        if (inv) invisibleSteps++;
        return inv;
      });
      /** commutesWith[a][b]: steps a and b reach the same state in either order. */
      const commutesWith = inputs.map(() => inputs.map(() => false));
      const keysAfter = after.map((t) => m.enabled(config, t).map(canonicalKey));
      for (let a = 0; a < inputs.length; a++)
        for (let b = a + 1; b < inputs.length; b++) {
          pairs++;
          const kinds = [inputs[a]!.kind, inputs[b]!.kind].sort().join("+");
          const row = byKinds.get(kinds) ?? [0, 0];
          row[1]++;
          byKinds.set(kinds, row);
          const ib = keysAfter[a]!.indexOf(canonicalKey(inputs[b]));
          const ia = keysAfter[b]!.indexOf(canonicalKey(inputs[a]));
          const same =
            ib >= 0 &&
            ia >= 0 &&
            canonicalKey(m.step(config, after[a]!, m.enabled(config, after[a]!)[ib]!).state) === canonicalKey(m.step(config, after[b]!, m.enabled(config, after[b]!)[ia]!).state);
          if (same) (commuting++, row[0]++, (commutesWith[a]![b] = commutesWith[b]![a] = true));
          else every = false;
        }
      if (every) allCommuting++;
      if (inputs.length > 1 && inputs.some((_, a) => invisible[a] && inputs.every((__, b) => b === a || commutesWith[a]![b]))) {
        ampleStates++;
        prunable += inputs.length - 1;
      }
    }
    level = next;
  }
  return {
    states: walked,
    distinctHosts: hosts.size,
    distinctGuests: guests.size,
    hostSteps,
    hostStepsNew: hostPairs.size,
    guestSteps,
    guestStepsNew: guestPairs.size,
    pairStates,
    statesWithChoice: withChoice,
    pairs,
    commuting,
    statesAllCommuting: allCommuting,
    byKinds: Object.fromEntries([...byKinds].sort(([, x], [, y]) => y[1] - x[1])),
    invisibleSteps,
    steps,
    invisibleByKind: Object.fromEntries([...invisibleByKind].sort(([, x], [, y]) => y[1] - x[1])),
    statesWithAmpleCandidate: ampleStates,
    prunableSuccessors: prunable,
    successorsWithChoice,
  };
};


export const main = async (argv: readonly string[]): Promise<number> => {
  const c = parseConfigArgs(argv, [{ name: "pairs-states", kind: "string" }], { maxChannels: 8, channels: 3, gpadls: 2, maxStates: 1_000_000, states: 30_000 });
  const o = { profile: c.profile, channels: c.channels, gpadls: c.gpadls, states: c.states, pairStates: getInt(c.args, "pairs-states", 0, 1_000_000) ?? 3_000 };
  const r = measureStructure(o);
  if (c.json) {
    process.stdout.write(`${JSON.stringify({ ...o, ...r })}\n`);
    return 0;
  }
  const pct = (n: number, d: number): string => (d === 0 ? "–" : `${((100 * n) / d).toFixed(0)} %`);
  const lines = [
    `${o.profile}, ${o.channels} channel(s) × ${o.gpadls} GPADL(s), full interleaving, first ${r.states} states:`,
    `  distinct host states ${r.distinctHosts}, guest states ${r.distinctGuests}`,
    `  host-changing steps ${r.hostSteps}, of which a new (host state, input) pair ${r.hostStepsNew} (${pct(r.hostStepsNew, r.hostSteps)})`,
    `  guest-changing steps ${r.guestSteps}, of which a new (guest state, input) pair ${r.guestStepsNew} (${pct(r.guestStepsNew, r.guestSteps)})`,
    `commuting steps in the first ${r.pairStates} states (${r.statesWithChoice} with a choice):`,
    `  ${r.commuting} of ${r.pairs} pairs (${pct(r.commuting, r.pairs)}) reach the same state in either order; every pair does in ${r.statesAllCommuting} states`,
    ...Object.entries(r.byKinds).map(([k, [c, n]]) => `  ${k.padEnd(28)} ${c}/${n}`),
    `steps invisible to the invariants (change nothing they read, report nothing) in those states: ${r.invisibleSteps} of ${r.steps} (${pct(r.invisibleSteps, r.steps)})`,
    ...Object.entries(r.invisibleByKind).map(([k, [c, n]]) => `  ${k.padEnd(28)} ${c}/${n}`),
    `  states with a step both invisible and commuting with every other enabled step: ${r.statesWithAmpleCandidate} of ${r.statesWithChoice} with a choice;`,
    `  a single-step partial-order reduction could prune at most ${r.prunableSuccessors} of their ${r.successorsWithChoice} successors (${pct(r.prunableSuccessors, r.successorsWithChoice)})`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
};
