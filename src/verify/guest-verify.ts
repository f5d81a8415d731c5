/**
 * `verify guest`: sessions of driver actions (the order: the vector-like boot session,
 * then sessions that walk the driver script the explorer uses (spec/system/driver.ts) with
 * seeded random choices, including actions the guest must refuse), run against the
 * implementation; the first verdict is shrunk by delta debugging.
 */
import fc from "fast-check";
import type { DriverAction } from "../../spec/guest/io.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { DEFAULT_DRIVER, type DriverScript } from "../../spec/system/config.js";
import { enabledDriverActions, INITIAL_DRIVER, recordDriverAction } from "../../spec/system/driver.js";
import type { DriverProgress } from "../../spec/system/state.js";
import type { Child } from "./child.js";
import { CONTRACT_VERSION } from "./contract.js";
import type { GuestSession } from "./guest-contract.js";
import { runGuestSession } from "./guest-run.js";
import { createGuestServer } from "./guest-server.js";
import { profileHostRules } from "./host-sessions.js";
import { connection } from "./connection.js";
import { inProcessChild } from "./in-process.js";
import type { SessionResult, Verdict } from "./session.js";
import { shrinkSession } from "./shrink.js";

export interface VerifyGuestOptions {
  readonly command: string;
  readonly profile: HostProfileName;
  readonly seed: number;
  readonly sessions: number;
  readonly depth: number;
  readonly timeoutMs: number;
  readonly anyGuest: boolean;
  readonly replay?: readonly GuestSession[];
  readonly interrupted?: () => boolean;
  readonly onChild?: (c: Child) => void;
  /** Called once, when the first verdict is found (before shrinking): seconds since the start. */
  readonly onFirstVerdict?: (seconds: number) => void;
  readonly onProgress?: (done: number, steps: number) => void;
}

export interface GuestVerdictReport extends Verdict {
  readonly session: string;
  readonly sessionSteps: number;
  readonly minimal: GuestSession;
  readonly shrinkTests: number;
}

export interface GuestVerifyReport {
  readonly role: "guest";
  readonly profile: HostProfileName;
  readonly contract: number;
  readonly implementation: string;
  readonly seed: number;
  readonly anyGuest: boolean;
  readonly result: "conforming" | Verdict["kind"] | "interrupted";
  readonly sessions: number;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  readonly coverage: { readonly exercised: readonly string[]; readonly notExercised: readonly string[] };
  readonly verdict: GuestVerdictReport | null;
}

/** A driver script and a stream of random numbers -> a policy choosing enabled actions (or a refused one now and then). */
const policy = (script: DriverScript, rnd: readonly number[], depth: number) => {
  let i = 0;
  let p: DriverProgress = INITIAL_DRIVER;
  let n = 0;
  return (g: import("../../spec/guest/state.js").GuestState): DriverAction | undefined => {
    if (n++ >= depth) return undefined;
    const r = (): number => rnd[i++ % rnd.length] ?? 0;
    const enabled = enabledDriverActions(script, p, g);
    // One time in ten: an action the guest must refuse (GUEST-DRIVER-1).
    if (r() % 10 === 0) return { kind: "openChannel", relid: 1999, sendPages: 2, recvPages: 2 };
    if (enabled.length === 0) return undefined;
    const a = enabled[r() % enabled.length]!;
    p = recordDriverAction(p, a);
    return a;
  };
};

/** Generate guest sessions by running the spec guest in process with seeded driver choices. */
export const generateGuestSessions = async (profile: HostProfileName, seed: number, count: number, depth: number): Promise<GuestSession[]> => {
  const out: GuestSession[] = [];
  // Two VPs, as the checker has: the driver script retargets channels to VP 1 (MODIFYCHANNEL).
  const base = { vcpus: 2, devices: DEFAULT_DEVICES };
  // The boot session: connect, take the offers, nothing else.
  out.push({ source: "boot", ...base, actions: [] });
  const scripts: DriverScript[] = [
    { ...DEFAULT_DRIVER, channels: 1 },
    { ...DEFAULT_DRIVER, channels: 2, buffers: 1, modify: profile !== "qemu" },
    { ...DEFAULT_DRIVER, channels: 3, cycles: 2 },
  ];
  const streams = count > 0 ? fc.sample(fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), { seed, numRuns: count }) : [];
  for (const [k, rnd] of streams.entries()) {
    const script = scripts[k % scripts.length]!;
    const pol = policy(script, rnd, depth);
    const child2 = inProcessChild(createGuestServer());
    child2.send(JSON.stringify({ kind: "hello", contract: CONTRACT_VERSION, role: "guest", profile }));
    await child2.next(0);
    const r2 = await runGuestSession(child2, profile, { source: "", ...base, actions: [] }, { timeoutMs: 1000, anyGuest: false, choose: (s) => pol(s.g) });
    out.push({ source: `random ${seed}/${k}`, ...base, actions: r2.actions });
  }
  return out;
};

export const verifyGuest = async (o: VerifyGuestOptions): Promise<GuestVerifyReport> => {
  const t0 = performance.now();
  const sessions = o.replay ? [...o.replay] : await generateGuestSessions(o.profile, o.seed, o.sessions, o.depth);
  const t1 = performance.now();
  const conn = connection("guest", o);
  const rules = new Set<string>();
  const runOnce = async (s: GuestSession): Promise<SessionResult> => {
    const c = await conn.get();
    const r = await runGuestSession(c, o.profile, s, { timeoutMs: o.timeoutMs, anyGuest: o.anyGuest, rules });
    if (!r.ok) conn.discard();
    return r;
  };
  let steps = 0;
  let done = 0;
  let verdict: GuestVerdictReport | null = null;
  let interrupted = false;
  try {
    for (const s of sessions) {
      if (o.interrupted?.()) {
        interrupted = true;
        break;
      }
      const r = await runOnce(s);
      steps += r.steps;
      if (o.interrupted?.()) {
        interrupted = true;
        break;
      }
      if (r.ok) {
        done++;
        o.onProgress?.(done, steps);
        continue;
      }
      o.onFirstVerdict?.((performance.now() - t0) / 1000);
      const first = r.verdict;
      const shrunk = await shrinkSession({
        original: s,
        first,
        items: s.actions,
        build: (xs) => ({ ...s, actions: [...xs] }),
        size: (x) => x.actions.length,
        run: (x) => runOnce(x),
        budget: { tests: 200, until: performance.now() + 30_000 },
      });
      steps += shrunk.steps;
      verdict = { ...shrunk.verdict, session: s.source, sessionSteps: s.actions.length, minimal: { ...shrunk.session, source: `${s.source} (minimal)` }, shrinkTests: shrunk.tests };
      break;
    }
  } finally {
    conn.discard();
  }
  const seconds = (performance.now() - t0) / 1000;
  const driving = (performance.now() - t1) / 1000;
  const all = profileHostRules(o.profile);
  return {
    role: "guest",
    profile: o.profile,
    contract: CONTRACT_VERSION,
    implementation: conn.name(),
    seed: o.seed,
    anyGuest: o.anyGuest,
    result: interrupted ? "interrupted" : verdict ? verdict.kind : "conforming",
    sessions: done,
    steps,
    seconds: Math.round(seconds * 1000) / 1000,
    stepsPerSecond: driving > 0 ? Math.round(steps / driving) : steps,
    coverage: { exercised: [...rules].sort(), notExercised: all.filter((r) => !rules.has(r)) },
    verdict,
  };
};
