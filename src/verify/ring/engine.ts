/**
 * `verify ring`: the phases (vectors that apply, rule sessions, seeded random sessions — or one
 * replayed session), rule coverage, and on the first divergence a minimal session: fast-check
 * shrinking for random sessions, greedy step removal for the deterministic ones. The result is
 * data (VerifyRingReport); rendering is report.ts.
 */
import fc from "fast-check";
import type { ProfileName } from "../../../spec/profiles.js";
import { RULES } from "../../../spec/ring/rules.js";
import { sessionArb } from "./arbitrary.js";
import { ruleSessions, vectorSessions } from "./cases.js";
import type { Divergence } from "./compare.js";
import { runSession, type RunContext, type SessionResult } from "./runner.js";
import { RING_CONTRACT_VERSION, type Session, type Step } from "./session.js";
import type { AnyStep } from "./symbolic.js";

/** Rules the ring CLI cannot show: memory ordering inside one process, hv_end_read's re-check, and races between two sides. */
// Orderings and races between a writer and a reader running at once cannot be seen through a
// CLI that runs one operation at a time: `vmbus-spec ring-check` checks those (RING-LIVE-1,
// RING-SAFE-1) on the access-level model instead.
export const NOT_OBSERVABLE: readonly string[] = ["RING-WRITE-2", "RING-READ-1", "RING-READ-5", "RING-LIVE-1", "RING-SAFE-1"];

export type Verdict = "conforming" | "divergence" | "contract-error" | "interrupted";
export type PhaseName = "vectors" | "rules" | "random" | "replay";

export interface PhaseStats {
  readonly name: PhaseName;
  readonly sessions: number;
  readonly processes: number;
}

export interface Finding {
  /** Where the diverging session came from. */
  readonly origin: string;
  /** The divergence in the minimal session. */
  readonly divergence: Divergence;
  /** The minimal session (concrete steps, up to and including the diverging one). */
  readonly steps: readonly Step[];
  /** Steps of the session as first found (before shrinking). */
  readonly foundSteps: number;
  /** Sessions run while shrinking. */
  readonly shrinkRuns: number;
  /** Milliseconds from the start of the run to the first diverging step. */
  readonly detectedAfterMs: number;
}

export interface VerifyRingReport {
  readonly contract: number;
  readonly profile: ProfileName;
  readonly impl: string;
  /** Seed of the random sessions (null: none ran). */
  readonly seed: number | null;
  readonly verdict: Verdict;
  readonly phases: readonly PhaseStats[];
  readonly processes: number;
  readonly elapsedMs: number;
  readonly coverage: { readonly exercised: readonly string[]; readonly notExercised: readonly string[]; readonly notObservable: readonly string[] };
  readonly skippedVectors: readonly string[];
  readonly finding: Finding | null;
}

export interface VerifyRingOptions {
  readonly impl: readonly string[];
  readonly implText: string;
  readonly profile: ProfileName;
  readonly seed: number;
  readonly sessions: number;
  readonly timeoutMs: number;
  readonly tmpDir: string;
  readonly cwd: string;
  /** Run only this session (--replay). */
  readonly replay: Session | null;
  /** The phases to run (default all three). */
  readonly phases?: readonly ("vectors" | "rules" | "random")[];
  readonly stopped: () => boolean;
  readonly onProgress?: (p: { phase: PhaseName; done: number; total: number; processes: number; elapsedMs: number }) => void;
}

/** Most sessions a shrink may run, and for how long (a hang costs the timeout per run). */
const SHRINK_RUNS = 300;
const SHRINK_MS = 60_000;

/** Two divergences are "the same failure" for shrinking when kind and rules agree. */
const sameFailure = (a: Divergence, b: Divergence): boolean =>
  a.kind === b.kind && (a.rules.length === 0 ? b.rules.length === 0 : a.rules.some((r) => b.rules.includes(r)));

const profileRules = (profile: ProfileName): string[] => RULES.filter((r) => r.profiles === "all" || r.profiles.includes(profile)).map((r) => r.id);

