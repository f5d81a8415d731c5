/**
 * Run one session against the implementation: for each step, what the spec does (oracle.ts),
 * what the implementation does (one process, process.ts), compared (compare.ts). The image
 * file lives in a fresh directory of the verifier's own temp directory; `patch` steps are
 * written by the verifier itself.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProfileName } from "../../../spec/profiles.js";
import { RING_PROFILES } from "../../../spec/ring/profile.js";
import { compareStep, type Divergence } from "./compare.js";
import { expectStep, initialOracleState, type Json } from "./oracle.js";
import { runImpl } from "./process.js";
import { controlArgs, type Step } from "./session.js";
import { resolveStep, type AnyStep } from "./symbolic.js";

export interface RunContext {
  readonly impl: readonly string[];
  readonly profile: ProfileName;
  readonly timeoutMs: number;
  /** The verifier's temp directory (one subdirectory per session run). */
  readonly tmpDir: string;
  /** Working directory of the implementation's processes. */
  readonly cwd: string;
  /** Set when the run must stop (Ctrl-C): remaining steps are not run. */
  readonly stopped: () => boolean;
  /** Called after every implementation process (progress, statistics). */
  readonly onStep?: (elapsedMs: number) => void;
}

export interface SessionResult {
  /** The concrete steps that ran (symbolic steps resolved). */
  readonly steps: readonly Step[];
  readonly divergence: Divergence | null;
  /** Implementation processes run. */
  readonly processes: number;
  readonly rules: ReadonlySet<string>;
  /** True when the run was stopped before the session's end. */
  readonly stopped: boolean;
}

let runCounter = 0;

const argsFor = (step: Step, file: string, profile: ProfileName): { args: string[]; input: string } => {
  switch (step.op) {
    case "init":
      return { args: ["init", "--file", file, "--data-size", String(step.dataSize), ...controlArgs(step.control ?? {})], input: "" };
    case "write":
      return { args: ["write", "--file", file, "--profile", profile, ...(step.batch ? ["--batch"] : [])], input: step.packets.map((p) => JSON.stringify(p) + "\n").join("") };
    case "read":
      return { args: ["read", "--file", file, "--profile", profile, ...(step.max !== undefined ? ["--max", String(step.max)] : [])], input: "" };
    case "show":
      return { args: ["show", "--file", file, "--profile", profile], input: "" };
    case "patch":
      return { args: [], input: "" };
  }
};

const readImage = (file: string): Promise<Uint8Array | null> => readFile(file).then((b) => new Uint8Array(b), () => null);

export const runSession = async (steps: readonly AnyStep[], ctx: RunContext): Promise<SessionResult> => {
  const dir = join(ctx.tmpDir, `s${++runCounter}`);
  await mkdir(dir, { recursive: true });
  const file = join(dir, "ring.img");
  const profile = RING_PROFILES[ctx.profile];
  const done: Step[] = [];
  const rules = new Set<string>();
  let state = initialOracleState;
  let processes = 0;
  try {
    for (const [i, any] of steps.entries()) {
      if (ctx.stopped()) return { steps: done, divergence: null, processes, rules, stopped: true };
      const step = resolveStep(any, state);
      done.push(step);
      const { expected, state: next } = expectStep(state, step, profile, file);
      if (step.op === "patch") {
        if (expected.image !== null) await writeFile(file, expected.image);
        state = next;
        continue;
      }
      if (state.image === null && step.op !== "init") break; // no file: nothing more to run
      const { args, input } = argsFor(step, file, ctx.profile);
      const r = await runImpl(ctx.impl, args, input, ctx.timeoutMs, ctx.cwd);
      // Stopped while the process ran (Ctrl-C killed it): its result says nothing about the implementation.
      if (ctx.stopped()) return { steps: done.slice(0, -1), divergence: null, processes, rules, stopped: true };
      processes++;
      ctx.onStep?.(r.elapsedMs);
      const image = await readImage(file);
      const d = compareStep(i, step, expected, r, image);
      if (d) return { steps: done, divergence: d, processes, rules, stopped: false };
      for (const id of expected.rules) rules.add(id);
      state = next;
      if (state.image === null) break;
    }
    return { steps: done, divergence: null, processes, rules, stopped: false };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The JSON of a divergence for reports (values as they are; steps by index). */
export const divergenceJson = (d: Divergence): Json => ({ kind: d.kind, step: d.stepIndex, op: d.step.op, what: d.what, spec: d.spec, impl: d.impl, rules: d.rules, ...(d.stderr ? { stderr: d.stderr } : {}) });
