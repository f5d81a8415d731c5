/**
 * Channel symmetry (`check --symmetry`): the check's devices are identical but for their names
 * and GUIDs, so once the guest holds every offer, a state and the same state with its channels
 * permuted (relids and everything named after them: renaming.ts) have the same future up to that
 * permutation. The search keeps one state per orbit: each successor is replaced by its
 * canonical form. Sound when three things hold, each checked, not assumed:
 * - every permutation commutes with the system's steps on the states where it is applied
 *   (properties/explore/symmetry.test.ts checks `succ(π(s)) = π(succ(s))` on every reachable
 *   state of small configurations, per profile; `npm run bench -- reductions` measures it on any);
 * - the invariants, findings and the liveness goal do not name a channel by its relid (they
 *   compare the guest's and the host's view of each channel, whichever it is);
 * - the canonical form lies in the orbit: a message whose bytes do not survive decoding and
 *   encoding unchanged leaves its state as it is (no merge).
 * Before the guest has every offer the host's offering order breaks the symmetry (QEMU and the
 * strict host offer in relid order), so those states are kept as they are.
 * Where it applies: no hostile guest, no rescinds, no crash, every offered device opened
 * (`symmetryRefusal`). Reported traces are lifted back to real runs (`liftTrace`).
 */
import { canonicalKey } from "../../spec/system/canonical.js";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemModel } from "../../spec/system/system.js";
import type { SystemState } from "../../spec/system/state.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { channelSignatures, relidPermutations, relidRenaming, renameValue } from "./renaming.js";
import { checkInvariants, stepViolations } from "../../spec/system/invariants.js";
import type { ExploreResult, TraceStep } from "./bfs.js";

/** `--symmetry` asked where it is not shown sound (a usage error: one line, exit 2). */
export class SymmetryRefused extends Error {
  override readonly name = "SymmetryRefused";
}

/** The profiles whose host is shown to be symmetric in its channels (openvmm names channels by offer id and channel id, not renamed yet). */
export const SYMMETRIC_PROFILES: readonly HostProfileName[] = ["qemu", "strict"];

/** Why `--symmetry` cannot be used with these options, or undefined when it can. */
export const symmetryRefusal = (o: {
  readonly profile: HostProfileName;
  readonly channels: number;
  readonly offers?: number | undefined;
  readonly hostile: boolean;
  readonly rescinds?: number | undefined;
  readonly crash?: boolean | undefined;
}): string | undefined => {
  if (!SYMMETRIC_PROFILES.includes(o.profile)) return `--symmetry is not available for the ${o.profile} profile (shown symmetric: ${SYMMETRIC_PROFILES.join(", ")})`;
  if (o.hostile) return "--symmetry cannot be used with a hostile guest (its posts name channels)";
  if ((o.rescinds ?? 0) > 0) return "--symmetry cannot be used with --rescinds (a rescind changes which offers the guest holds)";
  if (o.crash) return "--symmetry cannot be used with --crash (the kdump kernel receives the offers again)";
  if (o.offers !== undefined && o.offers !== o.channels) return "--symmetry needs every offered device opened (--offers equal to --channels)";
  if (o.channels < 2) return "--symmetry needs at least 2 channels";
  return undefined;
};

/**
 * The canonical form of a state under permutations of relids 1..n: channels are ordered by a
 * signature that does not depend on their relids (the records that carry the relid, with every
 * field named after it left out, in their lists' order; renaming.ts); channels with equal
 * signatures are ordered by trying each order and keeping the smallest canonical key. A state
 * before the guest has every offer is its own form.
 */