export const verifyRing = async (o: VerifyRingOptions): Promise<VerifyRingReport> => {
  const t0 = performance.now();
  let processes = 0;
  const exercised = new Set<string>();
  const phases: PhaseStats[] = [];
  const skippedVectors: string[] = [];
  let finding: Finding | null = null;
  let contractError = false;
  const ctx: RunContext = {
    impl: o.impl,
    profile: o.profile,
    timeoutMs: o.timeoutMs,
    tmpDir: o.tmpDir,
    cwd: o.cwd,
    stopped: o.stopped,
    onStep: () => {
      processes++;
    },
  };
  const elapsed = (): number => performance.now() - t0;

  /** Greedy removal of steps (init stays) while the same failure remains. */
  const shrinkSteps = async (origin: string, first: SessionResult, detectedAfterMs: number): Promise<Finding> => {
    const d0 = first.divergence!;
    let best = first;
    let cur = first.steps.slice(0, d0.stepIndex + 1);
    let runs = 0;
    const start = performance.now();
    if (d0.kind !== "contract") {
      for (let i = cur.length - 2; i >= 1; i--) {
        if (o.stopped() || runs >= SHRINK_RUNS || performance.now() - start > SHRINK_MS) break;
        const cand = [...cur.slice(0, i), ...cur.slice(i + 1)];
        runs++;
        const r = await runSession(cand, ctx);
        if (r.divergence && sameFailure(d0, r.divergence)) {
          best = r;
          cur = r.steps.slice(0, r.divergence.stepIndex + 1);
        }
      }
    }
    return { origin, divergence: best.divergence!, steps: cur, foundSteps: first.steps.length, shrinkRuns: runs, detectedAfterMs };
  };

  const runDeterministic = async (name: PhaseName, sessions: readonly Session[]): Promise<void> => {
    const before = processes;
    let n = 0;
    for (const s of sessions) {
      if (o.stopped() || finding) break;
      const r = await runSession(s.steps, ctx);
      n++;
      for (const id of r.rules) exercised.add(id);
      o.onProgress?.({ phase: name, done: n, total: sessions.length, processes, elapsedMs: elapsed() });
      if (r.divergence) {
        const at = elapsed();
        if (r.divergence.kind === "contract") contractError = true;
        finding = await shrinkSteps(s.origin, r, at);
      }
    }
    phases.push({ name, sessions: n, processes: processes - before });
  };

  const runRandom = async (): Promise<void> => {
    const before = processes;
    let n = 0;
    let first: { result: SessionResult; at: number } | null = null;
    let last: SessionResult | null = null;
    let shrinkRuns = -1;
    let shrinkStart = 0;
    const prop = fc.asyncProperty(sessionArb, async (steps: readonly AnyStep[]) => {
      if (o.stopped() || contractError) return true;
      if (first !== null) {
        // Shrinking: bounded, and only the same failure counts.
        if (shrinkRuns >= SHRINK_RUNS || performance.now() - shrinkStart > SHRINK_MS) return true;
        shrinkRuns++;
      }
      const r = await runSession(steps, ctx);
      if (first === null) {
        n++;
        for (const id of r.rules) exercised.add(id);
        o.onProgress?.({ phase: "random", done: n, total: o.sessions, processes, elapsedMs: elapsed() });
      }
      if (!r.divergence) return true;
      if (first === null) {
        first = { result: r, at: elapsed() };
        shrinkRuns = 0;
        shrinkStart = performance.now();
        if (r.divergence.kind === "contract") contractError = true;
        last = r;
        return false;
      }
      if (!sameFailure(first.result.divergence!, r.divergence)) return true;
      last = r;
      return false;
    });
    await fc.check(prop, { seed: o.seed, numRuns: o.sessions, endOnFailure: false });
    phases.push({ name: "random", sessions: n, processes: processes - before });
    if (first !== null && last !== null) {
      const f = first as { result: SessionResult; at: number };
      const l = last as SessionResult;
      const d = l.divergence!;
      finding = { origin: `random session (seed ${o.seed})`, divergence: d, steps: l.steps.slice(0, d.stepIndex + 1), foundSteps: f.result.steps.length, shrinkRuns: Math.max(0, shrinkRuns), detectedAfterMs: f.at };
    }
  };

  if (o.replay) {
    await runDeterministic("replay", [o.replay]);
  } else {
    const want = new Set(o.phases ?? ["vectors", "rules", "random"]);
    if (want.has("vectors")) {
      const v = vectorSessions(o.profile);
      skippedVectors.push(...v.skipped);
      await runDeterministic("vectors", v.sessions);
    }
    if (want.has("rules") && !finding && !o.stopped()) await runDeterministic("rules", ruleSessions());
    if (want.has("random") && !finding && !o.stopped() && o.sessions > 0) await runRandom();
  }

  const all = profileRules(o.profile);
  const f = finding as Finding | null;
  // Interrupted wins: a divergence found before Ctrl-C is reported, but its shrinking may have been cut short.
  const verdict: Verdict = o.stopped() ? "interrupted" : f ? (f.divergence.kind === "contract" ? "contract-error" : "divergence") : "conforming";
  return {
    contract: RING_CONTRACT_VERSION,
    profile: o.profile,
    impl: o.implText,
    seed: phases.some((p) => p.name === "random") ? o.seed : null,
    verdict,
    phases,
    processes,
    elapsedMs: elapsed(),
    coverage: {
      exercised: all.filter((id) => exercised.has(id)),
      notExercised: all.filter((id) => !exercised.has(id) && !NOT_OBSERVABLE.includes(id)),
      notObservable: all.filter((id) => NOT_OBSERVABLE.includes(id)),
    },
    skippedVectors,
    finding: f,
  };
};
