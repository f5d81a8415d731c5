/**
 * Campaigns across machines (docs/scale.md): `check --shard i/N --exchange DIR --out FILE`
 * runs one shard and `check --swarm --seed S --out FILE` one swarm run, each writing its result
 * file; `check merge FILE...` combines a campaign's result files into the report `check` prints.
 */
import { formatReport, reportJson, verdictOf, type CheckReport } from "../../explore/check.js";
import { mergedReport, PathError, type MergedSearch } from "../../explore/merge-report.js";
import type { RunCheck } from "../../explore/run-file.js";
import { runShard, ShardError } from "../../explore/shard.js";
import { decodeShardResult, findingKey, mergeShards, shortest, type ShardBounds, type ShardFinding, type ShardResult } from "../../explore/shard-result.js";
import { GraphFileError, GraphWriter, mergedLiveness } from "../../explore/shard-graph.js";
import { shapeFingerprint } from "../../explore/frontier-file.js";
import { SPEC_SYSTEM_STATE } from "../../explore/state-shape.js";
import { basename, dirname, join } from "node:path";
import { runSwarm } from "../../explore/swarm.js";
import { decodeSwarmResult, mergeSwarm, SWARM_FORMAT, type SwarmResult } from "../../explore/swarm-result.js";
import { parseArgs, UsageError } from "../args.js";
import { InputError, LIMITS, prepareOutput, readFileCapped, writeAtomically, writeFileAtomic } from "../files.js";

export const parseShard = (text: string): { index: number; count: number } => {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 4096 || index >= count) throw new UsageError(`--shard must be i/N with 0 <= i < N <= 4096 (e.g. 0/4), got '${text}'`);
  return { index, count };
};

const STOPPED_BY = { depth: "the --depth bound", states: "the --max-states bound", interrupted: "Ctrl-C" } as const;

