/**
 * The checker as it was before the scale work (canonical JSON keys, SHA-1 fingerprints in a Set of
 * strings, live states in the BFS queue): the baseline `npm run bench -- check` measures against
 * in the same run. Not used by the checker itself.
 */
import { canonicalKey } from "../../spec/system/canonical.js";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { checkInvariants, deadlock, stepViolations } from "../../spec/system/invariants.js";
import type { SystemOutput, Violation } from "../../spec/system/outputs.js";
import type { SystemState } from "../../spec/system/state.js";
import type { HostView } from "../../spec/system/host-model.js";
import type { SystemModel } from "../../spec/system/system.js";
import { outcomeKey, stepOutcomes, type Outcome } from "../../spec/system/outcomes.js";
import { fingerprint } from "../explore/hash.js";

interface ExploreOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  /** Called now and then with the counts so far (for a progress line). */
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number }) => void;
}

interface TraceStep {
  readonly input: SystemInput;
  readonly outputs: readonly SystemOutput[];
}

interface Finding {
  readonly violation: Violation;
  readonly trace: readonly TraceStep[];
}

/** A protocol outcome (not a violation) with its shortest trace. */
interface OutcomeFinding {
  readonly outcome: Outcome;
  readonly trace: readonly TraceStep[];
}

interface ExploreResult {
  readonly states: number;
  readonly transitions: number;
  /** Deepest level reached. */
  readonly depth: number;
  /** True when every reachable state was explored (no bound was hit). */
  readonly complete: boolean;
  readonly findings: readonly Finding[];
  /** Protocol outcomes (host rejections, QEMU quirks), deduplicated by rule and row, shortest trace each. */
  readonly outcomes: readonly OutcomeFinding[];
}

/** Re-run a path of inputs from the initial state, collecting each step's outputs. */
const replayPath = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, inputs: readonly SystemInput[]): TraceStep[] => {
  let s = model.initial(config);
  const out: TraceStep[] = [];
  for (const input of inputs) {
    const r = model.step(config, s, input);
    out.push({ input, outputs: r.outputs });
    s = r.state;
  }
  return out;
};

export const exploreBaseline = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, opts: ExploreOptions): ExploreResult => {
  // Node table: parent index and the input that led here (for shortest traces).
  const parent: number[] = [-1];
  const via: (SystemInput | null)[] = [null];
  const seen = new Set<string>();
  const found = new Map<string, { violation: Violation; node: number; last?: SystemInput }>();
  const outcomes = new Map<string, { outcome: Outcome; node: number; last: SystemInput }>();
  const init = model.initial(config);
  seen.add(fingerprint(canonicalKey(init)));
  let frontier: { state: SystemState<HS>; node: number }[] = [{ state: init, node: 0 }];
  let transitions = 0;
  let depth = 0;
  let complete = true;

  const report = (v: Violation, node: number, last?: SystemInput): void => {
    const k = `${v.kind}/${v.rule}`;
    if (!found.has(k)) found.set(k, last ? { violation: v, node, last } : { violation: v, node });
  };
  for (const v of checkInvariants(model.host, config, init)) report(v, 0);

  outer: while (frontier.length > 0) {
    if (depth >= opts.maxDepth) {
      complete = false;
      break;
    }
    const next: { state: SystemState<HS>; node: number }[] = [];
    for (const { state, node } of frontier) {
      const inputs = model.enabled(config, state);
      const dl = deadlock(state, inputs.length);
      if (dl) report(dl, node);
      let pre: HostView | undefined;
      const before = (): HostView => (pre ??= model.host.view(state.host));
      for (const input of inputs) {
        const r = model.step(config, state, input);
        transitions++;
        const stepFindings = stepViolations(r.outputs, r.state.hostile.posts === 0);
        for (const v of stepFindings) report(v, node, input);
        for (const o of stepOutcomes(r.outputs, before, () => model.host.view(r.state.host))) {
          const k = outcomeKey(o);
          if (!outcomes.has(k)) outcomes.set(k, { outcome: o, node, last: input });
        }
        // A host defect means the real host crashed here: nothing follows.
        if (stepFindings.some((v) => v.kind === "defect")) continue;
        const fp = fingerprint(canonicalKey(r.state));
        if (seen.has(fp)) continue;
        seen.add(fp);
        const id = parent.length;
        parent.push(node);
        via.push(input);
        for (const v of checkInvariants(model.host, config, r.state)) report(v, id);
        next.push({ state: r.state, node: id });
        if (seen.size >= opts.maxStates) {
          complete = false;
          break outer;
        }
        if (seen.size % 5000 === 0) opts.onProgress?.({ states: seen.size, transitions, depth: depth + 1 });
      }
    }
    frontier = next;
    if (next.length > 0) depth++;
  }

  const pathTo = (node: number): SystemInput[] => {
    const path: SystemInput[] = [];
    for (let n = node; n > 0; n = parent[n]!) path.push(via[n]!);
    return path.reverse();
  };
  const findings: Finding[] = [...found.values()].map((f) => ({
    violation: f.violation,
    trace: replayPath(model, config, f.last ? [...pathTo(f.node), f.last] : pathTo(f.node)),
  }));
  findings.sort((a, b) => a.trace.length - b.trace.length);
  const outs: OutcomeFinding[] = [...outcomes.values()].map((o) => ({ outcome: o.outcome, trace: replayPath(model, config, [...pathTo(o.node), o.last]) }));
  outs.sort((a, b) => (a.outcome.row ?? 99) - (b.outcome.row ?? 99) || a.trace.length - b.trace.length || a.outcome.rule.localeCompare(b.outcome.rule));
  return { states: seen.size, transitions, depth, complete, findings, outcomes: outs };
};
