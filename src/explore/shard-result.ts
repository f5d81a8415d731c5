/**
 * The result file of one shard of a campaign (`check --shard i/N --out FILE`), versioned and
 * decoded with closed io-ts codecs, and `mergeShards`, which combines the files of a campaign:
 * states and transitions add up (the shards' parts are disjoint), the search is complete when
 * every shard is there and complete, and each finding keeps its shortest path.
 */
import * as t from "io-ts";
import { exactly, exactlyWith, formatErrors, U32 } from "../io/primitives.js";
import { CheckJson, type RunCheck } from "./run-file.js";
import type { CheckOptions } from "./check.js";

export const SHARD_FORMAT = "vmbus-spec-shard";

export interface ShardFinding {
  readonly kind: "invariant" | "deadlock" | "defect" | "liveness";
  readonly rule: string;
  readonly message: string;
  /** Input indices (into `enabled` of each state) from the initial state. */
  readonly path: readonly number[];
}

export interface ShardOutcome {
  readonly rule: string;
  readonly row: number | null;
  readonly message: string;
  readonly path: readonly number[];
}

export type ShardBounds = Pick<CheckOptions, "depth" | "maxStates">;

export interface ShardResult {
  readonly format: typeof SHARD_FORMAT;
  readonly formatVersion: 1;
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly shard: { readonly index: number; readonly count: number };
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: "depth" | "states" | "interrupted" | null;
  readonly findings: readonly ShardFinding[];
  readonly outcomes: readonly ShardOutcome[];
  /** This shard's part of the explored graph (shard-graph.ts), for liveness at merge: the file's name, relative to this result's folder. */
  readonly graph?: ShardGraphRef;
}

export interface ShardGraphRef {
  readonly file: string;
  readonly nodes: number;
  readonly edges: number;
}

const Path = t.array(U32);
/** The fields every result of a path-named search has (shards and swarm runs). */
export const SEARCH_FIELDS = {
  check: CheckJson,
  bounds: exactly({ depth: U32, maxStates: U32 }, "bounds"),
  states: U32,
  transitions: t.number,
  depth: U32,
  stoppedBy: t.union([t.literal("depth"), t.literal("states"), t.literal("interrupted"), t.null]),
  findings: t.array(exactly({ kind: t.keyof({ invariant: null, deadlock: null, defect: null, liveness: null }), rule: t.string, message: t.string, path: Path }, "finding")),
  outcomes: t.array(exactly({ rule: t.string, row: t.union([U32, t.null]), message: t.string, path: Path }, "outcome")),
};
const ShardJson = exactlyWith(
  {
    format: t.literal(SHARD_FORMAT),
    formatVersion: t.literal(1),
    ...SEARCH_FIELDS,
    shard: exactly({ index: U32, count: U32 }, "shard"),
    complete: t.boolean,
  },
  { graph: exactly({ file: t.string, nodes: U32, edges: t.number }, "graph") },
  "shard result",
);

export const decodeShardResult = (u: unknown, name: string): { ok: true; value: ShardResult } | { ok: false; error: string } => {
  const r = ShardJson.decode(u);
  if (r._tag === "Left") return { ok: false, error: `${name}: ${formatErrors("shard", r.left)[0]}` };
  return { ok: true, value: r.right as unknown as ShardResult };
};

export interface MergedCampaign {
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly shards: number;
  /** Shard indices with no result file (the merge is then incomplete). */
  readonly missing: readonly number[];
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: ShardResult["stoppedBy"];
  readonly findings: readonly ShardFinding[];
  readonly outcomes: readonly ShardOutcome[];
}

/** JSON with sorted keys: two configurations are the same check when these are equal. */
export const canonical = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b))) : v));

/** Per key, the entry with the shortest path; shortest first. */
export const shortest = <T extends { readonly path: readonly number[] }>(key: (x: T) => string, all: readonly T[]): T[] => {
  const m = new Map<string, T>();
  for (const x of all) {
    const cur = m.get(key(x));
    if (!cur || x.path.length < cur.path.length) m.set(key(x), x);
  }
  return [...m.values()].sort((a, b) => a.path.length - b.path.length);
};
export const findingKey = (f: ShardFinding): string => `${f.kind}/${f.rule}`;
export const outcomeRowKey = (o: ShardOutcome): string => `${o.rule}#${o.row ?? "-"}`;

/** Combine the results of one campaign; an error names the first file that does not belong. */
export const mergeShards = (files: readonly { readonly name: string; readonly result: ShardResult }[]): { ok: true; value: MergedCampaign } | { ok: false; error: string } => {
  if (files.length === 0) return { ok: false, error: "no shard result to merge" };
  const first = files[0]!.result;
  const count = first.shard.count;
  const seen = new Map<number, string>();
  for (const { name, result } of files) {
    if (canonical([result.check, result.bounds]) !== canonical([first.check, first.bounds])) return { ok: false, error: `${name}: a different check configuration than ${files[0]!.name} (every shard of a campaign runs the same check)` };
    if (result.shard.count !== count) return { ok: false, error: `${name}: shard ${result.shard.index}/${result.shard.count}, but ${files[0]!.name} is one of ${count}` };
    const dup = seen.get(result.shard.index);
    if (dup !== undefined) return { ok: false, error: `${name}: shard ${result.shard.index} again (also ${dup})` };
    seen.set(result.shard.index, name);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  const rs = files.map((f) => f.result);
  const stopped = rs.find((r) => r.stoppedBy !== null)?.stoppedBy ?? null;
  return {
    ok: true,
    value: {
      check: first.check,
      bounds: first.bounds,
      shards: count,
      missing,
      states: rs.reduce((n, r) => n + r.states, 0),
      transitions: rs.reduce((n, r) => n + r.transitions, 0),
      depth: Math.max(...rs.map((r) => r.depth)),
      complete: missing.length === 0 && rs.every((r) => r.complete),
      stoppedBy: stopped,
      findings: shortest(findingKey, rs.flatMap((r) => r.findings)),
      outcomes: shortest(outcomeRowKey, rs.flatMap((r) => r.outcomes)),
    },
  };
};