/** Run one part of a campaign (a shard or a swarm run) with Ctrl-C, and write its result file. */
const runPart = async <R extends ShardResult | SwarmResult>(o: { readonly out: string; readonly force: boolean; readonly json: boolean; readonly label: string }, run: (interrupted: () => boolean) => Promise<R>): Promise<number> => {
  await prepareOutput(o.out, o.force);
  let stop = false;
  const onSigint = (): void => {
    stop = true;
  };
  process.on("SIGINT", onSigint);
  let result: R;
  try {
    result = await run(() => stop);
  } catch (e) {
    if (e instanceof ShardError) throw new InputError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (!o.json && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  await writeAtomically(o.out, `${JSON.stringify(result)}\n`, o.force);
  const done = result.stoppedBy !== null ? `stopped by ${STOPPED_BY[result.stoppedBy]}` : result.format === SWARM_FORMAT ? "no bound cut it" : "search complete";
  const line = `${o.label}: ${result.states} states, ${result.transitions} transitions, ${result.findings.length} finding(s), ${done}; wrote ${o.out} (combine with: vmbus-spec check merge)`;
  const summary = { states: result.states, transitions: result.transitions, findings: result.findings.length, stoppedBy: result.stoppedBy, out: o.out };
  process.stdout.write(o.json ? `${JSON.stringify(result.format === SWARM_FORMAT ? { seed: result.seed, ...summary, exhausted: result.exhausted } : { shard: result.shard, ...summary, complete: result.complete })}\n` : `${line}\n`);
  return result.stoppedBy === "interrupted" ? 130 : 0;
};

const progress = (json: boolean, label: string, what: string) =>
  json || !process.stderr.isTTY ? {} : { [what]: (p: { readonly states: number; readonly round?: number }) => process.stderr.write(`\r\x1b[Kcheck ${label}: ${p.round !== undefined ? `round ${p.round}, ` : ""}${p.states} states`) };

export const runShardCommand = async (o: {
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly shard: string;
  readonly exchange: string | undefined;
  readonly out: string | undefined;
  readonly force: boolean;
  readonly json: boolean;
  readonly roundTimeoutSeconds: number;
}): Promise<number> => {
  const shard = parseShard(o.shard);
  if (o.exchange === undefined || o.out === undefined) throw new UsageError("--shard needs --exchange DIR (shared by every shard) and --out FILE (this shard's result)");
  const label = `shard ${shard.index}/${shard.count}`;
  // This shard's part of the explored graph goes next to its result, for liveness at merge.
  const graphFile = `${o.out}.graph`;
  await prepareOutput(o.out, o.force);
  await prepareOutput(graphFile, o.force);
  const graph = new GraphWriter(shapeFingerprint(SPEC_SYSTEM_STATE));
  return runPart({ out: o.out, force: o.force, json: o.json, label }, async (interrupted) => {
    const r = await runShard({ check: o.check, bounds: o.bounds, shard, exchange: o.exchange!, roundTimeoutMs: o.roundTimeoutSeconds * 1000, interrupted, graph, ...progress(o.json, label, "onRound") });
    await writeFileAtomic(graphFile, graph.bytes());
    return { ...r, graph: { file: basename(graphFile), nodes: graph.nodes, edges: graph.edges } };
  });
};

export const runSwarmCommand = async (o: {
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly seed: number | undefined;
  readonly out: string | undefined;
  readonly exchange: string | undefined;
  readonly force: boolean;
  readonly json: boolean;
}): Promise<number> => {
  if (o.seed === undefined || o.out === undefined) throw new UsageError("--swarm needs --seed S (a different one for every run of the swarm) and --out FILE (this run's result)");
  if (o.exchange !== undefined) throw new UsageError("--exchange goes with --shard (swarm runs share nothing)");
  const label = `swarm seed ${o.seed}`;
  return runPart({ out: o.out, force: o.force, json: o.json, label }, (interrupted) => runSwarm({ check: o.check, bounds: o.bounds, seed: o.seed!, interrupted, ...progress(o.json, label, "onProgress") }));
};

export const MERGE_HELP = `usage: vmbus-spec check merge [--json] [--fail-incomplete] FILE...

Combines the result files of one campaign (docs/scale.md) into the report check prints.
Shards (check --shard i/N --out FILE): states and transitions add up, each finding keeps its
shortest trace, and the search is exhaustive only when every shard is there and finished.
Swarm runs (check --swarm --seed S --out FILE): the runs overlap, so the distinct states they
covered together are estimated from their HyperLogLog sketches; each finding keeps the shortest
trace any run found; a swarm is never exhaustive. Traces are replayed through the reducers.
Files of different check configurations, a shard or a run given twice, or shards mixed with
swarm runs are refused. Liveness (SYS-LIVE-1/-2) is checked over the shards' graph files
(FILE.graph, written next to each shard's result) when every shard is there; a swarm does
not check it. Exit status: 0 no violation,
1 violation found, 2 usage error or a file that is not a result, 3 file error, 4 not
exhaustive with --fail-incomplete.`;

type PartFile = { name: string; result: ShardResult } | { name: string; swarm: SwarmResult };

const readPart = async (name: string): Promise<PartFile> => {
  let json: unknown;
  const text = (await readFileCapped(name, LIMITS.stdinDocument)).toString("utf8");
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name}: bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  if ((json as { format?: unknown } | null)?.format === SWARM_FORMAT) {
    const d = decodeSwarmResult(json, name);
    if (!d.ok) throw new InputError(d.error);
    return { name, swarm: d.value };
  }
  const d = decodeShardResult(json, name);
  if (!d.ok) throw new InputError(d.error);
  return { name, result: d.value };
};

/** The merged report of shard files or of swarm files (never both), with the lines that say what kind. */
const mergeParts = async (parts: readonly PartFile[]): Promise<{ report: CheckReport; json: Record<string, unknown>; note: string }> => {
  const swarm = parts.filter((p): p is Extract<PartFile, { swarm: SwarmResult }> => "swarm" in p);
  const shards = parts.filter((p): p is Extract<PartFile, { result: ShardResult }> => "result" in p);
  if (swarm.length > 0 && shards.length > 0) throw new InputError(`${swarm[0]!.name} is a swarm run and ${shards[0]!.name} a shard: merge one campaign at a time`);
  const report = (m: MergedSearch): CheckReport => {
    try {
      return mergedReport(m);
    } catch (e) {
      if (e instanceof PathError) throw new InputError(e.message);
      throw e;
    }
  };
  if (swarm.length > 0) {
    const m = mergeSwarm(swarm.map((p) => ({ name: p.name, result: p.swarm })));
    if (!m.ok) throw new InputError(m.error);
    const v = m.value;
    return {
      report: report(v),
      json: { swarm: { runs: v.runs, visits: v.visits, statesEstimated: true, exhaustive: false }, livenessChecked: false },
      note: `  swarm of ${v.runs.length} run(s) (seeds ${v.runs.map((r) => r.seed).join(", ")}): about ${v.states} distinct states (HyperLogLog estimate, ±2 %) in ${v.visits} visits; a swarm is never exhaustive, and its traces are the shortest the runs found\n  liveness (SYS-LIVE-1/-2) is not checked by a swarm\n`,
    };
  }
  const m = mergeShards(shards);
  if (!m.ok) throw new InputError(m.error);
  const missing = m.value.missing.length ? `  shards missing: ${m.value.missing.join(", ")} of ${m.value.shards} (not exhaustive)\n` : "";
  const live = await shardLiveness(shards, m.value.missing.length > 0);
  const merged = live.checked ? { ...m.value, livenessChecked: true, findings: shortest(findingKey, [...m.value.findings, ...live.findings]) } : m.value;
  return { report: report(merged), json: { shards: m.value.shards, missing: m.value.missing, livenessChecked: live.checked }, note: `${missing}  liveness (SYS-LIVE-1/-2): ${live.note}\n` };
};

/** SYS-LIVE-1/-2 over the shards' graph files (shard-graph.ts), when every shard is there with its graph. */
const shardLiveness = async (shards: readonly { readonly name: string; readonly result: ShardResult }[], missing: boolean): Promise<{ checked: boolean; findings: ShardFinding[]; note: string }> => {
  if (missing) return { checked: false, findings: [], note: "not checked (shards are missing)" };
  const without = shards.find((s) => s.result.graph === undefined);
  if (without) return { checked: false, findings: [], note: `not checked (${without.name} has no graph file)` };
  const files = [];
  for (const s of shards) {
    const name = join(dirname(s.name), s.result.graph!.file);
    files.push({ name, bytes: await readFileCapped(name, LIMITS.graphFile) });
  }
  try {
    const found = mergedLiveness(files, shapeFingerprint(SPEC_SYSTEM_STATE));
    return { checked: true, findings: found.map((l) => ({ ...l.violation, kind: "liveness" as const, path: l.path })), note: "checked over the shards' graph files" };
  } catch (e) {
    if (e instanceof GraphFileError) throw new InputError(e.message);
    throw e;
  }
};

export const mergeCommand = async (argv: readonly string[]): Promise<number> => {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${MERGE_HELP}\n`);
    return 0;
  }
  const a = parseArgs([...argv], [
    { name: "json", kind: "boolean" },
    { name: "fail-incomplete", kind: "boolean" },
  ]);
  if (a.positionals.length === 0) throw new UsageError("check merge needs the result files (of check --shard or check --swarm)");
  const parts: PartFile[] = [];
  for (const name of a.positionals) parts.push(await readPart(name));
  const { report, json, note } = await mergeParts(parts);
  process.stdout.write(a.booleans.has("json") ? `${JSON.stringify({ ...reportJson(report), ...json })}\n` : formatReport(report) + note);
  if (report.violations.length > 0) return 1;
  return verdictOf(report) !== "no violation" && a.booleans.has("fail-incomplete") ? 4 : 0;
};
