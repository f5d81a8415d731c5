/**
 * Sessions and verdicts: what `verify` runs against an implementation and what it concludes.
 * A session is a configuration plus a list of inputs; it is plain JSON, so the minimal session
 * of a divergence is written to a file that `--replay` re-runs.
 */
import type { DeviceSpec, HostInput } from "../../spec/host/interface.js";
import type { Expectation } from "../conformance/engine.js";

export interface HostSession {
  /** Where the session came from: "vector qemu/boot", "explore HOST-GPADL-3", "random 17". */
  readonly source: string;
  readonly vcpus: number;
  readonly devices: readonly DeviceSpec[];
  /** Inputs in order (never `run`: the implementation runs its own deferred work). */
  readonly inputs: readonly HostInput[];
}

export type VerdictKind = "divergence" | "crash" | "hang" | "garbage";

export interface Verdict {
  readonly kind: VerdictKind;
  /** Index of the input being answered (-1: the restart that opens the session). */
  readonly step: number;
  /** The input (JSON) of that step, if any. */
  readonly input: unknown;
  /** What the implementation did: the line it printed, or what happened instead. */
  readonly observed: string;
  /** What the spec allowed there. */
  readonly expected: readonly Expectation[];
  /** Rule IDs that decide it. */
  readonly rules: readonly string[];
  /** The engine's state bound was hit: the verdict may be a false alarm. */
  readonly inconclusive: boolean;
  /** Extra detail (exit status, stderr tail). */
  readonly detail?: string;
}

export type SessionResult = { readonly ok: true; readonly steps: number } | { readonly ok: false; readonly steps: number; readonly verdict: Verdict };

/** Two verdicts are "the same failure" for shrinking: same kind, and for a divergence a shared rule (or both without one). */
export const sameFailure = (a: Verdict, b: Verdict): boolean =>
  a.kind === b.kind && (a.kind !== "divergence" || (a.rules.length === 0 && b.rules.length === 0) || a.rules.some((r) => b.rules.includes(r)));
