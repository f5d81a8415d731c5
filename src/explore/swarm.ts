/**
 * Swarm mode (`check --swarm --seed S`, after Holzmann's swarm verification): one diversified,
 * bounded search among many. It is a depth-first search whose successor order is shuffled by a
 * PRNG seeded with S, bounded by the check's depth (path length) and state budget; runs with
 * different seeds (and budgets) go different ways into a space too large for one exhaustive
 * search, on machines that share nothing, and `check merge` unites what they found.
 *
 * - A state is named by its path (input indices from the initial state), as in the sharded
 *   search; findings keep the shortest path this run saw (not necessarily the shortest there is).
 * - A state reached again by a shorter path is expanded again: the depth bound may have cut
 *   what lies below it the first time (each state is expanded at most `depth` times).
 * - The visited fingerprints are also counted in a HyperLogLog sketch (sketch.ts), so merged
 *   runs can estimate the distinct states they covered together.
 * - Liveness (SYS-LIVE-1/-2) is not checked: it needs the whole explored graph.
 */
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { Prng } from "../vectors/prng.js";
import { checkConfig } from "./check.js";
import { fingerprinter, PathFindings } from "./path-search.js";
import type { RunCheck } from "./run-file.js";
import type { ShardBounds } from "./shard-result.js";
import { StateSketch } from "./sketch.js";
import type { SwarmResult } from "./swarm-result.js";
import { FingerprintTable } from "./visited.js";

export interface SwarmOptions {
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly seed: number;
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number }) => void;
  readonly interrupted?: () => boolean;
}

type State = SystemState<unknown>;

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export const runSwarm = async (o: SwarmOptions): Promise<SwarmResult> => {
  const config = checkConfig({ ...o.check, ...o.bounds });
  const rng = new Prng(o.seed);
  const { fp, of: fingerprint } = fingerprinter();
  // Node table: `parent` holds the length of the shortest path a state was expanded from.
  const visited = new FingerprintTable();
  const sketch = new StateSketch();
  const found = new PathFindings(config);
  const stack: { state: State; path: readonly number[] }[] = [{ state: specSystem.initial(config) as State, path: [] }];
  let stoppedBy: SwarmResult["stoppedBy"] = null;
  let cut = false;
  let deepest = 0;
  for (let n = 1; stack.length > 0; n++) {
    if ((n & 1023) === 0) {
      await tick(); // let Ctrl-C through
      if (o.interrupted?.()) {
        stoppedBy = "interrupted";
        break;
      }
      o.onProgress?.({ states: visited.size, transitions: found.transitions, depth: deepest });
    }
    const { state, path } = stack.pop()!;
    fingerprint(state);
    const seen = visited.find(fp[0]!, fp[1]!);
    if (seen >= 0) {
      if (visited.parent.a[seen]! <= path.length) continue;
      visited.parent.a[seen] = path.length;
    } else {
      if (visited.size >= o.bounds.maxStates) {
        stoppedBy = "states";
        break;
      }
      visited.add(fp[0]!, fp[1]!, path.length, -1);
      sketch.add(fp[0]!, fp[1]!);
      found.atState(state, path);
    }
    deepest = Math.max(deepest, path.length);
    if (path.length >= o.bounds.depth) {
      cut = true; // as in the breadth-first search: states at the depth bound are checked, not expanded
      continue;
    }
    const next: { state: State; k: number }[] = [];
    found.expand(state, path, (s, k) => {
      next.push({ state: s, k });
    });
    for (let i = next.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [next[i], next[j]] = [next[j]!, next[i]!];
    }
    for (const x of next) stack.push({ state: x.state, path: [...path, x.k] });
  }
  return {
    format: "vmbus-spec-swarm",
    formatVersion: 1,
    check: o.check,
    bounds: o.bounds,
    seed: o.seed,
    states: visited.size,
    transitions: found.transitions,
    depth: deepest,
    exhausted: stoppedBy === null && !cut,
    stoppedBy: stoppedBy ?? (cut ? "depth" : null),
    findings: [...found.findings.values()],
    outcomes: [...found.outcomes.values()],
    sketch: sketch.toBase64(),
  };
};
