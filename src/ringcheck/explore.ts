/**
 * All interleavings of the ring's writer and reader at the level of single accesses
 * (spec/ring/access.ts), breadth first under sequential consistency: every reachable state once,
 * the shortest interleaving to each finding. Exhaustive unless the state budget runs out (then
 * the verdict says "bounded").
 */
import { accessConfigProblem, accessKey, accessSuccessors, initialAccessState, lostWakeUp, type AccessConfig, type AccessState, type AccessStep } from "../../spec/ring/access.js";

export interface RingFinding {
  readonly rule: "RING-LIVE-1" | "RING-SAFE-1";
  readonly message: string;
  /** The shortest interleaving that reaches it. */
  readonly steps: readonly AccessStep[];
}

export interface RingCheckResult {
  readonly states: number;
  readonly transitions: number;
  /** Every reachable state was explored. */
  readonly exhaustive: boolean;
  readonly findings: readonly RingFinding[];
}

export const checkRingInterleavings = (c: AccessConfig, maxStates = 2_000_000): RingCheckResult => {
  const problem = accessConfigProblem(c);
  if (problem) throw new RangeError(problem);
  const start = initialAccessState();
  const index = new Map<string, number>([[accessKey(start), 0]]);
  const states: AccessState[] = [start];
  const parent: number[] = [-1];
  const via: (AccessStep | null)[] = [null];
  const found = new Map<string, RingFinding>();
  const path = (i: number, last?: AccessStep): AccessStep[] => {
    const out: AccessStep[] = last ? [last] : [];
    for (let j = i; j > 0; j = parent[j]!) out.push(via[j]!);
    return out.reverse();
  };
  let transitions = 0;
  let exhaustive = true;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const succ = accessSuccessors(c, s);
    if (succ.length === 0) {
      const stuck = lostWakeUp(c, s);
      if (stuck && !found.has("RING-LIVE-1")) found.set("RING-LIVE-1", { rule: "RING-LIVE-1", message: `lost wake-up: ${stuck}`, steps: path(i) });
      continue;
    }
    for (const n of succ) {
      transitions++;
      if (n.violation && !found.has(n.violation.rule)) found.set(n.violation.rule, { rule: n.violation.rule, message: n.violation.message, steps: path(i, n.step) });
      const k = accessKey(n.state);
      if (index.has(k)) continue;
      if (states.length >= maxStates) {
        exhaustive = false;
        continue;
      }
      index.set(k, states.length);
      states.push(n.state);
      parent.push(i);
      via.push(n.step);
    }
  }
  return { states: states.length, transitions, exhaustive, findings: [...found.values()] };
};

export const formatInterleaving = (steps: readonly AccessStep[]): string =>
  steps.map((s, i) => `  ${String(i + 1).padStart(3)}. ${s.side === "writer" ? "W" : "            R"}  ${s.action}`).join("\n");
