/**
 * What the searches that name states by their path (the input indices from the initial state)
 * share: the sharded BFS (shard.ts) and the swarm's randomised DFS (swarm.ts). One fingerprint
 * function (the binary encoding's 64-bit fingerprint), one replay of a path through the
 * reducers, and one bookkeeping of findings and outcomes that keeps, per kind and rule, the
 * shortest path seen; the steps themselves are bfs.ts's expandState (with the guest-signal
 * reduction), so no search re-implements a step.
 */
import type { SystemInput } from "../../spec/system/inputs.js";
import { checkInvariants, deadlock } from "../../spec/system/invariants.js";
import { outcomeKey } from "../../spec/system/outcomes.js";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemModel } from "../../spec/system/system.js";
import { expandState } from "./bfs.js";
import { fingerprint64, stateEncoder } from "./encoding.js";
import type { ShardFinding, ShardOutcome } from "./shard-result.js";
import type { Shape } from "./shape.js";
import { SPEC_SYSTEM_STATE } from "./state-shape.js";
import type { checkConfig } from "./check.js";

type Config = ReturnType<typeof checkConfig>;
type State = SystemState<unknown>;

/** A path that does not replay: an input index not enabled where the path says. */
export class PathError extends Error {}

/**
 * The 64-bit fingerprint of a state, left in `fp` (hi, lo): the one the visited tables use.
 * `encoding()` is the binary encoding the last fingerprint was taken of (a view, valid until the
 * next call of `of`).
 */
export const fingerprinter = (shape: Shape = SPEC_SYSTEM_STATE): { readonly fp: Int32Array; readonly of: (s: State) => Int32Array; readonly encoding: () => Uint8Array } => {
  const encoder = stateEncoder(shape);
  const fp = new Int32Array(2);
  return {
    fp,
    of: (s) => {
      encoder.encode(s);
      fingerprint64(encoder.writer.buf, encoder.writer.pos, fp);
      return fp;
    },
    encoding: () => encoder.writer.buf.subarray(0, encoder.writer.pos),
  };
};

/** Replay a path from the initial state: the inputs it names and the state it ends in. */
export const replayIndices = (config: Config, path: readonly number[]): { readonly inputs: SystemInput[]; readonly state: State } => {
  let s = specSystem.initial(config);
  const inputs: SystemInput[] = [];
  for (const k of path) {
    const input = specSystem.enabled(config, s)[k];
    if (!input) throw new PathError(`a path does not replay (input ${k} at step ${inputs.length + 1} is not enabled): not a path of this check`);
    inputs.push(input);
    s = specSystem.step(config, s, input).state;
  }
  return { inputs, state: s as State };
};

/** Findings and outcomes by key, each with the shortest path seen so far, and the transitions taken. */
export class PathFindings {
  readonly findings = new Map<string, ShardFinding>();
  readonly outcomes = new Map<string, ShardOutcome>();
  transitions = 0;

  constructor(
    private readonly config: Config,
    /** The system searched (the spec's own; tests plant bugs in a host). */
    readonly model: SystemModel<unknown, unknown> = specSystem as SystemModel<unknown, unknown>,
  ) {}

  private finding(f: ShardFinding): void {
    const key = `${f.kind}/${f.rule}`;
    const cur = this.findings.get(key);
    if (!cur || f.path.length < cur.path.length) this.findings.set(key, f);
  }

  /** The invariants of a state reached by `path`. */
  atState(s: State, path: readonly number[]): void {
    for (const v of checkInvariants(this.model.host, this.config as never, s as never)) this.finding({ ...v, path });
  }

  /**
   * Every step from `s` (reached by `path`): each step's findings, a deadlock of `s`, and each
   * successor that matters (expandState: a crashed host or a probed guest signal has none)
   * handed to `successor` with its input index and input (returning false stops the
   * expansion). `covered`: the host crashed in a step of `s`, or `s` is a deadlock (progress
   * the liveness rules leave to those rules).
   */
  expand(s: State, path: readonly number[], successor: (next: State, k: number, input: SystemInput) => boolean | void): { readonly covered: boolean } {
    let crashed = false;
    const e = expandState(this.model, this.config as never, s as never, true, {
      violation: (v, _input, k) => this.finding({ ...v, path: [...path, k] }),
      outcome: (x, _input, k) => {
        const key = outcomeKey(x);
        const cur = this.outcomes.get(key);
        if (!cur || path.length + 1 < cur.path.length) this.outcomes.set(key, { ...x, path: [...path, k] });
      },
      crashed: () => {
        crashed = true;
      },
      successor: (next, k, input) => successor(next as State, k, input) !== false, // false: stop expanding (a spent budget)
    });
    this.transitions += e.transitions;
    const dl = deadlock(s as never, e.branching);
    if (dl) this.finding({ ...dl, path });
    return { covered: crashed || dl !== undefined };
  }
}