export const channelCanonicalizer = <HS>(n: number): ((s: SystemState<HS>) => SystemState<HS>) => {
  const all = relidPermutations(n);
  // One renaming per permutation (with its memo of renamed message bytes), found by the images of 1..n.
  const renamings = new Map(all.map((p) => [[...p.entries()].sort((a, b) => a[0] - b[0]).map(([, to]) => to).join(","), relidRenaming(p, true)] as const));
  const renamingOf = (p: ReadonlyMap<number, number>) => renamings.get(Array.from({ length: n }, (_, i) => p.get(i + 1)).join(","))!;
  return (s) => {
    if (s.guest === null || !s.guest.allOffersDelivered) return s;
    const sig = channelSignatures(s, n);
    // relids sorted by signature; a run of equal signatures is a group whose order is open.
    const order = Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => sig[a]! - sig[b]! || a - b);
    const tied = order.some((r, k) => k > 0 && sig[r] === sig[order[k - 1]!]);
    const candidates: readonly ReadonlyMap<number, number>[] = tied ? all.filter((p) => respects(p, order, sig)) : [new Map(order.map((r, k) => [r, k + 1] as const))];
    let best: SystemState<HS> | undefined;
    let bestKey: string | undefined;
    for (const p of candidates) {
      const isIdentity = [...p].every(([a, b]) => a === b);
      const t = isIdentity ? s : (renameValue(s, renamingOf(p)) as SystemState<HS> | undefined);
      if (t === undefined) return s;
      if (candidates.length === 1) return t;
      const k = canonicalKey(t);
      if (bestKey === undefined || k < bestKey) (best = t), (bestKey = k);
    }
    return best ?? s;
  };
};

/** Whether permutation p sends the channels in signature order to relids 1..n, up to ties: the channel it makes relid k+1 has the k-th signature. */
const respects = (p: ReadonlyMap<number, number>, order: readonly number[], sig: readonly number[]): boolean => {
  for (const [from, to] of p) if (sig[from] !== sig[order[to - 1]!]) return false;
  return true;
};

/** The system with each successor replaced by its canonical form (the quotient the search explores). */
export const symmetricSystem = <HC, HS>(model: SystemModel<HC, HS>, n: number): SystemModel<HC, HS> => {
  const canonical = channelCanonicalizer<HS>(n);
  return {
    ...model,
    step: (config, s, input) => {
      const r = model.step(config, s, input);
      const t = canonical(r.state);
      return t === r.state ? r : { state: t, outputs: r.outputs };
    },
  };
};

/**
 * A trace of the quotient system as a run of the real one: at each step, the real input whose
 * successor has the same canonical form as the quotient's next state. The real run exhibits
 * the same findings (they do not name channels by relid), on channels named as the run made them.
 */
export const liftTrace = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, n: number, trace: readonly TraceStep[]): { readonly trace: readonly TraceStep[]; readonly state: SystemState<HS> } => {
  const canonical = channelCanonicalizer<HS>(n);
  let quotient = model.initial(config);
  let real = quotient;
  const out: TraceStep[] = [];
  for (const step of trace) {
    quotient = canonical(model.step(config, quotient, step.input).state);
    const want = canonicalKey(quotient);
    let found = false;
    for (const input of model.enabled(config, real)) {
      const r = model.step(config, real, input);
      if (canonicalKey(canonical(r.state)) === want) {
        out.push({ input, outputs: r.outputs });
        real = r.state;
        found = true;
        break;
      }
    }
    if (!found) throw new Error(`lifting a trace of the channel-symmetric search: no real step matches step ${out.length + 1} (the permutation is not an automorphism here)`);
  }
  return { trace: out, state: real };
};

/**
 * A search result with every trace lifted to a real run. A finding's message is taken again
 * from the real run's last step or state when it names the same rule there (it may name the
 * channels differently); a deadlock's or a liveness finding's stays as it was.
 */
export const liftResult = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, n: number, r: ExploreResult): ExploreResult => ({
  ...r,
  findings: r.findings.map((f) => {
    const lifted = liftTrace(model, config, n, f.trace);
    const last = lifted.trace[lifted.trace.length - 1];
    const again = [...(last ? stepViolations(last.outputs) : []), ...checkInvariants(model.host, config, lifted.state)].find((v) => v.kind === f.violation.kind && v.rule === f.violation.rule);
    return { violation: again ?? f.violation, trace: lifted.trace };
  }),
  outcomes: r.outcomes.map((x) => ({ ...x, trace: liftTrace(model, config, n, x.trace).trace })),
});
