/**
 * The result file of one swarm run (`check --swarm --seed S --out FILE`), versioned and decoded
 * with closed io-ts codecs, and `mergeSwarm`, which unites a swarm's runs: the runs overlap, so
 * their state counts do not add up; the distinct states they covered together are estimated
 * from the union of their HyperLogLog sketches (never below the largest exact count), and each
 * finding keeps the shortest path any run found. A swarm is never exhaustive.
 */
import * as t from "io-ts";
import { exactly, formatErrors, U32 } from "../io/primitives.js";
import type { RunCheck } from "./run-file.js";
import { canonical, findingKey, outcomeRowKey, SEARCH_FIELDS, shortest, type ShardBounds, type ShardFinding, type ShardOutcome } from "./shard-result.js";
import { StateSketch } from "./sketch.js";

export const SWARM_FORMAT = "vmbus-spec-swarm";

export interface SwarmResult {
  readonly format: typeof SWARM_FORMAT;
  readonly formatVersion: 1;
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly seed: number;
  /** Distinct states this run visited. */
  readonly states: number;
  /** Steps taken (a state reached again by a shorter path is expanded again). */
  readonly transitions: number;
  /** Longest path explored, in steps (a breadth-first search reports its deepest level). */
  readonly depth: number;
  /** No bound cut this run: it visited every reachable state (its traces may still not be shortest). */
  readonly exhausted: boolean;
  readonly stoppedBy: "depth" | "states" | "interrupted" | null;
  readonly findings: readonly ShardFinding[];
  readonly outcomes: readonly ShardOutcome[];
  /** HyperLogLog registers of the visited fingerprints, base64 (sketch.ts). */
  readonly sketch: string;
}

const SwarmJson = exactly(
  {
    format: t.literal(SWARM_FORMAT),
    formatVersion: t.literal(1),
    ...SEARCH_FIELDS,
    seed: U32,
    exhausted: t.boolean,
    sketch: t.string,
  },
  "swarm result",
);

export const decodeSwarmResult = (u: unknown, name: string): { ok: true; value: SwarmResult } | { ok: false; error: string } => {
  const r = SwarmJson.decode(u);
  if (r._tag === "Left") return { ok: false, error: `${name}: ${formatErrors("swarm", r.left)[0]}` };
  const sketch = StateSketch.fromBase64(r.right.sketch);
  if (typeof sketch === "string") return { ok: false, error: `${name}: swarm.sketch: ${sketch}` };
  return { ok: true, value: r.right as unknown as SwarmResult };
};

export interface MergedSwarm {
  readonly check: RunCheck;
  /** The first run's bounds (the runs may differ in bounds; replay does not depend on them). */
  readonly bounds: ShardBounds;
  readonly runs: readonly { readonly seed: number; readonly bounds: ShardBounds; readonly states: number; readonly exhausted: boolean }[];
  /** Estimated distinct states covered by the runs together. */
  readonly states: number;
  /** States visited, summed over the runs (overlap counted again). */
  readonly visits: number;
  readonly transitions: number;
  readonly depth: number;
  readonly complete: false;
  readonly stoppedBy: "depth" | "states" | "interrupted" | null;
  readonly findings: readonly ShardFinding[];
  readonly outcomes: readonly ShardOutcome[];
}

/** Unite the runs of one swarm; an error names the first file that does not belong. */
export const mergeSwarm = (files: readonly { readonly name: string; readonly result: SwarmResult }[]): { ok: true; value: MergedSwarm } | { ok: false; error: string } => {
  if (files.length === 0) return { ok: false, error: "no swarm result to merge" };
  const first = files[0]!;
  const seen = new Map<string, string>();
  let union = new StateSketch();
  for (const { name, result } of files) {
    if (canonical(result.check) !== canonical(first.result.check)) return { ok: false, error: `${name}: a different check configuration than ${first.name} (every run of a swarm runs the same check)` };
    const run = canonical([result.seed, result.bounds]);
    const dup = seen.get(run);
    if (dup !== undefined) return { ok: false, error: `${name}: the same run again (seed ${result.seed}, same bounds as ${dup})` };
    seen.set(run, name);
    union = union.union(StateSketch.fromBase64(result.sketch) as StateSketch);
  }
  const rs = files.map((f) => f.result);
  return {
    ok: true,
    value: {
      check: first.result.check,
      bounds: first.result.bounds,
      runs: rs.map((r) => ({ seed: r.seed, bounds: r.bounds, states: r.states, exhausted: r.exhausted })),
      states: Math.max(union.estimate(), ...rs.map((r) => r.states)),
      visits: rs.reduce((n, r) => n + r.states, 0),
      transitions: rs.reduce((n, r) => n + r.transitions, 0),
      depth: Math.max(...rs.map((r) => r.depth)),
      complete: false,
      // The first of the bounds that stopped some run (none when every run was cut by nothing).
      stoppedBy: (["interrupted", "states", "depth"] as const).find((b) => rs.some((r) => r.stoppedBy === b)) ?? null,
      findings: shortest(findingKey, rs.flatMap((r) => r.findings)),
      outcomes: shortest(outcomeRowKey, rs.flatMap((r) => r.outcomes)),
    },
  };
};
