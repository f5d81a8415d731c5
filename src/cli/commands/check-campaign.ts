/**
 * Campaigns across machines (docs/scale.md): `check --shard i/N --exchange DIR --out FILE`
 * runs one shard and writes its result file; `check merge FILE...` combines a campaign's
 * result files into the report `check` prints.
 */
import { formatReport, reportJson, verdictOf } from "../../explore/check.js";
import { mergedReport, PathError } from "../../explore/merge-report.js";
import type { RunCheck } from "../../explore/run-file.js";
import { runShard, ShardError } from "../../explore/shard.js";
import { decodeShardResult, mergeShards, type ShardBounds, type ShardResult } from "../../explore/shard-result.js";
import { parseArgs, UsageError } from "../args.js";
import { InputError, LIMITS, prepareOutput, readFileCapped, writeAtomically } from "../files.js";

export const parseShard = (text: string): { index: number; count: number } => {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 4096 || index >= count) throw new UsageError(`--shard must be i/N with 0 <= i < N <= 4096 (e.g. 0/4), got '${text}'`);
  return { index, count };
};

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
  await prepareOutput(o.out, o.force);
  let stop = false;
  const onSigint = (): void => {
    stop = true;
  };
  process.on("SIGINT", onSigint);
  let result: ShardResult;
  try {
    result = await runShard({
      check: o.check,
      bounds: o.bounds,
      shard,
      exchange: o.exchange,
      roundTimeoutMs: o.roundTimeoutSeconds * 1000,
      interrupted: () => stop,
      ...(o.json || !process.stderr.isTTY ? {} : { onRound: (p) => process.stderr.write(`\r\x1b[Kcheck shard ${shard.index}/${shard.count}: round ${p.round}, ${p.states} states`) }),
    });
  } catch (e) {
    if (e instanceof ShardError) throw new InputError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (!o.json && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  await writeAtomically(o.out, `${JSON.stringify(result)}\n`, o.force);
  const line = `shard ${shard.index}/${shard.count}: ${result.states} states, ${result.transitions} transitions, ${result.findings.length} finding(s), ${result.complete ? "search complete" : `stopped by ${result.stoppedBy}`}; wrote ${o.out} (combine with: vmbus-spec check merge)`;
  process.stdout.write(o.json ? `${JSON.stringify({ shard, states: result.states, transitions: result.transitions, findings: result.findings.length, complete: result.complete, out: o.out })}\n` : `${line}\n`);
  return result.stoppedBy === "interrupted" ? 130 : 0;
};

export const MERGE_HELP = `usage: vmbus-spec check merge [--json] [--fail-incomplete] FILE...

Combines the result files of a sharded campaign (check --shard i/N --out FILE; docs/scale.md)
into the report check prints: states and transitions add up, each finding keeps its shortest
trace (replayed through the reducers), and the search is exhaustive only when every shard is
there and finished. Files of different check configurations, or a shard given twice, are
refused. Liveness is not checked by a sharded search. Exit status: 0 no violation, 1 violation
found, 2 usage error or a file that is not a shard result, 3 file error, 4 not exhaustive with
--fail-incomplete.`;

export const mergeCommand = async (argv: readonly string[]): Promise<number> => {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${MERGE_HELP}\n`);
    return 0;
  }
  const a = parseArgs([...argv], [
    { name: "json", kind: "boolean" },
    { name: "fail-incomplete", kind: "boolean" },
  ]);
  if (a.positionals.length === 0) throw new UsageError("check merge needs the shard result files");
  const files: { name: string; result: ShardResult }[] = [];
  for (const name of a.positionals) {
    let json: unknown;
    const text = (await readFileCapped(name, LIMITS.stdinDocument)).toString("utf8");
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${name}: bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
    }
    const d = decodeShardResult(json, name);
    if (!d.ok) throw new InputError(d.error);
    files.push({ name, result: d.value });
  }
  const m = mergeShards(files);
  if (!m.ok) throw new InputError(m.error);
  let report;
  try {
    report = mergedReport(m.value);
  } catch (e) {
    if (e instanceof PathError) throw new InputError(e.message);
    throw e;
  }
  const missing = m.value.missing.length ? `  shards missing: ${m.value.missing.join(", ")} of ${m.value.shards} (not exhaustive)\n` : "";
  process.stdout.write(a.booleans.has("json") ? `${JSON.stringify({ ...reportJson(report), shards: m.value.shards, missing: m.value.missing, livenessChecked: false })}\n` : formatReport(report) + missing + "  liveness (SYS-LIVE-1/-2) is not checked by a sharded search\n");
  if (report.violations.length > 0) return 1;
  return verdictOf(report) !== "no violation" && a.booleans.has("fail-incomplete") ? 4 : 0;
};


