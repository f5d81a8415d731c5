/**
 * `verify host`: run the generated (or replayed) sessions through an implementation, stop at
 * the first verdict, shrink its session by delta debugging, and report coverage, speed and the
 * minimal session. The child is always killed at the end.
 */
import type { HostProfileName } from "../../spec/host/profiles.js";
import type { Expectation } from "../conformance/engine.js";
import type { Child } from "./child.js";
import { connection } from "./connection.js";
import { CONTRACT_VERSION } from "./contract.js";
import { runHostSession, sendHostSession } from "./host-run.js";
import { generateHostSessions, profileHostRules, sanitizeHost, type GeneratedSession } from "./host-sessions.js";
import type { HostSession, SessionResult, Verdict } from "./session.js";
import { shrinkSession } from "./shrink.js";

export { ContractError } from "./connection.js";

export interface VerifyHostOptions {
  readonly command: string;
  readonly profile: HostProfileName;
  readonly seed: number;
  readonly sessions: number;
  readonly depth: number;
  readonly timeoutMs: number;
  /** Run only these sessions (from --replay). */
  readonly replay?: readonly HostSession[];
  /** Leave the explorer-derived sessions out (faster; tests of the plumbing). */
  readonly explore?: boolean;
  readonly shrinkTests?: number;
  readonly shrinkSeconds?: number;
  readonly onProgress?: (done: number, steps: number) => void;
  /** Checked between sessions: true = stop (Ctrl-C). */
  readonly interrupted?: () => boolean;
  /** Called with the live child so an interrupt can kill it. */
  readonly onChild?: (c: Child) => void;
  /** Start the implementation (default: spawn `command`); the benchmark runs the spec in process. */
  readonly spawn?: () => Child;
  /** Called once, when the first verdict is found (before shrinking): seconds since the start. */
  readonly onFirstVerdict?: (seconds: number) => void;
}

export interface VerdictReport extends Verdict {
  readonly session: string;
  readonly sessionSteps: number;
  readonly minimal: HostSession;
  readonly shrinkTests: number;
}

export interface VerifyReport {
  readonly role: "host";
  readonly profile: HostProfileName;
  readonly contract: number;
  readonly implementation: string;
  readonly seed: number;
  readonly result: "conforming" | Verdict["kind"] | "interrupted";
  readonly sessions: number;
  readonly steps: number;
  readonly seconds: number;
  /** Steps per second while driving the implementation (session generation left out). */
  readonly stepsPerSecond: number;
  readonly coverage: { readonly exercised: readonly string[]; readonly notExercised: readonly string[] };
  readonly verdict: VerdictReport | null;
}

export const verifyHost = async (o: VerifyHostOptions): Promise<VerifyReport> => {
  const t0 = performance.now();
  const source: Iterator<GeneratedSession> = o.replay
    ? o.replay.map((s) => sanitizeHost(o.profile, s))[Symbol.iterator]()
    : generateHostSessions(o.profile, { seed: o.seed, sessions: o.sessions, depth: o.depth, explore: o.explore ?? true });
  let generating = 0;
  const pull = (): GeneratedSession | undefined => {
    const g0 = performance.now();
    const r = source.next();
    generating += performance.now() - g0;
    return r.done ? undefined : r.value;
  };
  const conn = connection("host", o);
  const exercised = new Set<string>();
  let steps = 0;
  let done = 0;
  let verdict: VerdictReport | null = null;
  let interrupted = false;
  // `next`: a session to send right behind this one, so the implementation never waits for the verifier.
  let presentTo: Child | undefined;
  const runOnce = async (s: HostSession, next?: HostSession): Promise<SessionResult> => {
    const child = await conn.get();
    const alreadySent = presentTo === child;
    if (!alreadySent) sendHostSession(child, s);
    presentTo = undefined;
    if (next) {
      sendHostSession(child, next);
      presentTo = child;
    }
    const r = await runHostSession(child, o.profile, s, { timeoutMs: o.timeoutMs, alreadySent: true });
    if (!r.ok) {
      conn.discard();
      presentTo = undefined;
    }
    return r;
  };
  try {
    for (let cur = pull(), next = cur && pull(); cur; cur = next, next = cur && pull()) {
      const s = cur.session;
      if (o.interrupted?.()) {
        interrupted = true;
        break;
      }
      const r = await runOnce(s, next?.session);
      steps += r.steps;
      if (o.interrupted?.()) {
        interrupted = true;
        break;
      }
      if (!r.ok) {
        o.onFirstVerdict?.((performance.now() - t0) / 1000);
        const first = r.verdict;
        // Shrink: the smallest sub-session that fails the same way.
        const until = performance.now() + (o.shrinkSeconds ?? 30) * 1000;
        const shrunk = await shrinkSession({
          original: s,
          first,
          items: s.inputs.slice(0, first.step + 1),
          build: (xs) => sanitizeHost(o.profile, { ...s, inputs: xs }).session,
          size: (x) => x.inputs.length,
          run: (x) => runOnce(x),
          budget: { tests: o.shrinkTests ?? 300, until },
          ...(o.interrupted ? { interrupted: o.interrupted } : {}),
        });
        steps += shrunk.steps;
        verdict = { ...shrunk.verdict, session: s.source, sessionSteps: s.inputs.length, minimal: { ...shrunk.session, source: `${s.source} (minimal)` }, shrinkTests: shrunk.tests };
        for (const x of cur.rules) exercised.add(x);
        break;
      }
      for (const x of cur.rules) exercised.add(x);
      done++;
      o.onProgress?.(done, steps);
    }
  } finally {
    conn.discard();
  }
  const all = profileHostRules(o.profile);
  const seconds = (performance.now() - t0) / 1000;
  const driving = seconds - generating / 1000;
  return {
    role: "host",
    profile: o.profile,
    contract: CONTRACT_VERSION,
    implementation: conn.name(),
    seed: o.seed,
    result: interrupted ? "interrupted" : verdict ? verdict.kind : "conforming",
    sessions: done,
    steps,
    seconds: Math.round(seconds * 1000) / 1000,
    stepsPerSecond: driving > 0 ? Math.round(steps / driving) : steps,
    coverage: { exercised: all.filter((r) => exercised.has(r)), notExercised: all.filter((r) => !exercised.has(r)) },
    verdict,
  };
};

const expectedText = (e: readonly Expectation[]): string =>
  e.length === 0 ? "    (nothing: no spec state is left)\n" : e.map((x) => `    ${x.description}${x.rules.length ? `  [${x.rules.join(", ")}]` : ""}\n`).join("");

export const formatVerifyReport = (r: VerifyReport, file: string | undefined): string => {
  const head = `verify host: ${r.implementation}, profile ${r.profile}, contract ${r.contract}, seed ${r.seed}\n  ${r.sessions} session(s) passed, ${r.steps} steps, ${r.seconds.toFixed(2)} s, ${r.stepsPerSecond} steps/s\n`;
  const cov = `  rule coverage: ${r.coverage.exercised.length}/${r.coverage.exercised.length + r.coverage.notExercised.length} host rules exercised\n    not exercised: ${r.coverage.notExercised.join(" ") || "(none)"}\n`;
  if (!r.verdict) return `${head}${cov}  ${r.result === "interrupted" ? "INTERRUPTED (no divergence so far)" : "CONFORMING"}\n`;
  const v = r.verdict;
  const steps = v.minimal.inputs.map((x, i) => `    ${i}. ${JSON.stringify(x)}\n`).join("");
  return (
    `${head}${cov}\n${v.kind.toUpperCase()}${v.inconclusive ? " (INCONCLUSIVE: the engine's state bound was hit)" : ""} in session "${v.session}" (${v.sessionSteps} inputs), minimal session ${v.minimal.inputs.length} input(s) after ${v.shrinkTests} shrink test(s):\n${steps}` +
    `  at step ${v.step}: ${v.step < 0 ? "restart" : JSON.stringify(v.input)}\n  the implementation did: ${v.observed}\n${v.detail ? `  ${v.detail.split("\n").join("\n  ")}\n` : ""}  the spec allows:\n${expectedText(v.expected)}  rules: ${v.rules.join(", ") || "(none)"}\n` +
    (file ? `  minimal session written to ${file} (re-run: --replay ${file})\n` : "")
  );
};
